"""`lotse backup DIR`: the database and the encrypted blobs, with a manifest (lotse.core.backup)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lotse.core.backup import BackupError, backup_create


class Command(BaseCommand):
    help = "Write a consistent backup (database, encrypted document blobs, manifest) into DIR."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", type=Path, help="a new or empty directory")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = backup_create(options["directory"])
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        manifest = result.manifest
        self.stdout.write(
            f"Backup written to {result.directory}: {manifest['database']['vendor']} database, "
            f"{len(manifest['files']) - 1} blobs, {sum(manifest['row_counts'].values())} rows."
        )
