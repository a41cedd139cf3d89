"""The cases API: /api/v1/cases. Access exactly as in the workbenches (lotse.access)."""

import datetime as dt
import functools
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import Any, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema, Status
from ninja.pagination import paginate
from ninja.renderers import JSONRenderer
from pydantic import ConfigDict

from lotse.access import Action, advisory_records_visible_to, require
from lotse.accounts.models import User
from lotse.advice.models import AdvisoryRecord
from lotse.api.errors import COMMON_ERRORS, OBJECT_ERRORS, ApiError, ErrorOut
from lotse.api.pagination import Pagination, PaginationParams
from lotse.api.schemas import OBJECT_ID
from lotse.cases import deadlines, selectors, services, timeline, workflow
from lotse.cases.models import AdvisoryNote, Case, ChecklistItem
from lotse.conversations.selectors import document_requests_of
from lotse.organisations.models import Organisation, Site

router = Router(tags=["cases"])

ITEM_ID: int = Path(  # type: ignore[type-arg]
    ..., ge=1, le=2**63 - 1, description="Numeric id of the checklist item"
)


def _describe_steps() -> str:
    lines = [
        "The steps of the procedure (lotse.cases.workflow); `data` carries what a step records."
    ]
    for step in workflow.STEPS:
        fields = ", ".join(f"{f.name}{'' if f.required else '?'} ({f.kind})" for f in step.fields)
        lines.append(
            f"* `{step.name}`: {step.label} — by {', '.join(sorted(step.parties))}; "
            f"data: {fields or 'none'}; {step.legal_basis}"
        )
    return "\n".join(lines)


CaseAction = Enum(  # type: ignore[misc]
    "CaseAction", {name: name for name in workflow.STEP_NAMES}, type=str
)
CaseAction.__doc__ = _describe_steps()


class Ref(Schema):
    id: int
    name: str


class SiteRef(Schema):
    id: int
    label: str
    postcode: str
    municipality: str


class WorkerIn(Schema):
    surname: str = Field(description="Exactly as in the passport.")
    given_names: str = ""
    birth_date: dt.date
    birth_place: str
    nationality: str = Field(description="Three-letter code as in the passport, e.g. IND.")
    passport_number: str
    passport_expiry: dt.date
    email: str = ""
    language: str = Field("en", description="de or en: the language of messages to the worker.")


class WorkerOut(WorkerIn):
    pass


class FamilyIn(Schema):
    relation: str = Field(description="spouse or child")
    surname: str
    given_names: str = ""
    birth_date: dt.date
    nationality: str
    passport_number: str = ""


class CaseCreateIn(Schema):
    site_id: int = Field(description="The Betriebsstätte; it decides the immigration office.")
    worker: WorkerIn
    title: str | None = Field(
        None,
        description="16a, 16d1, 16d3, 18a, 18b, 18g or 19c2; with a Quick-Check, the "
        "recommended title when left out.",
    )
    chamber_id: int | None = None
    job_title: str = ""
    planned_start: dt.date | None = None
    qualification_country: str = Field(
        "",
        description="Where the qualification was obtained: ISO 3166-1 alpha-3, e.g. IND "
        "(empty: not given; used only for the statistics).",
    )
    family: list[FamilyIn] = []
    quickcheck_input: dict[str, Any] | None = Field(
        None,
        description="A Quick-Check input (issue 3 contract): the server evaluates it with the "
        "rules engine and takes the case's needs from that evaluation.",
    )
    advisory_record_id: int | None = Field(
        None,
        description="A saved advisory record you may see: the case takes the record's stored "
        "evaluation and input, and is linked to the record.",
    )
    recognition_body: str | None = Field(
        None, description="A hint for the serving chamber, e.g. ihk-fosa (the ABH names the body)."
    )

    # A result, a list of documents or a "BA needed" flag from a client is never taken: the server
    # decides what a case needs. Fields the schema does not know are refused (422).
    model_config = ConfigDict(extra="forbid")


