"""API of the advice area: the Quick-Check and the advisory records.

No ``from __future__ import annotations`` here: ninja resolves the annotations at import.
"""

from datetime import date, datetime
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema, Status
from ninja.pagination import paginate
from ninja.renderers import JSONRenderer
from pydantic import GetJsonSchemaHandler, RootModel, ValidationError
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema

from lotse.access import Action, can, organisations_visible_to, require
from lotse.accounts.models import User
from lotse.advice.library import Contact as LibraryContact
from lotse.advice.library import library, source_urls
from lotse.advice.models import AdvisoryRecord, ContactDetails
from lotse.advice.pdf import advisory_record_pdf, advisory_record_pdf_name
from lotse.advice.presenters import current_language
from lotse.advice.selectors import (
    advisory_record_list,
    contact_as_shown,
    kept_contact_data,
    library_contact,
)
from lotse.advice.services import (
    ContactDetailsConflictError,
    advisory_record_create,
    contact_details_save,
)
from lotse.api.errors import COMMON_ERRORS, OBJECT_ERRORS, ApiError, ErrorOut
from lotse.api.pagination import Pagination
from lotse.api.schemas import OBJECT_ID
from lotse.rules import Profile, evaluate, thresholds
from lotse.rules.occupations import occupations
from lotse.rules.profile import problems_from
from lotse.rules.quickcheck import QuickCheckResult

router = Router(tags=["advice"])

WRITE_ERRORS: dict[int, type[Schema]] = {**OBJECT_ERRORS, 403: ErrorOut}

TitleCode = Literal["16a", "16d1", "16d3", "18a", "18b", "18g", "19c2"]


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


# --------------------------------------------------------------------------- input


