"""The nightly expected dates (``insights_refresh_open``) on a seeded volume, without writing.

Runs the job's own batches over the first ``--cases`` open cases inside a transaction that is
rolled back, so a shared benchmark database stays as it was::

    DATABASE_URL=postgresql://postgres@127.0.0.1/lotse_bench1m \\
        .venv/bin/python benchmarks/bench_refresh_open.py --cases 5000

Prints the time to list the open cases, the first batch (which loads the peer groups) and the
wall and CPU time per further case, and projects the whole night's run from it.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lotse.conf.settings")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=5000)
    parser.add_argument("--batch", type=int, default=500)
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import transaction
    from django.utils import timezone

    from lotse.cases.models import Case
    from lotse.insights.services import PeerCache, facts_refresh_batch

    today = timezone.localdate()
    started = time.perf_counter()
    ids = list(
        Case.objects.exclude(facts__is_open=False).values_list("pk", flat=True).order_by("pk")
    )
    print(f"open cases: {len(ids):,} listed in {time.perf_counter() - started:.1f} s")
    cache: PeerCache = {}
    with transaction.atomic():
        started = time.perf_counter()
        facts_refresh_batch(case_ids=ids[: args.batch], today=today, cache=cache)
        warm = time.perf_counter()
        print(f"first batch ({len(cache)} peer groups loaded): {warm - started:.1f} s")
        cpu = time.process_time()
        done = 0
        for start in range(args.batch, args.cases, args.batch):
            done += facts_refresh_batch(
                case_ids=ids[start : start + args.batch], today=today, cache=cache
            )
        wall_each = (time.perf_counter() - warm) / max(done, 1)
        cpu_each = (time.process_time() - cpu) / max(done, 1)
        transaction.set_rollback(True)
    print(
        f"further cases: {done:,}, {wall_each * 1000:.2f} ms wall, {cpu_each * 1000:.2f} ms CPU each"
    )
    print(
        f"projected run over all open cases: {(warm - started + wall_each * len(ids)) / 60:.0f} min"
    )


if __name__ == "__main__":
    main()