class CaseOut(Schema):
    id: int
    reference: str
    title: str
    title_label: str
    state: str
    state_label: str
    recognition_state: str
    ba_state: str
    version: int
    company: Ref
    site: SiteRef
    chamber: Ref
    advisor: str | None
    authority: Ref
    worker: WorkerOut
    job_title: str
    planned_start: dt.date | None
    qualification_country: str
    ruleset_version: str
    next_steps: list[str]
    who_acts: str
    forwarded_at: dt.datetime | None
    created_at: dt.datetime
    updated_at: dt.datetime


class TimelineEntryOut(Schema):
    key: str
    label: str
    status: str
    date: dt.date | None
    due: dt.date | None
    due_label: str
    overdue: bool
    note: str
    who: str
    children: list["TimelineEntryOut"] = []


class DeadlineOut(Schema):
    id: int
    code: str
    label: str
    kind: str
    legal_basis: str
    runs_against: str
    binding: bool
    started_on: dt.date
    stopped_on: dt.date | None
    due_on: dt.date | None
    state: str
    days_left: int | None
    working_days_left: int | None
    late: bool
    suspensions: list[dict[str, Any]]
    extensions: list[dict[str, Any]]


class ChecklistItemOut(Schema):
    id: int
    document_code: str
    label: str
    requirement: str
    translation: str
    checked: bool
    checked_at: dt.datetime | None
    paper_original_seen_on: dt.date | None
    satisfied: bool


class TransitionIn(Schema):
    action: CaseAction
    version: int = Field(description="The case's version as you read it (optimistic locking).")
    data: dict[str, Any] = Field({}, description="The values the step records (see the action).")


class TransitionOut(Schema):
    id: int
    action: str
    label: str = Field(description="What happened, in the past tense (e.g. “File accepted”).")
    track: str
    from_state: str
    to_state: str
    occurred_on: dt.date
    data: dict[str, Any]
    legal_basis: str
    version: int


class WorkerPatchIn(Schema):
    surname: str | None = Field(None, description="Exactly as in the passport.")
    given_names: str | None = None
    birth_date: dt.date | None = None
    birth_place: str | None = None
    nationality: str | None = Field(None, description="Three-letter code, e.g. IND.")
    passport_number: str | None = None
    passport_expiry: dt.date | None = None
    email: str | None = None
    language: str | None = Field(None, description="de or en.")


class CaseDetailsPatchIn(Schema):
    """Corrections of the worker's passport data and the job; fields left out stay as they are."""

    version: int = Field(description="The case version the corrections rest on.")
    worker: WorkerPatchIn | None = None
    job_title: str | None = None
    planned_start: dt.date | None = None
    qualification_country: str | None = Field(
        None, description="ISO 3166-1 alpha-3, e.g. IND; empty: not given."
    )


# 400: a body that is not JSON at all.
class CaseFilterIn(Schema):
    state: str | None = Field(None, max_length=40, description="A main state, e.g. forwarded.")
    company: int | None = Field(None, ge=1, le=2**63 - 1, description="A company's id.")
    advisor: int | None = Field(None, ge=1, le=2**63 - 1, description="An advisor's user id.")
    overdue: bool = Field(False, description="Only cases with an overdue statutory deadline.")
    q: str | None = Field(None, max_length=100, description="Reference or worker's name.")


DETAILS_ERRORS: dict[int, type[Schema]] = {
    **OBJECT_ERRORS,
    400: ErrorOut,
    403: ErrorOut,
    409: ErrorOut,
}

STEP_ERRORS: dict[int, type[Schema]] = {
    **OBJECT_ERRORS,
    400: ErrorOut,
    403: ErrorOut,
    409: ErrorOut,
}


