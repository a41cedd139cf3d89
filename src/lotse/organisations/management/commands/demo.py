from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from lotse.accounts.models import Role
from lotse.cases.demo import demo_cases_load
from lotse.organisations.demo import demo_world_load


class Command(BaseCommand):
    help = "Load the demo world (directory, five companies, one user per role). Idempotent."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="Load even though DEBUG is off (never on a live system).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "Refusing to load demo accounts with a known password while DEBUG is off. "
                "Use --force only on a test system."
            )
        password = settings.LOTSE_DEMO_PASSWORD
        users = demo_world_load(password=password)
        demo_cases_load()
        self.stdout.write(
            self.style.SUCCESS("Demo world ready. Sign in at " + settings.LOTSE_SITE_URL)
        )
        self.stdout.write(f"Password for every demo login: {password}")
        for user in users:
            self.stdout.write(f"  {Role(user.role).label:<32} {user.email}")
