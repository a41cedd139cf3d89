"""HTTP at volume: the workbenches through the production server, next to a floor.

Seed first (``lotse seed_volume --cases N --force`` into the database DATABASE_URL names), then::

    DATABASE_URL=postgresql://postgres@127.0.0.1/lotse_scale \\
        .venv/bin/python benchmarks/bench_http.py --users 1,16 --rounds 20 --mixed-seconds 20

It starts gunicorn (``lotse.wsgi``, DEBUG off, ``LOTSE_BENCHMARK_FLOOR=1``) on a free port,
signs in one user per role of the seeded volume (sessions written directly), and measures every
scenario interleaved with the floor (one case row by primary key through the same server and
middleware): each user thread walks all scenarios in a shuffled order per round. It prints the
median and p95 per scenario and user count, the ratio to the floor's median, and then a mixed
load (the daily mix of the three roles) in requests per second with the error count.
Standard library only (threads and http.client).
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def session_cookie(user: Any) -> str:
    """A signed-in session of ``user`` in the configured engine, as its Cookie header value.

    A settings module with signed-cookie sessions measures a database that must not be written
    to (no session row is created)."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.utils.module_loading import import_string

    store = import_string(f"{settings.SESSION_ENGINE}.SessionStore")()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = next(
        b for b in settings.AUTHENTICATION_BACKENDS if "axes" not in b.lower()
    )
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.save()
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}"


def _setup() -> tuple[dict[str, str], dict[str, str]]:
    """Sessions per role and the paths of the scenarios, from the seeded database."""
    import django

    django.setup()
    from django.db.models import Count

    from lotse.accounts.models import User
    from lotse.cases.models import Case
    from lotse.cases.volume import EMAIL_DOMAIN

    # The busiest immigration office and chamber, and a company with many cases.
    abh_org = (
        Case.objects.filter(forwarded_at__isnull=False)
        .values("authority")
        .annotate(n=Count("id"))
        .order_by("-n")[:1]
        .get()["authority"]
    )
    chamber_org = Case.objects.values("chamber").annotate(n=Count("id")).order_by("-n")[:1].get()
    company_org = Case.objects.values("company").annotate(n=Count("id")).order_by("-n")[:1].get()
    # The first seeded user of each (a volume may hold more than one per organisation).
    seeded = User.objects.filter(email__endswith=EMAIL_DOMAIN).order_by("pk")
    abh = seeded.filter(organisation_id=abh_org)[:1].get()
    chamber = seeded.filter(organisation_id=chamber_org["chamber"])[:1].get()
    company = seeded.filter(organisation_id=company_org["company"])[:1].get()
    case = (
        Case.objects.filter(authority_id=abh_org, forwarded_at__isnull=False)
        .order_by("id")[:1]
        .get()
    )
    cookies = {
        "abh": session_cookie(abh),
        "chamber": session_cookie(chamber),
        "company": session_cookie(company),
    }
    paths = {
        "floor": ("", f"/benchmark/floor/{case.pk}"),
        "company dashboard": ("company", "/"),
        "company case list": ("company", "/cases/"),
        "chamber inbox": ("chamber", "/cases/"),
        "chamber dashboard": ("chamber", "/"),
        "ABH intake (dashboard)": ("abh", "/"),
        "ABH case list": ("abh", "/cases/"),
        "deadline board": ("abh", "/cases/deadlines/"),
        "case page": ("abh", f"/cases/{case.pk}/"),
        "GET /api/v1/cases": ("abh", "/api/v1/cases?limit=50"),
        "GET /api/v1/cases/{id}": ("abh", f"/api/v1/cases/{case.pk}"),
    }
    scenario = {name: f"{role}|{path}" for name, (role, path) in paths.items()}
    return cookies, scenario


class Client:
    def __init__(self, port: int, cookies: dict[str, str]) -> None:
        self.port = port
        self.cookies = cookies
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)

    def get(self, target: str) -> tuple[int, float]:
        role, path = target.split("|", 1)
        headers = {"Cookie": self.cookies[role]} if role else {}
        begin = time.perf_counter()
        try:
            self.conn.request("GET", path, headers=headers)
            response = self.conn.getresponse()
            response.read()
            status = response.status
        except (OSError, http.client.HTTPException):
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
            status = 0
        return status, time.perf_counter() - begin


