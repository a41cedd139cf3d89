"""Expected dates of a case's remaining milestones: the statutory bound and the empirical estimate.

Framework-free (no Django): the services hand in the case's situation and its peers' phase
lengths, so the rules can be tested on synthetic histories. docs/statistics.md defines both.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from lotse import clocks as engine

# The remaining milestones shown to the company, in order, with the facts field that dates them.
MILESTONES: tuple[str, ...] = ("preapproval", "visa_appointment", "visa", "entry")
MILESTONE_FIELD: dict[str, str] = {
    "preapproval": "preapproved_on",
    "visa_appointment": "appointment_on",
    "visa": "visa_issued_on",
    "entry": "entered_on",
}
# The events an estimate may count from, in procedure order (the latest one reached is used).
ANCHORS: tuple[str, ...] = (
    "started_on",
    "forwarded_on",
    "accepted_on",
    "preapproved_on",
    "appointment_on",
    "visa_issued_on",
    "entered_on",
)
MINIMUM_PEERS = 20
PEER_WINDOW_DAYS = 365

RECOGNITION_OPEN = frozenset({"pending", "initiated", "receipt_confirmed", "documents_requested",
                              "file_complete"})  # fmt: skip
BA_OPEN = frozenset({"pending", "requested", "information_requested"})


def percentile(sorted_values: Sequence[int], share: float) -> float:
    """The ``share`` quantile by linear interpolation between closest ranks (like numpy's
    default and PostgreSQL's percentile_cont); ``sorted_values`` must be sorted and non-empty."""
    if not sorted_values:
        raise ValueError("no values")
    position = (len(sorted_values) - 1) * share
    low = math.floor(position)
    high = math.ceil(position)
    if low == high:
        return float(sorted_values[low])
    return sorted_values[low] + (sorted_values[high] - sorted_values[low]) * (position - low)


@dataclass(frozen=True)
class Empirical:
    median: dt.date
    low: dt.date  # 10th percentile: the start of the 80 % range
    high: dt.date  # 90th percentile
    peers: int


@dataclass(frozen=True)
class PeerLengths:
    """The phase lengths (days) of comparable closed cases, reduced once to what an estimate
    needs. The nightly refresh asks the same few hundred peer groups for every open case (about
    700,000 at a million cases); sorting tens of thousands of lengths per case cost 95 % of it."""

    count: int
    p10: float = 0.0
    p50: float = 0.0
    p90: float = 0.0

    @classmethod
    def of(cls, lengths: Iterable[int]) -> PeerLengths:
        ordered = sorted(lengths)
        if not ordered:
            return cls(count=0)
        return cls(
            count=len(ordered),
            p10=percentile(ordered, 0.1),
            p50=percentile(ordered, 0.5),
            p90=percentile(ordered, 0.9),
        )


def empirical(
    anchor_day: dt.date,
    lengths: Sequence[int] | PeerLengths,
    today: dt.date,
    minimum: int = MINIMUM_PEERS,
) -> Empirical | None:
    """The median and 80 % range of ``lengths`` (days) counted from ``anchor_day``; None when
    fewer than ``minimum`` peers finished the phase (never a made-up figure).

    A date already past is moved to today: the case has not got there yet, so it cannot lie
    behind us."""
    peers = lengths if isinstance(lengths, PeerLengths) else PeerLengths.of(lengths)
    if peers.count < minimum:
        return None

    def day(length: float) -> dt.date:
        return max(today, anchor_day + dt.timedelta(days=round(length)))

    return Empirical(
        median=day(peers.p50), low=day(peers.p10), high=day(peers.p90), peers=peers.count
    )


@dataclass(frozen=True)
class Situation:
    """What the statutory bound depends on: the case's title, tracks, reached days, open clocks."""

    title: str
    state: str
    recognition_state: str
    recognition_path: str  # "recognition" | "comparability"
    body_code: str
    ba_state: str
    reached: Mapping[str, dt.date | None]  # facts fields → day (MILESTONE_FIELD values)
    # Open clocks of the case: code → due date (None while a suspension halts the clock).
    open_dues: Mapping[str, dt.date | None] = field(default_factory=dict)


@dataclass(frozen=True)
class Bound:
    day: dt.date | None
    halted: bool = False  # a clock on the way is halted (documents requested): no bound now
    clocks: tuple[str, ...] = ()  # the clocks the bound is made of


def _due(code: str, start: dt.date) -> dt.date | None:
    return engine.compute_due(engine.clock(code), start)


def _running_or_new(s: Situation, code: str, start: dt.date) -> tuple[dt.date | None, bool]:
    if code in s.open_dues:
        due = s.open_dues[code]
        return due, due is None
    return _due(code, start), False


def statutory_bounds(s: Situation, today: dt.date) -> dict[str, Bound]:
    """The latest day each remaining milestone may come if every party uses its full statutory
    period and the next awaited step starts today (docs/statistics.md, "Statutory bound")."""
    bounds: dict[str, Bound] = {}
    # Pre-approval: the ABH issues it once the recognition and the BA are in; the law sets no
    # period for the issue itself, so the bound is the last of the periods it waits for.
    parts: list[dt.date] = []
    used: list[str] = []
    halted = False
    if s.recognition_state in RECOGNITION_OPEN:
        decision = "recognition_decision" if s.recognition_path == "recognition" else (
            "comparability_statement")  # fmt: skip
        if decision in s.open_dues:
            due, stop = _running_or_new(s, decision, today)
        else:
            start = today
            receipt = engine.clock("recognition_receipt")
            if (
                s.recognition_path == "recognition"
                and s.recognition_state in ("pending", "initiated")
                and receipt.applies_to_body(s.body_code)
            ):
                receipt_due, stop_r = _running_or_new(s, "recognition_receipt", today)
                halted = halted or stop_r
                start = max(today, receipt_due) if receipt_due else today
                used.append("recognition_receipt")
            due, stop = _due(decision, start), False
        used.append(decision)
        halted = halted or stop
        if due is not None:
            invite = _due("abh_invitation", due)
            used.append("abh_invitation")
            parts.append(invite or due)
    if s.ba_state in BA_OPEN:
        due, stop = _running_or_new(s, "ba_deemed_approval", today)
        halted = halted or stop
        used.append("ba_deemed_approval")
        if due is not None:
            parts.append(due)
    pre = s.reached.get("preapproved_on")
    if pre is None:
        if halted:
            bounds["preapproval"] = Bound(None, halted=True, clocks=tuple(used))
        else:
            bounds["preapproval"] = Bound(max(parts) if parts else None, clocks=tuple(used))
    base = pre or bounds["preapproval"].day
    # Visa appointment: three weeks from the worker's request (asked for on the day of the
    # pre-approval at the earliest).
    appointment = s.reached.get("appointment_on")
    if appointment is None:
        if base is None:
            bounds["visa_appointment"] = Bound(None, halted=halted)
        else:
            due, stop = _running_or_new(s, "visa_appointment", max(base, today))
            bounds["visa_appointment"] = Bound(due, halted=stop, clocks=("visa_appointment",))
    base = appointment or bounds["visa_appointment"].day
    visa = s.reached.get("visa_issued_on")
    if visa is None:
        if base is None:
            bounds["visa"] = Bound(None, halted=halted)
        else:
            due, stop = _running_or_new(s, "visa_decision", max(base, today))
            bounds["visa"] = Bound(due, halted=stop, clocks=("visa_decision",))
    base = visa or bounds["visa"].day
    if s.reached.get("entered_on") is None:
        # Entry: no period of its own; the worker must enter while the visa is valid.
        if base is None:
            bounds["entry"] = Bound(None, halted=halted)
        else:
            due, stop = _running_or_new(s, "visa_validity", max(base, today))
            bounds["entry"] = Bound(due, halted=stop, clocks=("visa_validity",))
    return bounds


def anchor_of(milestone: str, reached: Mapping[str, dt.date | None]) -> str:
    """The latest event before ``milestone`` that the case has reached (counted from)."""
    limit = ANCHORS.index(MILESTONE_FIELD[milestone])
    found = "started_on"
    for name in ANCHORS[:limit]:
        if reached.get(name) is not None:
            found = name
    return found


def remaining(reached: Mapping[str, dt.date | None]) -> list[str]:
    return [m for m in MILESTONES if reached.get(MILESTONE_FIELD[m]) is None]
