"""Quick-Check throughput on one core: ``python benchmarks/bench_rules.py [--profiles N]``.

Builds a fixed-seed set of varied profiles (all titles, years, municipalities, occupations),
then measures profiles per second for ``evaluate`` on already parsed profiles, for
``parse_profile`` + ``evaluate`` from dicts, and for parse + evaluate + ``to_dict`` (what the
API and the CLI do), then for the JSON text: ``json.dumps(result.to_dict())`` with the standard
encoder, and ``result.to_json()``, which writes the same text from memoised parts. Each figure is
the median of several timed rounds after a warm-up round.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import random
import statistics
import sys
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from lotse.rules.directory import municipalities
from lotse.rules.occupations import occupations
from lotse.rules.profile import Profile, parse_profile
from lotse.rules.quickcheck import evaluate
from lotse.rules.thresholds import known_range

SEED = 20261125
LEVELS = ["none", "A1", "A2", "B1", "B2", "C1", "C2"]
KINDS = ["employment"] * 6 + [
    "vocational_training",
    "recognition_partnership",
    "adaptation_measure",
]


def make_profiles(count: int, seed: int = SEED) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    towns = [m.name for m in municipalities()] + ["Stuttgart", "moeglingen", "Leonberg"]
    jobs = [o.name for o in occupations()] + [None] * 40
    first, last = known_range()
    start, span = first, (last - first).days
    # The family (issue 10) draws from its own stream so the rest of each profile stays as before.
    family_rng = random.Random(seed + 1)
    result: list[dict[str, Any]] = []
    for _ in range(count):
        decision = start + timedelta(days=rng.randrange(span + 1))
        birth = decision - timedelta(days=rng.randrange(16 * 365, 64 * 365))
        qtype = rng.choice(["none", "vocational", "vocational", "academic", "academic"])
        # Consistent input only (issue 10 refuses contradictions): degree after the 16th
        # birthday, experience no longer than the years since age 15.
        degree = decision - timedelta(days=rng.randrange(0, (decision - birth).days - 16 * 365 + 1))
        working = max(((decision - birth).days - 15 * 365.25) / 365.25 - 0.1, 0.0)
        result.append(
            {
                "decision_date": decision.isoformat(),
                "worker": {
                    "birth_date": birth.isoformat(),
                    "abroad": rng.random() < 0.95,
                    "german_level": rng.choice(LEVELS),
                    "pension_provision": rng.random() < 0.1,
                    "nationality": rng.choice([None, "SRB", "IND", "COL", "XKX"]),
                },
                "qualification": {
                    "type": qtype,
                    "training_years": rng.choice([None, 1, 1.5, 2, 3, 3.5]),
                    "state_recognised": rng.choice([None, True, True, False]),
                    "recognition": rng.choice(["none", "none", "pending", "full", "partial"]),
                    "reference_occupation": rng.choice(jobs),
                    "anabin_institution": rng.choice([None, "H+", "H+", "H+/-", "H-"]),
                    "anabin_degree_equivalent": rng.choice([None, True, False]),
                    "zab_statement": rng.random() < 0.2,
                    "dab": rng.random() < 0.3,
                    "degree_date": degree.isoformat() if qtype == "academic" else None,
                    "experience_years_last_5": int(rng.uniform(0, min(5, working)) * 10) / 10,
                    "it_experience_years_last_7": int(rng.uniform(0, min(7, working)) * 10) / 10,
                    "it_experience_years_last_5": rng.choice([None, 0.0, min(2.0, working)]),
                    "eqf_level": rng.choice([None, None, 4, 6]),
                },
                "job": {
                    "kind": rng.choice(KINDS),
                    "annual_gross_salary": round(rng.uniform(8_000, 90_000), 2),
                    "duration_months": rng.choice([None, None, 3, 6, 12, 24, 36]),
                    "collective_agreement": rng.random() < 0.3,
                    "shortage_occupation": rng.random() < 0.3,
                    "it_specialist": rng.random() < 0.15,
                    "municipality": rng.choice(towns),
                    "employer_suitable_for_partnership": rng.choice([None, True, False]),
                    "isco_code": rng.choice([None, None, "2512", "2211", "2411", "7233"]),
                },
            }
        )
        if family_rng.random() < 0.3:
            result[-1]["family"] = {
                "spouse": family_rng.random() < 0.8,
                "minor_children": family_rng.choice([0, 0, 1, 2, 3]),
                "spouse_german_level": family_rng.choice([None, "none", "A1", "B1"]),
                "months_after_worker": family_rng.choice([None, 0, 3, 6, 9]),
            }
    return result


def rate(
    label: str,
    count: int,
    body: Callable[[], None],
    rounds: int,
    clock: Callable[[], float] = time.perf_counter,
) -> float:
    body()  # warm-up: loads data files, fills memo caches as production would
    timings = []
    for _ in range(rounds):
        started = clock()
        body()
        timings.append(clock() - started)
    per_second = count / statistics.median(timings)
    print(f"{label:<34} {per_second:>10,.0f} profiles/s   (median of {rounds} rounds)")
    return per_second


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profiles", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument(
        "--cpu",
        action="store_true",
        help="time by the process's CPU time, not wall time (on a loaded, shared machine the "
        "pinned core is mostly spent on other processes; wall time then measures the load)",
    )
    args = parser.parse_args()
    clock = time.process_time if args.cpu else time.perf_counter

    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    raw = make_profiles(args.profiles)
    parsed: list[Profile] = [parse_profile(item) for item in raw]
    eligible = sum(1 for p in parsed if evaluate(p).recommended is not None)
    # The inputs and the ruleset live as long as the process, as in a server that froze its
    # start-up heap: without this, every full collection walks the 5,000 stored profiles and the
    # figures measured the benchmark's own heap (a third of to_dict's time, varying run to run).
    gc.collect()
    gc.freeze()
    print(
        f"lotse.rules Quick-Check benchmark — Python {platform.python_version()}, "
        f"{args.profiles} fixed-seed profiles (seed {SEED}), {eligible} with a recommendation, "
        f"one core{', CPU time' if args.cpu else ''}"
    )

    def only_evaluate() -> None:
        for profile in parsed:
            evaluate(profile)

    def parse_and_evaluate() -> None:
        for item in raw:
            evaluate(parse_profile(item))

    def parse_evaluate_dict() -> None:
        for item in raw:
            evaluate(parse_profile(item)).to_dict()

    rate("evaluate (parsed profiles)", len(parsed), only_evaluate, args.rounds, clock)
    rate("parse_profile + evaluate", len(raw), parse_and_evaluate, args.rounds, clock)

    def parse_evaluate_json() -> None:
        for item in raw:
            json.dumps(evaluate(parse_profile(item)).to_dict())

    def parse_evaluate_to_json() -> None:
        for item in raw:
            evaluate(parse_profile(item)).to_json()

    rate("parse_profile + evaluate + to_dict", len(raw), parse_evaluate_dict, args.rounds, clock)
    rate("parse + evaluate + to_dict + JSON", len(raw), parse_evaluate_json, args.rounds, clock)
    rate("parse + evaluate + to_json", len(raw), parse_evaluate_to_json, args.rounds, clock)


if __name__ == "__main__":
    main()
