from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from lotse.documents.tasks import MIN_GRACE_HOURS, ORPHAN_GRACE_HOURS, storage_orphans_delete


class Command(BaseCommand):
    help = (
        "Delete stored files that no database row points to (left behind by an upload that "
        "crashed), older than the grace period. Safe to run at any time."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--grace-hours",
            type=int,
            default=ORPHAN_GRACE_HOURS,
            help=f"only files older than this (default {ORPHAN_GRACE_HOURS}, "
            f"at least {MIN_GRACE_HOURS})",
        )
        parser.add_argument(
            "--background", action="store_true", help="enqueue the task for the worker instead"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["background"]:
            result = storage_orphans_delete.enqueue(grace_hours=options["grace_hours"])
            self.stdout.write(f"enqueued task {result.id}")
            return
        deleted = storage_orphans_delete.call(grace_hours=options["grace_hours"])
        self.stdout.write(f"deleted {deleted} orphaned file(s)")
