"""`lotse restore DIR`: a backup of `lotse backup` into an empty instance (lotse.core.backup)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lotse.core.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = "Restore a backup written by `lotse backup` into this empty instance, verifying it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", type=Path, help="the backup's directory")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            manifest = backup_restore(options["directory"])
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            f"Restored the backup of {manifest['created_at']}: "
            f"{sum(manifest['row_counts'].values())} rows, {len(manifest['files']) - 1} blobs, "
            "all hashes and row counts verified."
        )