def _advisory_record(user: User, record_id: int | None) -> AdvisoryRecord | None:
    if record_id is None:
        return None
    return get_object_or_404(advisory_records_visible_to(user=user), pk=record_id)


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _case_out(case: Case) -> dict[str, Any]:
    return {
        "id": case.pk,
        "reference": case.reference,
        "title": case.title,
        "title_label": str(case.get_title_display()),
        "state": case.state,
        "state_label": str(case.get_state_display()),
        "recognition_state": case.recognition_state,
        "ba_state": case.ba_state,
        "version": case.version,
        "company": {"id": case.company.pk, "name": case.company.name},
        "site": {
            "id": case.site.pk,
            "label": case.site.label,
            "postcode": case.site.postcode,
            "municipality": case.site.municipality,
        },
        "chamber": {"id": case.chamber.pk, "name": case.chamber.name},
        "advisor": case.advisor.display_name if case.advisor else None,
        "authority": {"id": case.authority.pk, "name": case.authority.name},
        "worker": {
            "surname": case.worker_surname,
            "given_names": case.worker_given_names,
            "birth_date": case.worker_birth_date,
            "birth_place": case.worker_birth_place,
            "nationality": case.worker_nationality,
            "passport_number": case.worker_passport_number,
            "passport_expiry": case.worker_passport_expiry,
            "email": case.worker_email,
            "language": case.worker_language,
        },
        "job_title": case.job_title,
        "planned_start": case.planned_start,
        "qualification_country": case.qualification_country,
        "ruleset_version": case.ruleset_version,
        "next_steps": [step.name for step in workflow.next_steps(case)],
        "who_acts": workflow.who_acts(case),
        "forwarded_at": case.forwarded_at,
        "created_at": case.created_at,
        "updated_at": case.updated_at,
    }


def _visible_case(request: HttpRequest, case_id: int) -> Case:
    user = _user(request)
    case = get_object_or_404(selectors.case_detail_queryset(user=user), pk=case_id)
    require(user, Action.VIEW, case)
    return case


class CasePageIn(PaginationParams):
    cursor: str | None = Field(
        None,
        max_length=500,
        description="Opaque: the `next_cursor` of the previous page. With a cursor, `offset` is "
        "ignored, and every page costs the same however deep it lies.",
    )
    before: str | None = Field(
        None,
        max_length=500,
        description="Opaque: the `prev_cursor` of a page, to go back to the page before it. "
        "Used instead of `cursor` when both are given; `offset` is ignored.",
    )


class CasePagination(Pagination):
    """limit/offset as documented, plus an opaque cursor (keyset pagination) and a capped count."""

    Input = CasePageIn  # type: ignore[assignment]

    class Output(Schema):
        items: list[Any]
        count: int = Field(
            description="Matching cases, counted up to 1,001 (1,001 means more than 1,000)."
        )
        next_cursor: str | None = Field(
            None, description="Pass as `cursor` for the next page; null on the last page."
        )
        prev_cursor: str | None = Field(
            None,
            description="Pass as `before` for the previous page; null on the first page (and "
            "on pages reached by `offset`).",
        )

    def paginate_queryset(  # type: ignore[override]
        self, queryset: Any, pagination: Any, **params: Any
    ) -> Any:
        source: _CaseSource = queryset
        limit = min(pagination.limit, self.MAX_LIMIT)
        back = None
        if pagination.before or pagination.cursor or not pagination.offset:
            try:
                page = selectors.case_page(user=source.user, filters=source.filters,
                                           cursor="" if pagination.before else
                                           pagination.cursor or "",
                                           before=pagination.before or "",
                                           size=limit)  # fmt: skip
            except selectors.CursorError:
                field = "before" if pagination.before else "cursor"
                raise ApiError(
                    400,
                    "invalid_cursor",
                    _("This cursor is not valid: use the next_cursor of a previous page."),
                    [{"field": field, "message": _("Unknown or altered cursor.")}],
                ) from None
            items, token, back = page.items, page.next_cursor or None, page.prev_cursor or None
        else:
            cases = selectors.case_list_for(user=source.user, filters=source.filters)
            found = list(cases[pagination.offset : pagination.offset + limit + 1])
            items = found[:limit]
            token = selectors.case_cursor(items[-1]) if len(found) > limit else None
        return {
            "items": [_case_out(case) for case in items],
            "count": selectors.case_count(
                user=source.user, filters=source.filters, today=timezone.localdate()
            ),
            "next_cursor": token,
            "prev_cursor": back,
        }


@dataclass(frozen=True)
class _CaseSource:
    user: User
    filters: selectors.CaseFilters


def _render_page(request: HttpRequest, page: dict[str, Any]) -> Any:
    """The JSON of a page the server built itself (``_case_out``), without django-ninja
    validating it against ``CaseOut`` again: that validation (pydantic, through ninja's
    attribute resolver per field of 50 rows) cost ~3 ms of a page's ~15 ms CPU and cannot
    fail on these dicts. The schema stays documented by ``response``; the bytes are what
    ninja's validated path renders (tests/cases/test_api_prebuilt.py compares both)."""
    content = _RENDERER.render(request, page, response_status=200)
    return HttpResponse(content, status=200, content_type=_CONTENT_TYPE)


