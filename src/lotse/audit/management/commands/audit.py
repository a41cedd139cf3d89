from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lotse.audit.selectors import audit_chain_verify


class Command(BaseCommand):
    help = (
        "verify: recompute the audit trail's hash chain and name the first event that was "
        "changed, removed or inserted below the application (exit status 1)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("operation", choices=["verify"])

    def handle(self, *args: Any, **options: Any) -> None:
        checked, broken = audit_chain_verify()
        if broken is not None:
            raise CommandError(
                f"audit chain broken at event {broken.event_id}: {broken.reason} "
                f"({checked} events checked)"
            )
        self.stdout.write(f"audit chain intact: {checked} events")
