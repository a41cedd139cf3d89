"""The workbench search at volume: a page of the ABH's case list for a search term.

Uses the seeded database DATABASE_URL names (``lotse seed_volume``) and the busiest immigration
office's caseworker, as ``bench_http.py`` does::

    DATABASE_URL=postgresql://postgres@127.0.0.1/lotse_bench1m \\
        .venv/bin/python benchmarks/bench_search.py --rounds 7

Prints, per term (three complete references of the office's cases and surname fragments), the
median and minimum time of ``case_page`` in this process (queries included).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lotse.conf.settings")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--names", default="HOSS,KOW", help="comma-separated name fragments")
    args = parser.parse_args()

    import django

    django.setup()
    from django.db.models import Count

    from lotse.accounts.models import User
    from lotse.cases.models import Case
    from lotse.cases.selectors import CaseFilters, case_page

    authority = (
        Case.objects.filter(forwarded_at__isnull=False)
        .values("authority")
        .annotate(n=Count("id"))
        .order_by("-n")[:1]
        .get()["authority"]
    )
    user = User.objects.filter(organisation_id=authority).order_by("pk").first()
    assert user is not None
    references = list(
        Case.objects.filter(authority_id=authority, forwarded_at__isnull=False)
        .order_by("pk")
        .values_list("reference", flat=True)[:3]
    )
    for term in [*references, *args.names.split(",")]:
        times = []
        for _ in range(args.rounds):
            started = time.perf_counter()
            page = case_page(user=user, filters=CaseFilters(query=term))
            times.append((time.perf_counter() - started) * 1000)
        print(
            f"{term:<16} {len(page.items):>3} rows  median {statistics.median(times):6.1f} ms"
            f"  min {min(times):6.1f} ms"
        )


if __name__ == "__main__":
    main()