# The API's renderer (lotse.api.main sets none: ninja's JSON renderer), as NinjaAPI builds it.
_RENDERER = JSONRenderer()
_CONTENT_TYPE = f"{_RENDERER.media_type}; charset={_RENDERER.charset}"


def _prebuilt(view: Callable[..., Any]) -> Callable[..., Any]:
    """Answers the paginated page (a dict) through ``_render_page``; anything else (a
    ``Status``, an error) goes through ninja as before. ``functools.wraps`` keeps what
    ``paginate`` contributed (its query parameters and the paged response schema)."""

    @functools.wraps(view)
    def answered(request: HttpRequest, **kwargs: Any) -> Any:
        result = view(request, **kwargs)
        return _render_page(request, result) if isinstance(result, dict) else result

    return answered


@router.get(
    "/cases",
    response={200: list[CaseOut], **COMMON_ERRORS, 400: ErrorOut},
    summary="Cases visible to you",
)
@_prebuilt
@paginate(CasePagination)
def case_list(request: HttpRequest, params: Query[CaseFilterIn]) -> Any:
    """The most urgent first. Page with `limit` and `offset`, or follow `next_cursor` (faster for
    deep pages) and go back with `prev_cursor` as `before`; `count` stops counting beyond
    1,000."""
    filters = selectors.CaseFilters(
        state=params.state or "",
        company=params.company,
        advisor=params.advisor,
        overdue=params.overdue,
        query=(params.q or "").strip(),
    )
    return _CaseSource(_user(request), filters)


@router.post(
    "/cases",
    response={201: CaseOut, **COMMON_ERRORS, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    summary="Start a case, from a Quick-Check or from scratch",
)
def case_create(request: HttpRequest, payload: CaseCreateIn) -> Status[dict[str, Any]]:
    user = _user(request)
    site = get_object_or_404(Site.objects.select_related("company"), pk=payload.site_id)
    require(user, Action.VIEW, site.company)
    chamber = None
    if payload.chamber_id is not None:
        chamber = get_object_or_404(Organisation.objects.chambers(), pk=payload.chamber_id)
    worker = {f"worker_{k}": v for k, v in payload.worker.dict().items()}
    try:
        case = services.case_create(
            actor=user,
            company=site.company,
            site=site,
            worker={k: v.isoformat() if isinstance(v, dt.date) else v for k, v in worker.items()},
            title=payload.title,
            chamber=chamber,
            job_title=payload.job_title,
            planned_start=payload.planned_start,
            qualification_country=payload.qualification_country,
            family=[m.dict() for m in payload.family],
            quickcheck_input=payload.quickcheck_input,
            advisory_record=_advisory_record(user, payload.advisory_record_id),
            recognition_body=payload.recognition_body,
        )
    except PermissionDenied:
        raise ApiError(403, "forbidden", "You may not start a case for this company.") from None
    case = selectors.case_detail_queryset(user=user).get(pk=case.pk)
    return Status(201, _case_out(case))


@router.get("/cases/{case_id}", response={200: CaseOut, **OBJECT_ERRORS}, summary="One case")
def case_detail(request: HttpRequest, case_id: int) -> dict[str, Any]:
    user = _user(request)
    case = get_object_or_404(selectors.case_summary_queryset(user=user), pk=case_id)
    require(user, Action.VIEW, case)
    return _case_out(case)


@router.patch(
    "/cases/{case_id}",
    response={200: CaseOut, **DETAILS_ERRORS},
    summary="Correct the worker's passport data or the job",
    description="Only the fields sent change. The company and its chamber correct a case until "
    "it is forwarded, then only the immigration office it was forwarded to. Refusals: 403 "
    "`forbidden`; 409 `version_conflict` (someone else changed the case; nothing was saved); "
    "422 `invalid_input` with field_errors.",
)
def case_update_details(
    request: HttpRequest, case_id: int, payload: CaseDetailsPatchIn
) -> dict[str, Any]:
    user = _user(request)
    case = _visible_case(request, case_id)
    changes: dict[str, Any] = {}
    if payload.worker is not None:
        sent = payload.worker.model_dump(exclude_unset=True)
        changes.update({f"worker_{name}": value for name, value in sent.items()})
    changes.update(
        payload.model_dump(
            exclude_unset=True, include={"job_title", "planned_start", "qualification_country"}
        )
    )
    try:
        updated = services.case_update_details(
            case=case, actor=user, expected_version=payload.version, **changes
        )
    except services.CaseConflictError as exc:
        raise ApiError(409, "version_conflict", str(exc)) from None
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):  # name the fields as the client sent them
            raise ValidationError(
                {_api_field(name): errors for name, errors in exc.error_dict.items()}
            ) from None
        raise
    return _case_out(_visible_case(request, updated.pk))


