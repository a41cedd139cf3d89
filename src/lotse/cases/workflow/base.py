"""The vocabulary of the workflow: parties, tracks, the Step record, the refusals."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from lotse.cases.models import (
    BaState,
    Case,
    CaseState,
    RecognitionState,
    Title,
)

if TYPE_CHECKING:
    from lotse.accounts.models import User

Party = Literal["company", "chamber", "abh"]
Track = Literal["state", "recognition_state", "ba_state"]
# forward: moves the case on along its path; record: records a fact without a state change;
# exception: ends or sends back the case.
Kind = Literal["forward", "record", "exception"]

COMPANY: frozenset[Party] = frozenset({"company"})
CHAMBER: frozenset[Party] = frozenset({"chamber"})
ABH: frozenset[Party] = frozenset({"abh"})
COMPANY_OR_CHAMBER: frozenset[Party] = frozenset({"company", "chamber"})
ANY_PARTY: frozenset[Party] = frozenset({"company", "chamber", "abh"})

S, R, B = CaseState, RecognitionState, BaState

ENDED: frozenset[str] = frozenset(
    {S.CLOSED, S.WITHDRAWN, S.TERMINATED, S.REJECTED, S.PREAPPROVAL_EXPIRED, S.VISA_REFUSED}
)
# The main line in order; the timeline and the "next step" read it.
MAIN_LINE: tuple[str, ...] = (
    S.ADVICE,
    S.COLLECTING_DOCUMENTS,
    S.COMPLETENESS_CHECK,
    S.POWERS_SIGNED,
    S.FORWARDED,
    S.INTAKE_ACCEPTED,
    S.AGREEMENT_CONCLUDED,
    S.PREAPPROVAL_ISSUED,
    S.VISA_APPOINTMENT_REQUESTED,
    S.VISA_APPLIED,
    S.VISA_ISSUED,
    S.ENTERED,
    S.REGISTERED,
    S.RESIDENCE_PERMIT_APPLIED,
    S.RESIDENCE_PERMIT_ISSUED,
    S.ONBOARDING,
    S.CLOSED,
)
BEFORE_ENTRY: tuple[str, ...] = (*MAIN_LINE[: MAIN_LINE.index(S.VISA_ISSUED) + 1], S.RETURNED)
OPEN_STATES: tuple[str, ...] = (*MAIN_LINE[:-1], S.RETURNED)

RECOGNITION_SATISFIED = frozenset({R.NOT_REQUIRED, R.DECIDED_FULL})
BA_SATISFIED = frozenset({B.NOT_REQUIRED, B.APPROVED, B.DEEMED_APPROVED})
# § 81a Abs. 3 Satz 2: after partial equivalence the procedure may continue towards § 16d.
TITLES_ACCEPTING_PARTIAL = frozenset({Title.T16D1})


# --------------------------------------------------------------------------- data of a step


FieldKind = Literal["date", "text", "longtext", "choice", "body", "int", "clock"]


@dataclass(frozen=True)
class StepField:
    """One value a step records; the web form and the API body are built from these."""

    name: str
    kind: FieldKind
    label: Promise
    required: bool = True
    choices: tuple[tuple[str, Promise], ...] = ()
    help_text: Promise | None = None
    # A date that may lie ahead (an appointment, a validity); any other date is not in the future.
    future: bool = False
    # A date that follows the steps recorded before (False: e.g. the day a document was signed).
    ordered: bool = True


OCCURRED_ON = StepField("occurred_on", "date", _("Date"), required=False,
                        help_text=_("The day it happened; today if left empty."))  # fmt: skip
REASON = StepField("reason", "longtext", _("Reason"))
NOTE = StepField("reason", "longtext", _("Note"), required=False)
REFERENCE = StepField("reference", "text", _("Reference of the other authority"), required=False)
UNITS: tuple[tuple[str, Promise], ...] = (
    ("calendar_days", _("calendar days")),
    ("working_days", _("working days")),
    ("weeks", _("weeks")),
    ("months", _("months")),
)


@dataclass(frozen=True)
class StepInput:
    """What a step runs with: the cleaned data, the day it happened, who recorded it."""

    actor: User
    today: dt.date
    occurred_on: dt.date
    data: Mapping[str, Any]


@dataclass(frozen=True)
class Guard:
    """A condition on the case; ``check`` returns None when it holds, else the reason it does not."""

    code: str
    check: Callable[[Case, dt.date], str | None]


@dataclass(frozen=True)
class Event:
    """A clock event a step emits, dated by one of its date fields.

    ``{recognition}`` in the code becomes ``recognition`` or ``comparability`` by the case's
    kind of recognition (the ZAB statement runs on its own clock).
    """

    code: str
    date_field: str = "occurred_on"
    when: Callable[[Case], bool] | None = None


@dataclass(frozen=True)
class Step:
    name: str
    label: Promise  # what the user does, as a command ("Accept the file")
    done_label: Promise  # the event in the history, in the past tense ("File accepted")
    track: Track
    sources: tuple[str, ...]
    target: str | None
    parties: frozenset[Party]
    legal_basis: str
    kind: Kind = "forward"
    fields: tuple[StepField, ...] = (OCCURRED_ON,)
    guards: tuple[Guard, ...] = ()
    events: tuple[Event, ...] = ()
    suspends: str | None = None  # "recognition" | "ba": halts that track's clocks
    resumes: str | None = None
    record: Callable[[Case, StepInput], dict[str, Any] | None] | None = None
    # Who acts in the world when the step is awaited (the ABH records it in Lotse).
    awaits: Promise | None = None
    # How the step reads as "the next step" while it is awaited (the label says what is recorded).
    pending_label: Promise | None = None
    # A step without its own date field happened on the latest of these fields (else today).
    dated_by: tuple[str, ...] = ()
    # Clocks whose purpose the step ends (a step that ends the case closes every clock).
    closes: tuple[str, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def next_label(self) -> Promise:
        return self.pending_label if self.pending_label is not None else self.label


# --------------------------------------------------------------------------- running a step


class StepRefusedError(Exception):
    """A step that cannot be taken; ``code`` names the reason for machines, ``message`` for people."""

    status = 409

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class UnknownStepError(StepRefusedError):
    status = 422


class NotYourStepError(StepRefusedError):
    status = 403


class WrongStateError(StepRefusedError):
    pass


class GuardFailedError(StepRefusedError):
    pass


def track_state(case: Case, step: Step) -> str:
    return str(getattr(case, step.track))


PARTY_LABELS: dict[str, Promise] = {
    "company": _("the company"),
    "chamber": _("the chamber"),
    "abh": _("the immigration office"),
}


def party_labels(parties: frozenset[Party] | set[str]) -> str:
    order = ("company", "chamber", "abh")
    return ", ".join(str(PARTY_LABELS[p]) for p in order if p in parties)


def state_label(track: str, value: str) -> str:
    choices = {
        "state": CaseState.choices,
        "recognition_state": RecognitionState.choices,
        "ba_state": BaState.choices,
    }[track]
    return str(dict(choices).get(value, value))


AWAIT_BODY = _("the recognition body")
AWAIT_BA = _("the Federal Employment Agency")
AWAIT_MISSION = _("the German mission abroad")
AWAIT_WORKER = _("the worker")


def format_date(day: dt.date | None) -> str:
    return "–" if day is None else date_format(day, "SHORT_DATE_FORMAT")
