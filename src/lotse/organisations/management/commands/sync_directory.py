from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from lotse.organisations.services import directory_sync


class Command(BaseCommand):
    help = "Create or update chambers, immigration offices and external bodies from the directory data."

    def handle(self, *args: Any, **options: Any) -> None:
        counts = directory_sync()
        self.stdout.write(f"Directory: {counts['created']} created, {counts['updated']} updated.")