def _api_field(name: str) -> str:
    return f"worker.{name.removeprefix('worker_')}" if name.startswith("worker_") else name


@router.get(
    "/cases/{case_id}/timeline",
    response={200: list[TimelineEntryOut], **OBJECT_ERRORS},
    summary="Done, current and future steps with dates",
)
def case_timeline(request: HttpRequest, case_id: int) -> list[dict[str, Any]]:
    case = _visible_case(request, case_id)
    requests = document_requests_of(user=_user(request), case=case)
    return [
        entry.to_dict() for entry in timeline.build(case, timezone.localdate(), requests=requests)
    ]


@router.get(
    "/cases/{case_id}/deadlines",
    response={200: list[DeadlineOut], **OBJECT_ERRORS},
    summary="The statutory clocks of the case with their status today",
)
def case_deadlines(request: HttpRequest, case_id: int) -> list[dict[str, Any]]:
    case = _visible_case(request, case_id)
    return [view.to_dict() for view in deadlines.views_for(case, timezone.localdate())]


@router.get(
    "/cases/{case_id}/checklist",
    response={200: list[ChecklistItemOut], **OBJECT_ERRORS},
    summary="The document checklist of the case",
)
def case_checklist(request: HttpRequest, case_id: int) -> list[dict[str, Any]]:
    case = _visible_case(request, case_id)
    return [_checklist_out(item) for item in case.checklist.all()]


@router.post(
    "/cases/{case_id}/transitions",
    response={201: TransitionOut, **STEP_ERRORS},
    summary="Take a step of the procedure",
    description=_describe_steps()
    + "\n\nRefusals: 403 `not_your_step`; 409 `wrong_state`, `guard_failed:<guard>` (the message "
    "says which guard failed) or `version_conflict` (someone else changed the case; nothing was "
    "saved); 422 `invalid_input` with field_errors.",
)
def case_transition(
    request: HttpRequest, case_id: int, payload: TransitionIn
) -> Status[dict[str, Any]]:
    user = _user(request)
    case = _visible_case(request, case_id)
    try:
        row = services.case_transition(
            case=case,
            action=payload.action.value,
            actor=user,
            data=payload.data,
            expected_version=payload.version,
        )
    except services.CaseConflictError as exc:
        raise ApiError(409, "version_conflict", str(exc)) from None
    except workflow.StepRefusedError as exc:
        raise ApiError(exc.status, exc.code, exc.message) from None
    except ValidationError:
        raise
    return Status(
        201,
        {
            "id": row.pk,
            "action": row.action,
            "label": workflow.history_label(row.action),
            "track": row.track,
            "from_state": row.from_state,
            "to_state": row.to_state,
            "occurred_on": row.occurred_on,
            "data": row.data,
            "legal_basis": row.legal_basis,
            "version": row.version,
        },
    )


# --------------------------------------------------------------------------- checklist, notes, advisor
# The twins of the case page's forms: the same services and the same access rules.


def _checklist_out(item: ChecklistItem) -> dict[str, Any]:
    return {
        "id": item.pk,
        "document_code": item.document_code,
        "label": item.label,
        "requirement": item.requirement,
        "translation": item.translation,
        "checked": item.checked_at is not None,
        "checked_at": item.checked_at,
        "paper_original_seen_on": item.paper_original_seen_on,
        "satisfied": item.is_satisfied,
    }


