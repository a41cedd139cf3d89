"""Value types of the deadline engine: clock definitions, suspensions, extensions, status."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal, get_args

from lotse.clocks.calendar import Language, Region

# working_days: Monday–Friday without BW public holidays ("Arbeitstage").
# werktage: Monday–Saturday without BW public holidays, the legal meaning of "Werktage".
Unit = Literal["calendar_days", "working_days", "werktage", "weeks", "months"]
UNITS: tuple[Unit, ...] = get_args(Unit)

# deadline: someone must act by the due date; validity: something expires on the due date;
# fiction: silence until the due date has a legal effect (Zustimmungsfiktion).
Kind = Literal["deadline", "validity", "fiction"]
KINDS: tuple[Kind, ...] = get_args(Kind)

Party = Literal["abh", "recognition_body", "ba", "mission", "worker", "employer"]
PARTIES: tuple[Party, ...] = get_args(Party)

# halt: the suspended days do not count (Hemmung, § 209 BGB by analogy);
# restart: the whole period runs afresh from the end of the suspension.
SuspensionEffect = Literal["halt", "restart"]
SUSPENSION_EFFECTS: tuple[SuspensionEffect, ...] = get_args(SuspensionEffect)

State = Literal["running", "due_soon", "overdue", "suspended", "met", "expired", "deemed"]
STATES: tuple[State, ...] = get_args(State)


@dataclass(frozen=True, slots=True, kw_only=True)
class Clock:
    """One statutory clock, as defined in ``data/clocks.toml``."""

    code: str
    label_de: str
    label_en: str
    kind: Kind
    legal_basis: str
    source: str
    starts_on: str
    stops_on: str
    unit: Unit
    amount: int
    shifts_end: bool
    suspendable: bool
    suspension_effect: SuspensionEffect
    runs_against: Party
    binding: bool
    warn_working_days: int
    note: str = ""
    # Whose public holidays count (§ 31 VwVfG for federal authorities, the body's Land otherwise).
    calendar: Region = "BW"
    # At most this many extensions (None: no limit in the law).
    max_extensions: int | None = None
    # The clock applies only to these residence titles / recognition bodies (empty: all).
    titles: tuple[str, ...] = ()
    bodies: tuple[str, ...] = ()
    # Legal basis for health professions, whose own law sets the period (e.g. PflAPrV, BÄO).
    health_legal_basis: str = ""

    def applies_to_title(self, title: str) -> bool:
        return not self.titles or title in self.titles

    def applies_to_body(self, body: str) -> bool:
        return not self.bodies or body in self.bodies

    def label(self, language: Language = "de") -> str:
        return self.label_de if language == "de" else self.label_en

    @property
    def unverified(self) -> bool:
        return "[UNVERIFIED]" in self.note


@dataclass(frozen=True, slots=True)
class Suspension:
    """A span during which a suspendable clock does not run, both days included.

    `end` is None while the suspension is still open (documents requested, not yet received).
    """

    start: dt.date
    end: dt.date | None = None

    def __post_init__(self) -> None:
        if self.end is not None and self.end < self.start:
            raise ValueError(f"suspension ends ({self.end}) before it starts ({self.start})")

    @property
    def is_open(self) -> bool:
        return self.end is None

    def covers(self, day: dt.date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


@dataclass(frozen=True, slots=True)
class Extension:
    """A lengthening of the period by `days` units of `unit` (the name follows the case model)."""

    days: int
    unit: Unit
    reason: str

    def __post_init__(self) -> None:
        if self.days < 1:
            raise ValueError("an extension must lengthen the period by at least one unit")
        if self.unit not in UNITS:
            raise ValueError(f"unknown unit {self.unit!r}")
        if not self.reason.strip():
            raise ValueError("an extension needs a reason")


@dataclass(frozen=True, slots=True, kw_only=True)
class ClockStatus:
    """Where a clock stands on a given day.

    `due` is the last day of the period (for validity clocks: the last day of validity), None
    while an open suspension halts the clock. `days_left`/`working_days_left` count from the
    day of the status to `due` (negative once it has passed) and are None for a stopped or
    halted clock. `late` is True when the clock was stopped after its due date.
    """

    code: str
    kind: Kind
    state: State
    due: dt.date | None
    days_left: int | None
    working_days_left: int | None
    late: bool = False

    @property
    def is_overdue(self) -> bool:
        return self.state == "overdue"