def _measure(port: int, cookies: dict[str, str], scenario: dict[str, str], users: int,
             rounds: int) -> dict[str, list[float]]:  # fmt: skip
    timings: dict[str, list[float]] = defaultdict(list)
    errors: list[str] = []
    lock = threading.Lock()

    def user(number: int) -> None:
        client = Client(port, cookies)
        rng = random.Random(number)
        names = list(scenario)
        for _round in range(rounds):
            rng.shuffle(names)
            for name in names:
                status, seconds = client.get(scenario[name])
                with lock:
                    if status != 200:
                        errors.append(f"{name}: {status}")
                    timings[name].append(seconds)

    threads = [threading.Thread(target=user, args=(n,)) for n in range(users)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        print(f"  errors: {len(errors)} (first: {errors[0]})")
    return timings


# The daily mix: what the three roles open, by weight.
MIX = {
    "company dashboard": 10,
    "company case list": 6,
    "chamber inbox": 14,
    "chamber dashboard": 8,
    "ABH intake (dashboard)": 8,
    "ABH case list": 8,
    "deadline board": 6,
    "case page": 20,
    "GET /api/v1/cases": 8,
    "GET /api/v1/cases/{id}": 12,
}


def _mixed(port: int, cookies: dict[str, str], scenario: dict[str, str], users: int,
           seconds: float) -> tuple[int, int, float]:  # fmt: skip
    done, failed = [0], [0]
    lock = threading.Lock()
    stop = time.perf_counter() + seconds
    names, weights = zip(*MIX.items(), strict=True)

    def user(number: int) -> None:
        client = Client(port, cookies)
        rng = random.Random(1000 + number)
        while time.perf_counter() < stop:
            status, _seconds = client.get(scenario[rng.choices(names, weights)[0]])
            with lock:
                done[0] += 1
                failed[0] += status != 200

    begin = time.perf_counter()
    threads = [threading.Thread(target=user, args=(n,)) for n in range(users)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return done[0], failed[0], time.perf_counter() - begin


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", default="1,16", help="comma-separated user counts")
    parser.add_argument("--rounds", type=int, default=20, help="rounds per user")
    # The defaults of `lotse serve` (LOTSE_WEB_WORKERS, LOTSE_WEB_THREADS).
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--threads", type=int, default=8, help="gunicorn threads per worker")
    parser.add_argument("--mixed-seconds", type=float, default=20.0)
    parser.add_argument("--mixed-users", type=int, default=16)
    parser.add_argument(
        "--port", type=int, default=0, help="the server's port (default: a free one)"
    )
    args = parser.parse_args()
    if "DATABASE_URL" not in os.environ:
        parser.error("set DATABASE_URL to the seeded database")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lotse.conf.settings")
    os.environ["LOTSE_DEBUG"] = "false"
    os.environ["LOTSE_BENCHMARK_FLOOR"] = "1"
    cookies, scenario = _setup()
    port = args.port or _free_port()
    gunicorn = Path(sys.executable).with_name("gunicorn")
    server = subprocess.Popen(  # noqa: S603  (our own server, fixed arguments)
        [str(gunicorn), "lotse.wsgi", "--bind", f"127.0.0.1:{port}", "--workers",
         str(args.workers), "--threads", str(args.threads), "--log-level", "warning"],
        env={**os.environ, "PYTHONPATH": os.pathsep.join(
            [str(ROOT / "src"), *filter(None, [os.environ.get("PYTHONPATH")])])},
    )  # fmt: skip
    try:
        for _attempt in range(120):
            try:
                status, _ = Client(port, cookies).get(scenario["floor"])
                if status == 200:
                    break
            except OSError:
                pass
            time.sleep(0.5)
        _measure(port, cookies, scenario, 2, 2)  # warm-up: every worker imports and connects
        print(f"{'scenario':<26} {'users':>5} {'median ms':>10} {'p95 ms':>9} {'× floor':>8}")
        for users in [int(u) for u in args.users.split(",")]:
            timings = _measure(port, cookies, scenario, users, args.rounds)
            floor = statistics.median(timings["floor"])
            for name in scenario:
                median = statistics.median(timings[name])
                print(
                    f"{name:<26} {users:>5} {median * 1000:>10.1f} "
                    f"{_p95(timings[name]) * 1000:>9.1f} {median / floor:>8.1f}"
                )
        if args.mixed_seconds > 0:
            done, failed, elapsed = _mixed(
                port, cookies, scenario, args.mixed_users, args.mixed_seconds
            )
            print(
                f"mixed load, {args.mixed_users} users, {elapsed:.0f} s: {done / elapsed:.1f} "
                f"requests/s, {failed} errors of {done}"
            )
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()


if __name__ == "__main__":
    main()