class ChecklistUpdateIn(Schema):
    operation: Literal["check", "uncheck", "paper", "unpaper"] = Field(
        description="check: present and checked; paper: the original was seen on paper "
        "(on seen_on, default today); uncheck / unpaper take it back."
    )
    seen_on: dt.date | None = Field(None, description="With paper: the day the original was seen.")


CHANGE_ERRORS: dict[int, type[Schema]] = {**OBJECT_ERRORS, 403: ErrorOut, 409: ErrorOut}


@router.post(
    "/cases/{case_id}/checklist/{item_id}",
    response={200: ChecklistItemOut, **CHANGE_ERRORS},
    summary="Tick a checklist item, or record that the original was seen on paper",
    description="The serving chamber, until the file is forwarded (and again when the ABH returns "
    "it). Refusals: 403 `forbidden`; 409 `checklist_closed`; 422 `invalid_input`.",
)
def checklist_item_update(
    request: HttpRequest, payload: ChecklistUpdateIn, case_id: int = OBJECT_ID,
    item_id: int = ITEM_ID,
) -> dict[str, Any]:  # fmt: skip
    user = _user(request)
    case = _visible_case(request, case_id)
    require(user, Action.CHECK_DOCUMENTS, case)
    item = get_object_or_404(ChecklistItem.objects.select_related("case"), pk=item_id, case=case)
    if case.state not in services.CHECKLIST_OPEN_STATES:
        raise ApiError(409, "checklist_closed",
                       _("The file has been forwarded; the checklist can no longer change."))  # fmt: skip
    try:
        updated = services.checklist_item_update(
            item=item, actor=user, operation=payload.operation, seen_on=payload.seen_on
        )
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            raise
        raise ValidationError({"seen_on": exc.messages}) from None
    return _checklist_out(updated)


class NoteIn(Schema):
    text: str = Field(min_length=1, max_length=8000, description="The chamber's advisory note.")


class NoteOut(Schema):
    id: int
    author: str
    text: str
    created_at: dt.datetime


def _note_out(note: AdvisoryNote) -> dict[str, Any]:
    return {"id": note.pk, "author": note.author_label, "text": note.text,
            "created_at": note.created_at}  # fmt: skip


@router.get(
    "/cases/{case_id}/notes",
    response={200: list[NoteOut], **CHANGE_ERRORS},
    summary="The chamber's advisory notes on the case (the chamber only)",
)
def note_list(request: HttpRequest, case_id: int = OBJECT_ID) -> list[dict[str, Any]]:
    user = _user(request)
    case = _visible_case(request, case_id)
    require(user, Action.ADVISE, case)
    return [_note_out(note) for note in case.notes.all()]


@router.post(
    "/cases/{case_id}/notes",
    response={201: NoteOut, **CHANGE_ERRORS},
    summary="Write an advisory note (the chamber only)",
)
def note_create(
    request: HttpRequest, payload: NoteIn, case_id: int = OBJECT_ID
) -> Status[dict[str, Any]]:
    user = _user(request)
    case = _visible_case(request, case_id)
    require(user, Action.ADVISE, case)
    note = services.note_add(case=case, actor=user, text=payload.text)
    return Status(201, _note_out(note))


class AdvisorIn(Schema):
    advisor_id: int | None = Field(
        ..., ge=1, le=2**63 - 1, description="A user of the serving chamber; null: nobody."
    )


@router.put(
    "/cases/{case_id}/advisor",
    response={200: CaseOut, **CHANGE_ERRORS},
    summary="Name the chamber's advisor who carries the case (the chamber only)",
)
def advisor_assign(
    request: HttpRequest, payload: AdvisorIn, case_id: int = OBJECT_ID
) -> dict[str, Any]:
    user = _user(request)
    case = _visible_case(request, case_id)
    require(user, Action.ADVISE, case)
    advisor = None
    if payload.advisor_id is not None:
        advisor = User.objects.filter(
            pk=payload.advisor_id, organisation_id=case.chamber_id
        ).first()
        if advisor is None:
            raise ValidationError(
                {"advisor_id": _("The advisor must work at the serving chamber.")}
            )
    updated = services.case_assign_advisor(case=case, actor=user, advisor=advisor)
    return _case_out(_visible_case(request, updated.pk))
