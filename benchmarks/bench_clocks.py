"""Time the deadline engine for a deadline board: every clock of many cases, one status each.

Run: .venv/bin/python benchmarks/bench_clocks.py [cases]
"""

from __future__ import annotations

import random
import sys
import time
from datetime import date, timedelta

from lotse.clocks import Suspension, clock_status, clocks


def main(cases: int = 1000) -> None:
    rng = random.Random(81)
    today = date(2026, 11, 25)
    definitions = clocks()
    started = [today - timedelta(days=rng.randint(0, 400)) for _ in range(cases)]
    begin = time.perf_counter()
    count = 0
    for start in started:
        for item in definitions:
            suspensions = (
                [Suspension(start + timedelta(days=5), start + timedelta(days=15))]
                if item.suspendable
                else []
            )
            clock_status(item, start, today, suspensions=suspensions)
            count += 1
    elapsed = time.perf_counter() - begin
    print(f"{count} statuses in {elapsed * 1000:.0f} ms ({elapsed / count * 1e6:.1f} µs each)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
