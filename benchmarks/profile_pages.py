"""The CPU of one request, in-process: time, queries and a profile per page of bench_http.py.

Uses the seeded database DATABASE_URL names (``lotse seed_volume``), the same users, sessions
and paths as ``benchmarks/bench_http.py``, DEBUG off and the production template loader::

    DATABASE_URL=postgresql://postgres@127.0.0.1/lotse_pages_10k \\
        .venv/bin/python benchmarks/profile_pages.py --runs 20 [--profile "chamber inbox"]

Prints per page the median and minimum time of a request through Django's handler (all the
middleware, no HTTP server), the median CPU time of this process per request (Python only,
not the database server: the figure that machine load disturbs least), the number of queries,
their time and the size of the answer.
``--profile NAME`` (repeatable, or ``all``) adds the top functions by cumulative time.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--profile", action="append", default=[])
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument(
        "--queries", action="store_true", help="print each page's 3 slowest queries"
    )
    parser.add_argument("--sql-chars", type=int, default=300)
    parser.add_argument("--sort", default="cumulative")
    args = parser.parse_args()
    if "DATABASE_URL" not in os.environ:
        parser.error("set DATABASE_URL to the seeded database")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lotse.conf.settings")
    os.environ["LOTSE_DEBUG"] = "false"
    os.environ["LOTSE_BENCHMARK_FLOOR"] = "1"
    os.environ.setdefault("LOTSE_LOG_LEVEL", "WARNING")

    import bench_http
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    cookies, scenario = bench_http._setup()
    clients = {}
    for role, cookie in cookies.items():
        client = Client()
        name, value = cookie.split("=", 1)
        client.cookies[name] = value
        clients[role] = client
    clients[""] = Client()

    def get(target: str) -> tuple[int, int]:
        role, path = target.split("|", 1)
        response = clients[role].get(path)
        return response.status_code, len(response.content)

    for target in scenario.values():
        get(target)
        get(target)
    print(
        f"{'page':<26} {'median ms':>9} {'min ms':>7} {'cpu ms':>7} {'queries':>7} {'sql ms':>7} "
        f"{'bytes':>8}"
    )
    for name, target in scenario.items():
        times, cpu = [], []
        for _run in range(args.runs):
            begin, begin_cpu = time.perf_counter(), time.process_time()
            status, size = get(target)
            times.append(time.perf_counter() - begin)
            cpu.append(time.process_time() - begin_cpu)
            assert status == 200, (name, status)
        with CaptureQueriesContext(connection) as captured:
            get(target)
        sql = sum(float(q["time"]) for q in captured.captured_queries) * 1000
        if args.queries:
            for query in sorted(captured.captured_queries, key=lambda q: -float(q["time"]))[:3]:
                print(
                    f"    {float(query['time']) * 1000:7.1f} ms  {query['sql'][: args.sql_chars]}"
                )
        print(
            f"{name:<26} {statistics.median(times) * 1000:>9.1f} {min(times) * 1000:>7.1f} "
            f"{statistics.median(cpu) * 1000:>7.1f} {len(captured.captured_queries):>7} "
            f"{sql:>7.1f} {size:>8}"
        )
    for name in scenario if "all" in args.profile else args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        for _run in range(args.runs):
            get(scenario[name])
        profiler.disable()
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats(args.sort).print_stats(args.top)
        print(f"\n=== {name} ({args.runs} runs)\n{out.getvalue()}")


if __name__ == "__main__":
    main()
