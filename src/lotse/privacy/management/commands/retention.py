from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from lotse.privacy.retention import cases_due, retention_run


class Command(BaseCommand):
    help = (
        "Delete the documents and personal data of ended cases whose retention period "
        "(LOTSE_RETENTION_DAYS_*) is over. The scheduler runs this daily."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="only list the cases")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["dry_run"]:
            for due in cases_due():
                self.stdout.write(f"{due.case.reference} ended {due.ended_on:%Y-%m-%d}")
            return
        self.stdout.write(f"personal data of {retention_run()} case(s) deleted")
