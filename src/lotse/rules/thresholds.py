"""Salary thresholds by decision date (``data/thresholds.toml``, domain.md § 2.1).

Amounts are held in integer cents so that a salary equal to the published amount meets it
exactly, without float rounding deciding a legal question.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache, lru_cache
from itertools import pairwise
from typing import Final, Literal

from lotse.rules._data import load

ThresholdKind = Literal[
    "blue_card_general",
    "blue_card_reduced",
    "experience_19c2",
    "age45",
    "training_livelihood_monthly",
]
THRESHOLD_KINDS: Final[tuple[ThresholdKind, ...]] = (
    "blue_card_general",
    "blue_card_reduced",
    "experience_19c2",
    "age45",
    "training_livelihood_monthly",
)


class NoThresholdsError(LookupError):
    """No salary thresholds are known for the requested decision date."""

    def __init__(self, on: date, known_from: date, known_until: date) -> None:
        self.on = on
        self.known_from = known_from
        self.known_until = known_until
        super().__init__(
            f"no salary thresholds are known for decision date {on.isoformat()}: the rule data "
            f"covers {known_from.isoformat()} to {known_until.isoformat()}; add the BMI "
            f"Bekanntmachung for {on.year} to lotse/rules/data/thresholds.toml"
        )


@dataclass(frozen=True)
class Threshold:
    kind: ThresholdKind
    cents: int
    legal_basis: str
    source: str

    @property
    def amount(self) -> float:
        return self.cents / 100


@dataclass(frozen=True)
class ThresholdPeriod:
    valid_from: date
    valid_until: date
    bbg_pension_cents: int
    note: str
    values: dict[ThresholdKind, Threshold]

    def get(self, kind: ThresholdKind) -> Threshold | None:
        """The threshold of ``kind``, or None when the rule is not in force in this period."""
        return self.values.get(kind)


def to_cents(amount: float) -> int:
    return round(amount * 100)


@cache
def periods() -> tuple[ThresholdPeriod, ...]:
    raw = load("thresholds")
    result: list[ThresholdPeriod] = []
    for p in raw["period"]:
        values: dict[ThresholdKind, Threshold] = {}
        for kind in THRESHOLD_KINDS:
            entry = p.get(kind)
            if entry is not None:
                values[kind] = Threshold(
                    kind=kind,
                    cents=to_cents(float(entry["amount"])),
                    legal_basis=entry["legal_basis"],
                    source=entry["source"],
                )
        result.append(
            ThresholdPeriod(
                valid_from=p["valid_from"],
                valid_until=p["valid_until"],
                bbg_pension_cents=to_cents(float(p["bbg_pension"])),
                note=p.get("note", ""),
                values=values,
            )
        )
    result.sort(key=lambda item: item.valid_from)
    for earlier, later in pairwise(result):
        if (later.valid_from - earlier.valid_until).days != 1:
            raise ValueError(
                f"threshold periods must be contiguous: {earlier.valid_until} → {later.valid_from}"
            )
    return tuple(result)


def thresholds_version() -> str:
    version: str = load("thresholds")["version"]
    return version


@cache
def published_range() -> tuple[date, date]:
    """First and last day covered by published amounts in the data."""
    all_periods = periods()
    return all_periods[0].valid_from, all_periods[-1].valid_until


@cache
def provisional_years() -> int:
    """Calendar years after the last published one that are answered with its amounts."""
    return int(load("thresholds")["provisional"]["years"])


@cache
def known_range() -> tuple[date, date]:
    """Decision dates the engine answers: published years plus the provisional horizon.

    After the last published year the latest amounts apply provisionally (with a warning, see
    ``is_provisional``): the BMI publishes the next year's amounts only weeks before 1 January.
    """
    first, last = published_range()
    return first, date(last.year + provisional_years(), 12, 31)


def is_provisional(on: date) -> bool:
    """True when ``on`` lies after the last published year (latest amounts used provisionally)."""
    return on > published_range()[1]


@lru_cache(maxsize=4096)
def period_for(on: date) -> ThresholdPeriod:
    """The threshold period containing ``on``; raises NoThresholdsError outside the data.

    Within the provisional horizon after the last published year, the last period is returned.
    """
    for period in periods():
        if period.valid_from <= on <= period.valid_until:
            return period
    first, last = known_range()
    if first <= on <= last:
        return periods()[-1]
    raise NoThresholdsError(on, first, last)


def threshold(kind: ThresholdKind, on: date) -> Threshold | None:
    """Threshold of ``kind`` on ``on``; None when the rule is not in force then.

    Raises NoThresholdsError when the data does not cover ``on``.
    """
    return period_for(on).get(kind)