class QuickCheckProfile(RootModel[dict[str, Any]]):
    """The engine's input contract (``lotse.rules.Profile``), checked by the engine itself.

    The OpenAPI document shows the Profile schema; the body is validated inside the endpoint with
    the engine's model, so that the 422 names fields exactly as the CLI does (``worker.shoe_size:
    unknown field``, and model-level errors such as ``worker.birth_date``).
    """

    @classmethod
    def __get_pydantic_json_schema__(
        cls, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        schema = handler(Profile.__pydantic_core_schema__)
        _document_rules_outside_json_schema(schema, handler)
        return schema


_DAY = r"-(?:0[1-9]|1[0-2])-(?:0[1-9]|1\d|2[0-8])$"


def _years_pattern(first: int, last: int) -> str:
    return "^(?:" + "|".join(str(year) for year in range(first, last + 1)) + ")" + _DAY


def _document_rules_outside_json_schema(
    schema: JsonSchemaValue, handler: GetJsonSchemaHandler
) -> None:
    """Say in the schema what the engine checks beyond types, so clients can get it right.

    The decision date must lie in the years the salary thresholds are known for; the birth date
    before it; the reference occupation must be in the catalogue. The patterns are a little
    stricter than the engine (days 01–28), never looser.
    """
    first, last = thresholds.known_range()
    properties = schema["properties"]
    properties["decision_date"]["pattern"] = _years_pattern(first.year, last.year)
    properties["decision_date"]["description"] = (
        f"date the title would be decided; salary thresholds are known from "
        f"{first.isoformat()} to {last.isoformat()}"
    )
    worker = handler.resolve_ref_schema(properties["worker"])
    # Contradictions are refused (issue 10), so the patterns keep the dates apart: a birth at
    # least 23 years before the first decision year (experience cannot exceed the working life),
    # a degree after it, an application before the decision, an end after the start.
    worker["properties"]["birth_date"]["pattern"] = _years_pattern(1940, first.year - 23)
    worker["properties"]["birth_date"]["description"] = (
        "must be before decision_date; work experience cannot exceed the years since age 15"
    )
    properties["application_date"]["pattern"] = _years_pattern(2000, first.year - 1)
    properties["application_date"]["description"] = "not after decision_date"
    qualification = handler.resolve_ref_schema(properties["qualification"])
    qualification["properties"]["degree_date"]["pattern"] = _years_pattern(
        first.year - 22, last.year
    )
    qualification["properties"]["degree_date"]["description"] = "after worker.birth_date"
    job = handler.resolve_ref_schema(properties["job"])
    job["properties"]["start_date"]["pattern"] = _years_pattern(first.year, last.year)
    job["properties"]["end_date"]["pattern"] = _years_pattern(last.year + 1, last.year + 10)
    job["properties"]["end_date"]["description"] = "after job.start_date"
    names = sorted({o.name for o in occupations()})
    qualification["properties"]["reference_occupation"] = {
        "anyOf": [{"type": "string", "enum": names}, {"type": "null"}],
        "default": None,
        "description": (
            "name from the reference-occupation catalogue (lookup also tolerates case, "
            "umlaut spelling and gender forms)"
        ),
        "title": "Reference Occupation",
    }


def _profile(data: dict[str, Any], prefix: str = "") -> Profile:
    try:
        return Profile.model_validate(data)
    except ValidationError as error:
        raise ApiError(
            422,
            "invalid_input",
            _("The request contains invalid values; see field_errors."),
            [
                {"field": prefix + (p.path or "__all__"), "message": p.reason}
                for p in problems_from(error)
            ],
        ) from None


# --------------------------------------------------------------------------- output contract


class QuickCheckFindingOut(Schema):
    code: str
    message_de: str
    message_en: str
    legal_basis: str


class RecognitionOut(Schema):
    required: bool = Field(description="still to be obtained inside the procedure")
    body: (
        Literal[
            "ihk-fosa",
            "hwk-region-stuttgart",
            "rp-stuttgart",
            "rp-stuttgart-zeugnisanerkennung",
            "rp-tuebingen-lehrkraefte",
            "zab",
        ]
        | None
    )
    kind: Literal["equivalence", "comparability", "dab"] | None


class DocumentItemOut(Schema):
    code: str
    requirement: Literal["mandatory", "conditional"]
    translation: str


class OptionOut(Schema):
    title: TitleCode
    label_de: str
    label_en: str
    eligible: bool
    accelerated_procedure: bool
    ba_approval: Literal["required", "not_required"]
    salary_threshold: float | None = Field(description="EUR per year; null when none applies")
    recognition: RecognitionOut
    # C2: speech therapists in Baden-Württemberg (RP Stuttgart; docs/rules.md).
    language_requirement: Literal["A2", "B1", "B2", "C1", "C2"] | None
    blockers: list[QuickCheckFindingOut]
    warnings: list[QuickCheckFindingOut]
    legal_basis: list[str]
    documents: list[DocumentItemOut]


class AuthorityOut(Schema):
    code: str | None
    name: str | None
    cooperation: bool = Field(description="takes part in the chamber cooperation on decision_date")


class ReasonOut(Schema):
    code: str
    message_de: str
    message_en: str


class RecommendationOut(Schema):
    title: TitleCode
    label_de: str
    label_en: str
    reasons: list[ReasonOut]


class StepOut(Schema):
    code: str
    actor: str
    label_de: str
    label_en: str
    deadline_de: str
    deadline_en: str
    legal_basis: str


class FeeOut(Schema):
    code: str
    label_de: str
    label_en: str
    min: float
    max: float
    payer: Literal["employer", "worker"]
    legal_basis: str


class OtherRouteOut(Schema):
    code: str
    label_de: str
    label_en: str
    legal_basis: list[str]
    accelerated_procedure: bool
    conditions_de: str
    conditions_en: str


class FamilyOut(Schema):
    covered: bool = Field(description="inside the accelerated procedure (§ 81a Abs. 4 AufenthG)")
    within_months: int = Field(description="months after the worker that practice still accepts")
    spouse: bool
    minor_children: int
    spouse_language: str | None = Field(
        description="German level the spouse needs; null when the law waives it or no spouse"
    )
    items: list[QuickCheckFindingOut] = Field(description="what applies to the family, to read")


class QuickCheckOut(Schema):
    ruleset: str = Field(description="version of the rule data used")
    authority: AuthorityOut
    options: list[OptionOut] = Field(description="one per title, always in the same order")
    recommended: RecommendationOut | None = Field(
        description="the title to pursue, or null when none is eligible"
    )
    other_routes: list[OtherRouteOut] = Field(
        default_factory=list,
        description="routes outside the seven titles that fit the profile (e.g. § 22a BeschV, "
        "Westbalkanregelung), with their conditions",
    )
    family: FamilyOut | None = Field(
        None, description="only when the profile names family members who come along"
    )
    next_steps: list[StepOut] | None = Field(
        None, description="only with with_followups=true: steps and statutory deadlines"
    )
    fees: list[FeeOut] | None = Field(
        None, description="only with with_followups=true: expected fees for the recommended title"
    )


class FollowupsQuery(Schema):
    with_followups: bool = Field(
        False,
        description="also answer next_steps (statutory deadlines) and fees for the recommended title",
    )


@router.post(
    "/quick-check",
    response={200: QuickCheckOut, 400: ErrorOut, **COMMON_ERRORS},
    exclude_unset=True,
    summary="Evaluate a Quick-Check profile",
    description=(
        "Which residence title fits, inside the accelerated procedure (§ 81a AufenthG), with the "
        "legal basis of every answer. The body is the profile of the input contract "
        "(docs/rules.md); unknown and missing fields are named in `field_errors` with the same "
        "paths and reasons as `lotse quickcheck`. Nothing is stored."
    ),
)
def quick_check(
    request: HttpRequest, payload: QuickCheckProfile, query: Query[FollowupsQuery]
) -> Any:
    profile = _profile(payload.root)
    return _answer(evaluate(profile), query.with_followups)


# As ninja's JSON renderer answers (lotse.api.main sets no other renderer).
_JSON = f"{JSONRenderer.media_type}; charset={JSONRenderer.charset}"


def _answer(result: QuickCheckResult, followups: bool) -> Any:
    """The engine's own JSON text, without django-ninja validating the result against
    ``QuickCheckOut`` and encoding it again: that took more time than evaluating the profile
    (docs/performance.md, bench_rules.py's last two lines). The schema stays documented by
    ``response``; the bytes are those of ninja's validated path (tests/advice/test_api.py
    compares both over random profiles)."""
    return HttpResponse(result.to_json(include_followups=followups), content_type=_JSON)


# --------------------------------------------------------------------------- advisory records


class AdvisoryRecordIn(Schema):
    company_id: int = Field(ge=1, le=2**63 - 1, description="the company the advice is for")
    profile: QuickCheckProfile
    notes: str = Field("", max_length=10_000, description="advisory notes for the record")
    reference: str = Field("", max_length=100, description="your own reference, e.g. a job")


class OrganisationRefOut(Schema):
    id: int
    name: str


class AdvisoryRecordOut(Schema):
    id: int
    number: str = Field(description="printed on the record, e.g. BP-2026-00042")
    company: OrganisationRefOut
    chamber: OrganisationRefOut | None = Field(description="null when the company checked itself")
    author: str
    advised_on: date
    created_at: datetime
    reference: str
    ruleset: str
    recommended_title: TitleCode | None
    notes: str
    case_id: int | None = Field(description="the case started from this record, if any")
    input: dict[str, Any]
    result: QuickCheckOut

    @staticmethod
    def resolve_company(record: AdvisoryRecord) -> dict[str, Any]:
        return {"id": record.company.pk, "name": record.company.name}

    @staticmethod
    def resolve_chamber(record: AdvisoryRecord) -> dict[str, Any] | None:
        return {"id": record.chamber.pk, "name": record.chamber.name} if record.chamber else None

    @staticmethod
    def resolve_author(record: AdvisoryRecord) -> str:
        return record.author.display_name

    @staticmethod
    def resolve_recommended_title(record: AdvisoryRecord) -> str | None:
        return record.recommended_title or None


def _record(request: HttpRequest, record_id: int) -> AdvisoryRecord:
    user = _user(request)
    record = get_object_or_404(advisory_record_list(user=user), pk=record_id)
    require(user, Action.VIEW, record)
    return record


@router.post(
    "/advisory-records",
    response={201: AdvisoryRecordOut, 400: ErrorOut, **WRITE_ERRORS},
    summary="Save a Quick-Check as an advisory record",
    description=(
        "Evaluates the profile and keeps input, result and ruleset version as the company's "
        "advisory record (Beratungsprotokoll). A chamber user saves for a company it serves; a "
        "company user for its own company."
    ),
)
def advisory_record_save(request: HttpRequest, payload: AdvisoryRecordIn) -> Status[AdvisoryRecord]:
    user = _user(request)
    company = get_object_or_404(
        organisations_visible_to(user=user).filter(kind="company"), pk=payload.company_id
    )
    require(user, Action.QUICK_CHECK, company)
    _profile(payload.profile.root, prefix="profile.")
    record = advisory_record_create(
        actor=user,
        company=company,
        profile=payload.profile.root,
        notes=payload.notes,
        reference=payload.reference,
    )
    return Status(201, record)


@router.get(
    "/advisory-records",
    response={200: list[AdvisoryRecordOut], **COMMON_ERRORS},
    summary="Advisory records visible to you",
    description=(
        "A company sees its own records, a chamber the records it made; an immigration office "
        "only records of cases forwarded to it. Newest first."
    ),
)
@paginate(Pagination)
def advisory_record_index(
    request: HttpRequest,
    company_id: int | None = Query(None, ge=1, le=2**63 - 1),  # type: ignore[type-arg]
) -> Any:
    return advisory_record_list(user=_user(request), company_id=company_id)


@router.get(
    "/advisory-records/{record_id}",
    response={200: AdvisoryRecordOut, **OBJECT_ERRORS},
    summary="One advisory record",
)
def advisory_record_detail(request: HttpRequest, record_id: int = OBJECT_ID) -> AdvisoryRecord:
    return _record(request, record_id)


@router.get(
    "/advisory-records/{record_id}/pdf",
    response={200: None, **OBJECT_ERRORS},
    summary="The advisory record as a PDF (German, A4)",
    openapi_extra={
        "responses": {
            200: {
                "description": "The advisory record",
                "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def advisory_record_pdf_download(request: HttpRequest, record_id: int = OBJECT_ID) -> HttpResponse:
    record = _record(request, record_id)
    response = HttpResponse(advisory_record_pdf(record), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{advisory_record_pdf_name(record)}"'
    return response


# --------------------------------------------------------------------------- library contacts

CONTACT_CODE = Path(..., max_length=80, pattern=r"^[-a-zA-Z0-9_]+$")  # type: ignore[type-arg]


class KeptContactOut(Schema):
    version: int = Field(description="Send it back with PUT; 0 when nothing is kept yet.")
    phone: str
    phone_label_de: str
    phone_label_en: str
    email: str
    contact_form: str
    source: str = Field(description="The official page the data was read on.")
    checked: date | None = Field(description="The day it was read there.")
    updated_at: datetime | None


class ContactOut(Schema):
    code: str
    name: str
    group: str
    phone: str = Field(description="As shown: kept in Lotse, else as the library ships it.")
    phone_label: str = Field(description="What the number reaches, when not the office's line.")
    email: str
    contact_form: str
    sources: list[str]
    checked: date
    kept: KeptContactOut
    editable: bool = Field(description="Whether you may change the kept data (PUT).")


class ContactDetailsIn(Schema):
    version: int = Field(ge=0, le=2**31 - 1, description="As read with GET; 0 the first time.")
    phone: str = Field("", max_length=40, description="German number, area code set apart.")
    phone_label_de: str = Field("", max_length=150)
    phone_label_en: str = Field("", max_length=150)
    email: str = Field("", max_length=254)
    contact_form: str = Field("", max_length=500)
    source: str = Field("", max_length=500, description="The official page printing the data.")
    checked: date | None = Field(None, description="The day it was read there.")


def _contact_out(user: User, contact: LibraryContact, kept: ContactDetails | None) -> ContactOut:
    language = current_language()
    return ContactOut(
        code=contact.code,
        name=contact.name,
        group=contact.group,
        phone=contact.phone,
        phone_label=contact.phone_label(language),
        email=contact.email,
        contact_form=contact.contact_form,
        sources=source_urls(contact.source),
        checked=contact.checked,
        kept=KeptContactOut(
            version=kept.version if kept else 0,
            phone=kept.phone if kept else "",
            phone_label_de=kept.phone_label_de if kept else "",
            phone_label_en=kept.phone_label_en if kept else "",
            email=kept.email if kept else "",
            contact_form=kept.contact_form if kept else "",
            source=kept.source if kept else "",
            checked=kept.checked if kept else None,
            updated_at=kept.updated_at if kept else None,
        ),
        editable=can(user, Action.EDIT, contact),
    )


@router.get(
    "/information/contacts",
    response={200: list[ContactOut], **COMMON_ERRORS},
    summary="The information library's contacts, with phone and e-mail",
    description="Every contact of the library, for every signed-in user, with the data kept in "
    "Lotse over the shipped data (the page /information/contacts/ shows an immigration office "
    "only to the companies in its area; the API lists all).",
)
def library_contact_index(request: HttpRequest) -> list[ContactOut]:
    user = _user(request)
    kept = kept_contact_data()
    return [
        _contact_out(user, contact_as_shown(c, kept.get(c.code)), kept.get(c.code))
        for c in library().contacts
    ]


@router.put(
    "/information/contacts/{code}",
    response={200: ContactOut, **WRITE_ERRORS, 409: ErrorOut},
    summary="Keep a contact's phone and e-mail, read on an official page",
    description="The platform administrator may for every contact; the leads of a chamber or "
    "immigration office for their own office's entry; everyone else 403 `forbidden`. Empty "
    "fields give back the shipped value. 422 `invalid_input` with field_errors (a phone that is "
    "not German with its area code set apart, an address not on the office's domain, a source "
    "that is no official page, a day in the future). 409 `version_conflict`: someone else saved "
    "in between, nothing was saved. The twin of the page /information/contacts/{code}/edit/.",
)
def library_contact_update(
    request: HttpRequest, payload: ContactDetailsIn, code: str = CONTACT_CODE
) -> ContactOut:
    user = _user(request)
    contact, _kept = library_contact(code)
    require(user, Action.EDIT, contact)
    try:
        details = contact_details_save(contact=contact, actor=user,
                                       expected_version=payload.version,
                                       **payload.model_dump(exclude={"version"}))  # fmt: skip
    except ContactDetailsConflictError as exc:
        raise ApiError(409, "version_conflict", str(exc)) from None
    return _contact_out(user, contact_as_shown(library().contact(code), details), details)
