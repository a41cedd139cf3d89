"""EXPLAIN (ANALYZE, BUFFERS) of the deadline board's column queries, as the page runs them.

Run (read-only; PostgreSQL)::

    DATABASE_URL=postgresql://postgres@127.0.0.1/lotse_bench1m \\
        .venv/bin/python benchmarks/explain_board.py [--runs 2] [-v]

For the busiest immigration office, chamber and company: each column's first page (LIMIT 51,
with the case and its parties joined, as ``selectors.board_column_page`` reads it) as it is now,
and with the case conditions the columns had before (``--before``: state not ended, and for the
BA weeks ``ba_state = 'requested'``), so that the two plans can be compared on one database.
Prints per query the execution time of each run, the shared buffers hit and read, the rows the
scan read and the plan's nodes; ``-v`` prints the whole plans.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lotse.conf.settings")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--before", action="store_true", help="also the old column queries")
    parser.add_argument("-v", action="store_true", help="print the whole plans")
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.db.models import Count, QuerySet
    from django.utils import timezone

    from lotse.accounts.models import User
    from lotse.cases import counters, selectors, workflow
    from lotse.cases.models import BaState, Case, CaseClock

    def busiest(field: str, **filters: object) -> User:
        top = Case.objects.filter(**filters).values(field).annotate(n=Count("id")).order_by("-n")
        return User.objects.filter(organisation_id=top[0][field]).order_by("pk").first()  # type: ignore[return-value]

    today = timezone.localdate()
    users = {
        "ABH": busiest("authority", forwarded_at__isnull=False),
        "chamber": busiest("chamber"),
        "company": busiest("company"),
    }

    def page(clocks: QuerySet[CaseClock]) -> QuerySet[CaseClock]:
        return clocks.select_related(
            "case", "case__company", "case__chamber", "case__authority", "case__site"
        )[:51]

    def count(clocks: QuerySet[CaseClock]) -> QuerySet[CaseClock]:
        # What counters.capped_count runs: COUNT(*) over the first CAP + 1 rows.
        return clocks.order_by()[: counters.CAP + 1]

    queries: dict[str, QuerySet[CaseClock]] = {}
    for who, user in users.items():
        for column in selectors.BOARD_COLUMNS:
            now = selectors._board_column(user, column, today)
            old = now
            if column == "deemed_to_confirm":
                old = old.filter(case__ba_state=BaState.REQUESTED)
            old = old.exclude(case__state__in=workflow.ENDED)
            queries[f"{who} {column}"] = page(now)
            if args.before:
                queries[f"{who} {column} (before)"] = page(old)
            queries[f"{who} {column} count"] = count(now)
            if args.before:
                queries[f"{who} {column} count (before)"] = count(old)
    for name, queryset in queries.items():
        times, plan = [], ""
        for _run in range(args.runs):
            if name.endswith(("count", "count (before)")):
                # COUNT(*) over the capped subquery, as Django's .count() of a slice runs it.
                sql, params = queryset.values("pk").query.sql_with_params()
                with connection.cursor() as cursor:
                    cursor.execute(
                        "EXPLAIN (ANALYZE, BUFFERS) SELECT COUNT(*) FROM (" + sql + ") AS capped",  # noqa: S608 (the ORM's SQL)
                        params,
                    )
                    plan = "\n".join(row[0] for row in cursor.fetchall())
            else:
                plan = queryset.explain(analyze=True, buffers=True)
            found = re.search(r"Execution Time: ([\d.]+) ms", plan)
            times.append(found.group(1) if found else "?")
        top = plan.splitlines()[0] if plan else ""
        buffers = re.search(r"Buffers: (.*)", plan)
        nodes = sorted(set(re.findall(r"(Seq Scan on \w+|Index Only Scan using \w+|Index Scan "
                                      r"using \w+|Bitmap Heap Scan on \w+|Sort|Hash Join)",
                                      plan)))  # fmt: skip
        print(f"{name:<36} {' / '.join(times):>18} ms  {buffers.group(1) if buffers else ''}")
        print(f"{'':<36} {', '.join(nodes)}  [{top.strip()[:60]}]")
        if args.v:
            print(plan)


if __name__ == "__main__":
    main()
