"""Input contract of the Quick-Check (issue 3), shared by the CLI, the API and Python callers.

The pydantic models reject unknown fields by name (``extra="forbid"``); booleans and numbers are
strict so that "yes" or "50000" are reported instead of silently coerced.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from lotse.rules import occupations, thresholds
from lotse.rules._data import load

GermanLevel = Literal["none", "A1", "A2", "B1", "B2", "C1", "C2"]
QualificationType = Literal["none", "vocational", "academic"]
RecognitionStatus = Literal["none", "pending", "full", "partial", "rejected"]
AnabinInstitution = Literal["H+", "H+/-", "H-"]
JobKind = Literal[
    "employment", "vocational_training", "recognition_partnership", "adaptation_measure"
]


def _iso_date(value: Any) -> Any:
    # Lax pydantic would read a number as a Unix timestamp; a decision date must be explicit.
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise PydanticCustomError(
                "iso_date",
                "expected a date in the form YYYY-MM-DD, got {value}",
                {"value": repr(value)},
            ) from None
    if isinstance(value, date) and not hasattr(value, "hour"):
        return value
    raise PydanticCustomError("iso_date", "expected a date in the form YYYY-MM-DD")


IsoDate = Annotated[date, BeforeValidator(_iso_date)]


def _whole_number(value: Any) -> Any:
    # JSON has one number type and JSON Schema counts 12.0 as an integer; strings stay errors.
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


Years = Annotated[float, Field(strict=True, ge=0, allow_inf_nan=False)]


class _Contract(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Worker(_Contract):
    birth_date: IsoDate
    abroad: StrictBool = Field(description="habitual residence outside Germany")
    german_level: GermanLevel
    pension_provision: StrictBool = Field(
        default=False, description="adequate old-age provision proven (age-45 rule)"
    )
    nationality: Annotated[str, Field(pattern=r"^[A-Z]{3}$")] | None = Field(
        default=None, description="ISO 3166-1 alpha-3 (XKX for Kosovo)"
    )


class Qualification(_Contract):
    type: QualificationType
    training_years: Annotated[Years, Field(le=20)] | None = None
    state_recognised: StrictBool | None = None
    recognition: RecognitionStatus = Field(
        default="none", description="German equivalence decision already held"
    )
    reference_occupation: Annotated[str, Field(max_length=200)] | None = Field(
        default=None, description="name from the reference-occupation catalogue"
    )
    regulated: StrictBool | None = Field(
        default=None, description="derived from the catalogue when absent"
    )
    anabin_institution: AnabinInstitution | None = None
    anabin_degree_equivalent: StrictBool | None = None
    zab_statement: StrictBool = False
    dab: StrictBool = False
    degree_date: IsoDate | None = None
    eqf_level: (
        Annotated[int, Field(strict=True, ge=1, le=8), BeforeValidator(_whole_number)] | None
    ) = Field(
        default=None, description="EQF level of the qualification (§ 18g Abs. 1 Satz 5 AufenthG)"
    )
    experience_years_last_5: Annotated[Years, Field(le=5)] = 0.0
    it_experience_years_last_7: Annotated[Years, Field(le=7)] = 0.0
    it_experience_years_last_5: Annotated[Years, Field(le=5)] | None = Field(
        default=None,
        description="IT experience in the last 5 years (§ 6 Abs. 1 Satz 3 BeschV); "
        "absent = experience_years_last_5 for an IT job",
    )

    @field_validator("reference_occupation")
    @classmethod
    def _known_occupation(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        if occupations.lookup(value) is None:
            suggestions = occupations.suggest(value)
            hint = f"; did you mean: {', '.join(suggestions)}" if suggestions else ""
            raise PydanticCustomError(
                "unknown_occupation",
                "unknown reference occupation {value}{hint}",
                {"value": repr(value), "hint": hint},
            )
        return value


class Job(_Contract):
    kind: JobKind
    annual_gross_salary: Annotated[
        float, Field(strict=True, ge=0, le=100_000_000, allow_inf_nan=False)
    ]
    duration_months: (
        Annotated[int, Field(strict=True, ge=1, le=1200), BeforeValidator(_whole_number)] | None
    ) = Field(default=None, description="null = unlimited")
    collective_agreement: StrictBool = False
    shortage_occupation: StrictBool = False
    isco_code: Annotated[str, Field(pattern=r"^[0-9]{1,4}$")] | None = Field(
        default=None,
        description="ISCO-08 code of the job (shortage groups of § 18g Abs. 1 Satz 2 Nr. 1)",
    )
    it_specialist: StrictBool = False
    municipality: Annotated[str, Field(min_length=1, max_length=100)] = Field(
        description="municipality of the Betriebsstätte"
    )
    employer_suitable_for_partnership: StrictBool | None = None
    start_date: IsoDate | None = Field(
        default=None,
        description="planned start of employment (age rule of § 1 Abs. 2 BeschV); "
        "absent = decision_date",
    )
    end_date: IsoDate | None = Field(default=None, description="agreed end of employment")


class Family(_Contract):
    """Family members who join the worker (§ 81a Abs. 4 AufenthG); every field is optional."""

    spouse: StrictBool = Field(default=False, description="the spouse joins (§ 30 AufenthG)")
    minor_children: Annotated[
        int, Field(strict=True, ge=0, le=20), BeforeValidator(_whole_number)
    ] = Field(default=0, description="minor unmarried children who join (§ 32 AufenthG)")
    spouse_german_level: GermanLevel | None = Field(
        default=None, description="the spouse's German (§ 30 Abs. 1 Satz 1 Nr. 2 AufenthG)"
    )
    months_after_worker: (
        Annotated[int, Field(strict=True, ge=0, le=120), BeforeValidator(_whole_number)] | None
    ) = Field(
        default=None,
        description="months between the worker's visa application and the family's; "
        "0 or absent = together (§ 81a Abs. 4 AufenthG: in a temporal connection)",
    )


class Profile(_Contract):
    decision_date: IsoDate = Field(description="date the title would be decided")
    application_date: IsoDate | None = Field(
        default=None,
        description="date of the application (career starters, § 18g Abs. 1 Satz 2 Nr. 2); "
        "absent = decision_date",
    )
    worker: Worker
    qualification: Qualification
    job: Job
    family: Family | None = Field(
        default=None, description="spouse and minor children who join (§ 81a Abs. 4 AufenthG)"
    )

    @field_validator("decision_date")
    @classmethod
    def _thresholds_known(cls, value: date) -> date:
        first, last = thresholds.known_range()
        if not first <= value <= last:
            raise PydanticCustomError(
                "no_thresholds",
                "no salary thresholds are known for decision date {value}; the rule data covers "
                "{first} to {last}",
                {"value": value.isoformat(), "first": first.isoformat(), "last": last.isoformat()},
            )
        return value

    @model_validator(mode="after")
    def _born_before_decision(self) -> Profile:
        problem = _contradiction(self)
        if problem is not None:
            path, reason = problem
            raise PydanticCustomError("cross_field", "{reason}", {"path": path, "reason": reason})
        return self


def _contradiction(profile: Profile) -> tuple[str, str] | None:
    """The first pair of inputs that cannot both be true (issue 10), as (path, reason)."""
    birth = profile.worker.birth_date
    q = profile.qualification
    job = profile.job
    if birth >= profile.decision_date:
        return "worker.birth_date", "must be before decision_date"
    if q.degree_date is not None and q.degree_date <= birth:
        return "qualification.degree_date", "must be after worker.birth_date"
    if profile.application_date is not None and profile.application_date > profile.decision_date:
        return "application_date", "must not be after decision_date"
    start = job.start_date
    if job.end_date is not None and start is not None and job.end_date <= start:
        return "job.end_date", "must be after job.start_date"
    # Work experience cannot exceed the years since the minimum working age.
    working_age = int(load("titles")["plausibility"]["min_working_age"])
    working_days = (profile.decision_date - birth).days - working_age * 365.25
    working_years = max(working_days / 365.25, 0.0)
    for name in ("experience_years_last_5", "it_experience_years_last_5",
                 "it_experience_years_last_7"):  # fmt: skip
        years = getattr(q, name)
        if years is not None and years > working_years + 1e-9:
            return (
                f"qualification.{name}",
                f"is longer than the working life since age {working_age} "
                f"({working_years:.1f} years)",
            )
    return None


@dataclass(frozen=True, slots=True)
class FieldProblem:
    path: str  # dotted, e.g. "job.annual_gross_salary"; "" for the document itself
    reason: str


class ProfileError(ValueError):
    """The input does not satisfy the contract; ``problems`` lists every problem found."""

    def __init__(self, problems: list[FieldProblem]) -> None:
        self.problems: tuple[FieldProblem, ...] = tuple(problems)
        super().__init__("; ".join(f"{p.path or '<input>'}: {p.reason}" for p in problems))


def _problem(error: Any) -> FieldProblem:
    path = ".".join(str(part) for part in error["loc"])
    kind = error["type"]
    ctx = error.get("ctx") or {}
    if kind == "cross_field":
        return FieldProblem(path=str(ctx["path"]), reason=str(ctx["reason"]))
    if kind == "extra_forbidden":
        return FieldProblem(path=path, reason="unknown field")
    if kind == "missing":
        return FieldProblem(path=path, reason="required field is missing")
    return FieldProblem(path=path, reason=str(error["msg"]))


def problems_from(error: ValidationError) -> list[FieldProblem]:
    """Field problems of a pydantic ValidationError (for the API's 422 body)."""
    return [_problem(item) for item in error.errors(include_url=False)]


def parse_profile(data: object) -> Profile:
    """Validate parsed JSON against the contract; raises ProfileError listing every problem."""
    if not isinstance(data, dict):
        raise ProfileError([FieldProblem(path="", reason="expected a JSON object")])
    try:
        return Profile.model_validate(data)
    except ValidationError as error:
        raise ProfileError(problems_from(error)) from None
