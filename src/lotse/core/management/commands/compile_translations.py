from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from lotse.core.i18n import compile_all


class Command(BaseCommand):
    help = "Compile every app's .po catalogue into its .mo file (no GNU gettext needed)."

    def handle(self, *args: Any, **options: Any) -> None:
        written = compile_all()
        self.stdout.write(f"Compiled {len(written)} translation catalogues.")
