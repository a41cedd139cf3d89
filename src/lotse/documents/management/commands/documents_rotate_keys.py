from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lotse.documents.blobs import stored_blobs_rotate
from lotse.documents.tasks import storage_keys_rotate


class Command(BaseCommand):
    help = (
        "Re-encrypt every stored document with the primary key of LOTSE_STORAGE_KEYS. "
        "Remove an old key from the setting only after this reports no failures."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--background", action="store_true", help="enqueue the task for the worker instead"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["background"]:
            result = storage_keys_rotate.enqueue()
            self.stdout.write(f"enqueued task {result.id}")
            return
        report = stored_blobs_rotate()
        self.stdout.write(
            f"rotated {report.rotated}, already current {report.already_current}, "
            f"failed {len(report.failed)}"
        )
        if report.failed:
            raise CommandError("some files could not be decrypted: " + ", ".join(report.failed))
