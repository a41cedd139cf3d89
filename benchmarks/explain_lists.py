"""EXPLAIN ANALYZE of every workbench list query on the seeded volume (PostgreSQL).

Run: DATABASE_URL=postgresql://postgres@127.0.0.1/lotse_scale .venv/bin/python benchmarks/explain_lists.py
Prints, per query, the plan's node types and the execution time, and flags sequential scans.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lotse.conf.settings")

import django

django.setup()

from django.db.models import Count  # noqa: E402
from django.utils import timezone  # noqa: E402

from lotse.access import companies_visible_to  # noqa: E402
from lotse.accounts.models import User  # noqa: E402
from lotse.cases import selectors  # noqa: E402
from lotse.cases.models import Case, CaseState  # noqa: E402


def busiest(field: str, **filters: object) -> User:
    top = Case.objects.filter(**filters).values(field).annotate(n=Count("id")).order_by("-n")[0]
    return User.objects.filter(organisation_id=top[field]).first()  # type: ignore[return-value]


def main() -> None:
    today = timezone.localdate()
    abh = busiest("authority", forwarded_at__isnull=False)
    chamber = busiest("chamber")
    company = busiest("company")
    page = selectors.case_page(user=chamber, today=today)
    tail = page.items[-1]
    # A surname's first letters and a reference in the middle of the volume: typed searches.
    search = (tail.worker_surname or "Smith")[:4]
    reference = selectors.case_list_for(user=abh, today=today)[0].reference
    queries = {
        "company list p1": selectors.case_list_for(user=company, today=today)[:51],
        "chamber inbox p1": selectors.case_list_for(user=chamber, today=today)[:51],
        "chamber inbox open p1": selectors.case_list_for(
            user=chamber, filters=selectors.CaseFilters(open_only=True), today=today
        )[:51],
        "chamber inbox state filter": selectors.case_list_for(
            user=chamber,
            filters=selectors.CaseFilters(state=CaseState.AGREEMENT_CONCLUDED),
            today=today,
        )[:51],
        "chamber overdue filter": selectors.case_list_for(
            user=chamber, filters=selectors.CaseFilters(overdue=True), today=today
        )[:51],
        "chamber inbox p2 (cursor, same day)": selectors.case_list_for(user=chamber, today=today)
        .filter(list_due_on=tail.list_due_on, updated_at__lte=tail.updated_at)
        .exclude(updated_at=tail.updated_at, id__gte=tail.pk)[:51],
        "chamber inbox p2 (cursor, later days)": selectors.case_list_for(
            user=chamber, today=today
        ).filter(list_due_on__gt=tail.list_due_on)[:51],
        "chamber inbox back (before, same day)": selectors.case_list_for(user=chamber, today=today)
        .order_by("-list_due_on", "updated_at", "id")
        .filter(list_due_on=tail.list_due_on, updated_at__gte=tail.updated_at)
        .exclude(updated_at=tail.updated_at, id__lte=tail.pk)[:51],
        "chamber inbox back (before, earlier days)": selectors.case_list_for(
            user=chamber, today=today
        )
        .order_by("-list_due_on", "updated_at", "id")
        .filter(list_due_on__lt=tail.list_due_on)[:51],
        "chamber search (surname, 4 letters)": selectors.case_list_for(
            user=chamber, filters=selectors.CaseFilters(query=search), today=today
        )[:51],
        "ABH search (reference)": selectors.case_list_for(
            user=abh, filters=selectors.CaseFilters(query=reference), today=today
        )[:51],
        "ABH case list p1": selectors.case_list_for(user=abh, today=today)[:51],
        "ABH intake p1": selectors.intake_queue(user=abh)[:21],
        "ABH intake count (capped)": selectors.intake_queue(user=abh).order_by()[:1001],
        "ABH company choices": companies_visible_to(user=abh).order_by("name"),
        "chamber company choices": companies_visible_to(user=chamber).order_by("name"),
        **{
            f"board {column}": selectors._board_column(abh, column, today)[:51]
            for column in selectors.BOARD_COLUMNS
        },
        **{
            f"chamber board {column}": selectors._board_column(chamber, column, today)[:51]
            for column in selectors.BOARD_COLUMNS
        },
    }
    for name, queryset in queries.items():
        plan = queryset.explain(analyze=True)
        took = re.search(r"Execution Time: ([\d.]+) ms", plan)
        scans = sorted(set(re.findall(r"(Seq Scan on \w+|Index Only Scan using \w+|Index Scan "
                                      r"using \w+|Bitmap Heap Scan on \w+|Sort)", plan)))  # fmt: skip
        flag = "  <-- SEQ SCAN" if any("Seq Scan" in s for s in scans) else ""
        print(f"{name:<40} {took.group(1) if took else '?':>9} ms  {', '.join(scans)}{flag}")
        if "-v" in sys.argv:
            print(plan)


if __name__ == "__main__":
    main()
