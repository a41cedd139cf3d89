"""The CPU of one request, in-process: time, queries and a profile per page of bench_http.py.

Uses the seeded database DATABASE_URL names (``lotse seed_volume``), the same users, sessions
and paths as ``benchmarks/bench_http.py``, DEBUG off and the production template loader::

    DATABASE_URL=postgresql://postgres@127.0.0.1/lotse_pages_10k \\
        .venv/bin/python benchmarks/profile_pages.py --runs 20 [--profile "chamber inbox"]

Prints per page the median and minimum time of a request through Django's handler (all the
middleware, no HTTP server), the median CPU time of this process per request (Python only,
not the database server: the figure that machine load disturbs least), the number of queries,
their time and the size of the answer.
``--profile NAME`` (repeatable, or ``all``) adds the top functions by cumulative time (cProfile:
its per-call overhead inflates many cheap calls, and it counts the wait for the database);
``--sample NAME`` samples the stack on the CPU-time timer instead (where the CPU goes, no
per-call overhead, no waiting counted); ``--middleware NAME`` prints the CPU of each
middleware's own work per request.
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
from typing import Any

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
    parser.add_argument(
        "--sample",
        action="append",
        default=[],
        help="page (repeatable, or 'all'): sample the stack on the CPU-time timer (no "
        "per-call overhead, unlike --profile) and print where the CPU went",
    )
    parser.add_argument(
        "--middleware",
        action="append",
        default=[],
        help="page (repeatable, or 'all'): the CPU of each middleware's own work per request",
    )
    parser.add_argument("--sort", default="cumulative")
    parser.add_argument(
        "--only", action="append", default=[], help="measure only pages whose name has this"
    )
    parser.add_argument(
        "--parties",
        action="store_true",
        help="add the case page as its chamber's and its company's first seeded user",
    )
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
    if args.parties:
        _add_parties(cookies, scenario)
    if args.only:
        scenario = {k: v for k, v in scenario.items() if any(o in k for o in args.only)}
    if args.middleware:
        _time_middleware()
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
    for name in scenario if "all" in args.middleware else args.middleware:
        _print_middleware(name, get, scenario[name], args.runs)
    for name in scenario if "all" in args.sample else args.sample:
        _print_samples(name, get, scenario[name], args.runs, args.top)
    for name in scenario if "all" in args.profile else args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        for _run in range(args.runs):
            get(scenario[name])
        profiler.disable()
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats(args.sort).print_stats(args.top)
        print(f"\n=== {name} ({args.runs} runs)\n{out.getvalue()}")


def _add_parties(cookies: dict[str, str], scenario: dict[str, str]) -> None:
    """The ABH's case page also as the same case's chamber and company (each party sees other
    sections: notes and advisors, the checklist's actions, other steps)."""
    import bench_http

    from lotse.accounts.models import User
    from lotse.cases.models import Case
    from lotse.cases.volume import EMAIL_DOMAIN

    path = scenario["case page"].split("|", 1)[1]
    case = Case.objects.get(pk=int(path.strip("/").rsplit("/", 1)[1]))
    seeded = User.objects.filter(email__endswith=EMAIL_DOMAIN).order_by("pk")
    for role, organisation in (("chamber", case.chamber_id), ("company", case.company_id)):
        user = seeded.filter(organisation_id=organisation)[:1].get()
        cookies[f"{role} of the case"] = bench_http.session_cookie(user)
        scenario[f"case page ({role})"] = f"{role} of the case|{path}"


# The CPU time (time.process_time) at which each request entered and left the shim in front
# of the n-th middleware: a middleware's own work is its shim's span minus the next shim's.
_SPANS: list[list[float]] = []


def _time_middleware() -> None:
    """Put a timing shim in front of every middleware (and of the view)."""
    from django.conf import settings

    chain = []
    for index, path in enumerate([*settings.MIDDLEWARE, "view"]):
        _SPANS.append([])
        shim = _shim(index)
        setattr(sys.modules[__name__], shim.__name__, shim)
        chain.append(f"{__name__}.{shim.__name__}")
        if path != "view":
            chain.append(path)
    settings.MIDDLEWARE = chain


def _shim(index: int) -> type:
    class Shim:
        def __init__(self, get_response: Any) -> None:
            self.get_response = get_response

        def __call__(self, request: Any) -> Any:
            begin = time.process_time()
            try:
                return self.get_response(request)
            finally:
                _SPANS[index].append(time.process_time() - begin)

    Shim.__name__ = Shim.__qualname__ = f"_Shim{index}"
    return Shim


def _print_middleware(name: str, get: Any, target: str, runs: int) -> None:
    from django.conf import settings

    for spans in _SPANS:
        spans.clear()
    for _run in range(runs):
        get(target)
    names = [path for path in settings.MIDDLEWARE if ".profile_pages._Shim" not in path and
             "__main__._Shim" not in path]  # fmt: skip
    names.append("(the view)")
    print(f"\n=== {name}: CPU ms per request of each middleware's own work ({runs} runs)")
    medians = [statistics.median(spans) * 1000 for spans in _SPANS]
    for index, label in enumerate(names):
        inner = medians[index + 1] if index + 1 < len(medians) else 0.0
        print(f"{medians[index] - inner:8.2f}  {label}")
    print(f"{medians[0]:8.2f}  total")


def _print_samples(name: str, get: Any, target: str, runs: int, top: int) -> None:
    """Where the CPU of ``runs`` requests went: a statistical profile on the CPU-time timer
    (SIGPROF), so that many cheap calls weigh what they cost and the database's time, which
    this process spends waiting, weighs nothing."""
    import collections
    import signal

    inclusive: collections.Counter[str] = collections.Counter()
    own: collections.Counter[str] = collections.Counter()
    total = 0
    here = Path(__file__).resolve()

    def label(frame: Any) -> str:
        code = frame.f_code
        path = code.co_filename
        for marker in ("site-packages/", "/src/", "/lib/python3"):
            if marker in path:
                path = path.split(marker, 1)[1]
                break
        return f"{path}:{code.co_firstlineno}({code.co_name})"

    def sample(_signum: int, frame: Any) -> None:
        nonlocal total
        total += 1
        seen = set()
        first = True
        while frame is not None:
            if frame.f_code.co_filename == str(here):
                break
            key = label(frame)
            if first:
                own[key] += 1
                first = False
            if key not in seen:
                seen.add(key)
                inclusive[key] += 1
            frame = frame.f_back

    # The kernel may deliver the signal at its tick only: the samples are scaled to the CPU
    # time measured, not counted at the interval asked for.
    interval = 0.0005
    previous = signal.signal(signal.SIGPROF, sample)
    begin = time.process_time()
    signal.setitimer(signal.ITIMER_PROF, interval, interval)
    try:
        for _run in range(runs):
            get(target)
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0, 0)
        signal.signal(signal.SIGPROF, previous)
    spent = time.process_time() - begin
    per = spent * 1000 / runs / max(total, 1)
    print(f"\n=== {name}: {total} samples, {total * per:.1f} CPU ms per request ({runs} runs)")
    print("  incl ms   own ms  function")
    for key, count in inclusive.most_common(top):
        print(f"{count * per:8.2f} {own[key] * per:8.2f}  {key}")
    print("  -- by own time")
    for key, count in own.most_common(top // 2):
        print(f"{inclusive[key] * per:8.2f} {count * per:8.2f}  {key}")


if __name__ == "__main__":
    main()
