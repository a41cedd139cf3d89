from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from lotse.filecheck.crypto import generate_key_entry


class Command(BaseCommand):
    help = "Print a new entry id:base64key for LOTSE_STORAGE_KEYS (first in the list = primary)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("key_id", help="e.g. k2026-11")

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(generate_key_entry(options["key_id"]))
