from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from lotse.cases.volume import EMAIL_DOMAIN, LEAD_EMAIL_DOMAIN, seed_leads, seed_volume
from lotse.insights.services import public_refresh, rollups_refresh


class Command(BaseCommand):
    help = (
        "Write a realistic volume of cases (organisations, users, cases with history, clocks, "
        "checklists, document rows and audit events) for benchmarks. Deterministic for a seed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--cases", type=int, default=10_000, help="How many cases.")
        parser.add_argument("--seed", type=int, default=81, help="Random seed.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Seed even though DEBUG is off (never on a live system: known passwords).",
        )
        parser.add_argument(
            "--no-statistics",
            action="store_true",
            help="Skip the rebuild of the monthly statistics after seeding (minutes at 1 M).",
        )
        parser.add_argument(
            "--leads-only",
            action="store_true",
            help="Only add the missing leads of the seeded chambers and immigration offices.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "Refusing to write benchmark accounts with a known password while DEBUG is off. "
                "Use --force only on a benchmark system."
            )
        if options["leads_only"]:
            made = seed_leads()
            self.stdout.write(f"{made} leads added; users *@{LEAD_EMAIL_DOMAIN}.")
            return
        if options["cases"] < 1:
            raise CommandError("--cases must be at least 1.")
        begin = time.perf_counter()

        def progress(done: int) -> None:
            rate = done / max(time.perf_counter() - begin, 1e-9)
            self.stdout.write(f"{done:>10,} cases  ({rate:,.0f}/s)")

        def log(message: str) -> None:
            self.stdout.write(f"{time.perf_counter() - begin:>8.0f} s  {message}")

        seed_volume(cases=options["cases"], seed=options["seed"], progress=progress, log=log)
        if not options["no_statistics"]:
            # The statistics pages read the monthly rollups only; the scheduler would rebuild
            # them at night (its refresh of the open cases' expected dates is left to it).
            log("rebuilding the monthly statistics")
            rollups_refresh()
            public_refresh()
        elapsed = time.perf_counter() - begin
        self.stdout.write(
            self.style.SUCCESS(
                f"{options['cases']:,} cases in {elapsed:.0f} s; users *@{EMAIL_DOMAIN}, "
                f"leads *@{LEAD_EMAIL_DOMAIN}."
            )
        )
