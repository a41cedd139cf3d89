"""Writes on cases: create, take a workflow step, checklist, notes, advisor. Each in one transaction
with its audit event; e-mails go out after commit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from lotse.access import Action, can, case_party
from lotse.advice.models import AdvisoryRecord
from lotse.advice.services import advisory_record_attach_case
from lotse.audit.services import audit_record
from lotse.cases import dates, deadlines, requirements, workflow
from lotse.cases.checklist import checklist_build, rows_for
from lotse.cases.models import (
    WORKER_FIELDS,
    WORKER_REQUIRED,
    AdvisoryNote,
    AuthorityCompany,
    Case,
    CaseState,
    CaseTransition,
    ChecklistItem,
    FamilyMember,
    RecognitionKind,
    ReferenceCounter,
    WorkerLanguage,
)
from lotse.cases.notifications import notify
from lotse.core.countries import nationality_error
from lotse.documents.sealing import case_file_seal
from lotse.organisations.models import Organisation, OrganisationKind, Site
from lotse.rules import directory

if TYPE_CHECKING:
    from lotse.accounts.models import User

REFERENCE_PREFIX = "LB"
_SNAPSHOT_FIELDS = ("state", "recognition_state", "ba_state", "title", "version")


class CaseConflictError(Exception):
    """Someone else changed the case since the page was loaded: nothing was saved."""

    def __init__(self, case: Case, expected_version: int) -> None:
        super().__init__(
            _(
                "Someone else changed this case in the meantime (now at “%(state)s”). Nothing "
                "was saved; your entries are still in the form. Check the case and send again."
            )
            % {"state": case.get_state_display()}
        )
        self.case = case
        self.expected_version = expected_version
        self.current_version = case.version


def _today() -> dt.date:
    return timezone.localdate()


def _snapshot(case: Case) -> dict[str, Any]:
    return {name: getattr(case, name) for name in _SNAPSHOT_FIELDS}


def _concerns(case: Case) -> list[Organisation]:
    concerns = [case.company, case.chamber]
    if case.forwarded_at is not None:
        concerns.append(case.authority)
    return concerns


def _next_reference(year: int) -> str:
    counter, _created = ReferenceCounter.objects.select_for_update().get_or_create(
        prefix=REFERENCE_PREFIX, year=year
    )
    ReferenceCounter.objects.filter(pk=counter.pk).update(last=F("last") + 1)
    counter.refresh_from_db(fields=["last"])
    return f"{REFERENCE_PREFIX}-{year}-{counter.last:05d}"


# --------------------------------------------------------------------------- competence


@dataclass(frozen=True)
class Competence:
    authority: Organisation


def competent_authority(site: Site, on: dt.date) -> Organisation:
    """The cooperating ABH for a Betriebsstätte; ValidationError names the office to turn to."""
    found = directory.authority_for_municipality(site.municipality, on)
    if found is None:
        lzf = next((a for a in directory.authorities() if a.kind == "state_agency"), None)
        raise ValidationError(
            {
                "site": _(
                    "%(municipality)s lies outside the district of Ludwigsburg, so the chamber "
                    "cooperation cannot take the case. Turn to the immigration office competent "
                    "for %(municipality)s, or to the state agency %(lzf)s (%(address)s)."
                )
                % {
                    "municipality": site.municipality,
                    "lzf": lzf.name if lzf else "LZF",
                    "address": lzf.address if lzf else "",
                }
            }
        )
    if not directory.cooperates(found, on):
        raise ValidationError(
            {
                "site": _(
                    "The immigration office competent for %(municipality)s is %(authority)s "
                    "(%(address)s). It does not take part in the chamber cooperation; please turn "
                    "to it directly."
                )
                % {
                    "municipality": site.municipality,
                    "authority": found.name,
                    "address": found.address,
                }
            }
        )
    authority = Organisation.objects.filter(
        kind=OrganisationKind.AUTHORITY, code=found.code
    ).first()
    if authority is None:  # the directory has not been synchronised
        raise ValidationError({"site": _("The immigration office %(name)s is not set up in Lotse.")
                               % {"name": found.name}})  # fmt: skip
    return authority


# --------------------------------------------------------------------------- create


def _refuse_other_needs(
    needs: requirements.Needs, recognition_kind: str | None, ba_required: bool | None
) -> None:
    """A client may state what it expects; the server's answer stands, a different one is refused."""
    errors: dict[str, str] = {}
    if recognition_kind is not None and recognition_kind != needs.recognition_kind:
        errors["recognition_kind"] = _(
            "The ruleset decides the recognition for this case: %(kind)s. Run a Quick-Check to "
            "take a recognition already held into account."
        ) % {"kind": str(dict(RecognitionKind.choices).get(needs.recognition_kind, _("none")))}
    if ba_required is not None and ba_required != needs.ba_required:
        errors["ba_required"] = (
            _("The ruleset decides: this case needs the approval of the Federal Employment Agency.")
            if needs.ba_required
            else _(
                "The ruleset decides: this case needs no approval of the Federal Employment Agency."
            )
        )
    if errors:
        raise ValidationError(errors)


def _chamber_for(actor: User, company: Organisation, chamber: Organisation | None,
                 recognition_body: str | None) -> Organisation:  # fmt: skip
    serving = list(company.served_by.all())
    if actor.is_chamber_user:
        own = next((c for c in serving if c.pk == actor.organisation_id), None)
        if own is None:
            raise PermissionDenied
        return own
    if chamber is not None:
        if chamber.pk not in {c.pk for c in serving}:
            raise ValidationError({"chamber": _("This chamber does not serve the company.")})
        return chamber
    if len(serving) == 1:
        return serving[0]
    if not serving:
        raise ValidationError({"chamber": _("No chamber serves this company yet.")})
    # A member of both chambers: the crafts chamber for a craft occupation, otherwise the IHK.
    wanted = "hwk" if recognition_body == "hwk-region-stuttgart" else "ihk"
    return next((c for c in serving if c.chamber_kind == wanted), serving[0])


def _date_problems(values: Mapping[str, Any], today: dt.date) -> dict[str, str]:
    """The worker's and the job's dates against today and sane bounds (lotse.cases.dates)."""
    found: dict[str, str] = {}
    birth = values.get("worker_birth_date")
    if isinstance(birth, dt.date):
        problem = dates.problem(birth, today)
        if problem is None and birth >= today:
            problem = _("The date of birth lies in the future.")
        if problem is not None:
            found["worker_birth_date"] = problem
    expiry = values.get("worker_passport_expiry")
    if isinstance(expiry, dt.date):
        if expiry <= today:
            found["worker_passport_expiry"] = _("The passport has expired.")
        elif (problem := dates.problem(expiry, today, future=True)) is not None:
            found["worker_passport_expiry"] = problem
    planned = values.get("planned_start")
    if isinstance(planned, dt.date):
        problem = dates.problem(planned, today, future=True)
        if problem is not None:
            found["planned_start"] = problem
    return found


def _clean_worker(worker: Mapping[str, Any], today: dt.date) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    data = {name: worker.get(name, "") for name in WORKER_FIELDS}
    for name in WORKER_REQUIRED:
        if data[name] in ("", None):
            errors.setdefault(name, []).append(_("This value is required."))
    for name in ("worker_birth_date", "worker_passport_expiry"):
        value = data[name]
        if isinstance(value, str) and value:
            try:
                data[name] = dt.date.fromisoformat(value)
            except ValueError:
                errors.setdefault(name, []).append(_("Enter a date as YYYY-MM-DD."))
    for name, message in _date_problems(data, today).items():
        errors.setdefault(name, []).append(message)
    nationality = str(data["worker_nationality"] or "").strip().upper()
    if nationality and (problem := nationality_error(nationality)) is not None:
        errors.setdefault("worker_nationality", []).append(str(problem))
    data["worker_nationality"] = nationality
    data["worker_surname"] = str(data["worker_surname"]).strip()
    data["worker_given_names"] = str(data["worker_given_names"] or "").strip()
    data["worker_passport_number"] = str(data["worker_passport_number"]).strip().upper()
    data["worker_language"] = data["worker_language"] or WorkerLanguage.EN
    if errors:
        raise ValidationError(errors)
    return data


@transaction.atomic
def case_create(
    *,
    actor: User,
    company: Organisation,
    site: Site,
    worker: Mapping[str, Any],
    title: str | None = None,
    chamber: Organisation | None = None,
    job_title: str = "",
    planned_start: dt.date | None = None,
    qualification_country: str = "",
    family: Iterable[Mapping[str, Any]] = (),
    quickcheck_input: Mapping[str, Any] | None = None,
    advisory_record: AdvisoryRecord | None = None,
    recognition_kind: str | None = None,
    recognition_body: str | None = None,
    ba_required: bool | None = None,
    today: dt.date | None = None,
) -> Case:
    """Start a case, from a Quick-Check input, a saved advisory record, or from scratch.

    The server decides what the case needs (lotse.cases.requirements): it evaluates the
    Quick-Check input itself, takes the record's stored evaluation, or, from scratch, gives the
    title every step it may need. ``recognition_kind`` and ``ba_required`` are never taken as
    truth: a value that differs from the server's answer is refused. ``recognition_body`` is a
    hint for the serving chamber; the ABH names the body when it initiates the recognition.
    The Betriebsstätte decides the ABH (§ 71 Abs. 1 AufenthG); one outside the cooperation is
    refused with the office to turn to instead.
    """
    today = today or _today()
    if not can(actor, Action.CREATE_CASE, company):
        raise PermissionDenied
    if site.company_id != company.pk:
        raise ValidationError({"site": _("This place of business belongs to another company.")})
    authority = competent_authority(site, today)
    if advisory_record is not None:
        if not can(actor, Action.CREATE_CASE, advisory_record) or (
            advisory_record.company_id != company.pk
        ):
            raise ValidationError(
                {"advisory_record": _("This advisory record is not one of this company's.")}
            )
        if advisory_record.case_id is not None:
            raise ValidationError(
                {"advisory_record": _("A case was already started from this advisory record.")}
            )
        quickcheck_input = advisory_record.input
        needs = requirements.needs_from_result(advisory_record.result, title)
    elif quickcheck_input is not None:
        needs = requirements.needs_from_result(requirements.evaluate(quickcheck_input), title)
    else:
        needs = requirements.needs_for_title(title)
    _refuse_other_needs(needs, recognition_kind, ba_required)
    hint = needs.recognition_body or recognition_body
    if (
        hint
        and not Organisation.objects.filter(kind=OrganisationKind.EXTERNAL_BODY, code=hint).exists()
    ):
        raise ValidationError({"recognition_body": _("Unknown recognition body.")})
    worker_data = _clean_worker(worker, today)
    planned_problem = _date_problems({"planned_start": planned_start}, today)
    if planned_problem:
        raise ValidationError(planned_problem)
    qualification_country = _clean_country(qualification_country)
    chosen_chamber = _chamber_for(actor, company, chamber, hint)
    body = None
    if needs.recognition_kind and hint:
        body = Organisation.objects.filter(kind=OrganisationKind.EXTERNAL_BODY, code=hint).first()

    case = Case(
        reference=_next_reference(today.year),
        company=company,
        site=site,
        chamber=chosen_chamber,
        advisor=actor if actor.is_chamber_user else None,
        authority=authority,
        title=needs.title,
        quickcheck_input=dict(quickcheck_input) if quickcheck_input is not None else None,
        quickcheck_result=needs.result,
        ruleset_version=needs.ruleset,
        recognition_kind=needs.recognition_kind,
        recognition_body=body,
        recognition_state=workflow.recognition_required_initially(needs.recognition_kind),
        ba_state=workflow.ba_required_initially(needs.ba_required),
        job_title=job_title.strip(),
        planned_start=planned_start,
        qualification_country=qualification_country,
        created_by=actor,
        **worker_data,
    )
    case.full_clean(exclude=["state", "recognition_state", "ba_state"])
    case.save()
    members = []
    for raw in family:
        member = FamilyMember(case=case, **{k: raw.get(k, "") for k in (
            "relation", "surname", "given_names", "birth_date", "nationality", "passport_number")})  # fmt: skip
        member.nationality = str(member.nationality or "").strip().upper()
        if (country_problem := nationality_error(member.nationality)) is not None:
            raise ValidationError({"family": str(country_problem)})
        member.full_clean(exclude=["case"])
        if isinstance(member.birth_date, dt.date) and (
            problem := dates.problem(member.birth_date, today)
        ):
            raise ValidationError({"family": problem})
        members.append(member)
    FamilyMember.objects.bulk_create(members)
    checklist_build(case, rows_for(needs.title, needs.documents))
    if advisory_record is not None:
        advisory_record_attach_case(record=advisory_record, case=case, actor=actor)
    CaseTransition.objects.create(
        case=case,
        action="create",
        track="state",
        from_state="",
        to_state=case.state,
        occurred_on=today,
        actor=actor,
        actor_label=actor.display_name,
        actor_organisation=actor.organisation,
        data={
            "from_quickcheck": needs.result is not None,
            "title": needs.title,
            "advisory_record": advisory_record.pk if advisory_record else None,
        },
        legal_basis="§ 81a Abs. 1 AufenthG",
        version=case.version,
    )
    audit_record(
        actor=actor,
        action="case.created",
        obj=case,
        concerns=[company, chosen_chamber],
        after={**_snapshot(case), "reference": case.reference, "authority": authority.code},
    )
    _notify_after_commit(case.pk)
    return case


# --------------------------------------------------------------------------- take a step


def _seal_forwarded_file(case: Case, actor: User) -> None:
    # The file the ABH receives is sealed in the same transaction as the forwarding
    # (lotse.documents.sealing): what the ABH accepts is exactly what was forwarded.
    case_file_seal(case=case, actor=actor)


# What the service does beyond the workflow's own record when a step is taken, by step name.
_AFTER_STEP: dict[str, Callable[[Case, User], None]] = {"forward": _seal_forwarded_file}


@transaction.atomic
def case_transition(
    *,
    case: Case,
    action: str,
    actor: User,
    data: Mapping[str, Any],
    expected_version: int,
    today: dt.date | None = None,
) -> CaseTransition:
    """Take the workflow step ``action``; raises StepRefusedError, ValidationError or a conflict.

    The case row is locked and its version compared first: of two people acting at once, one
    wins and the other gets CaseConflictError with nothing saved.
    """
    today = today or _today()
    step = workflow.STEP_BY_NAME.get(action)
    if step is None:
        raise workflow.UnknownStepError(
            "unknown_action",
            _("Unknown step “%(action)s”; the API lists the steps under CaseAction.")
            % {"action": action},
        )
    locked = (
        Case.objects.select_for_update()
        .select_related("company", "chamber", "authority")
        .get(pk=case.pk)
    )
    problem = workflow.refusal(step, locked, actor, today)
    if isinstance(problem, workflow.NotYourStepError):
        raise problem
    # A stale version explains a wrong state or a failed guard better than they do themselves.
    if locked.version != expected_version:
        raise CaseConflictError(locked, expected_version)
    if problem is not None:
        raise problem
    cleaned = workflow.clean_data(step, locked, data, today)
    step_input = workflow.StepInput(
        actor=actor, today=today, occurred_on=workflow.step_date(step, cleaned, today), data=cleaned
    )
    before = _snapshot(locked)
    was_forwarded = locked.forwarded_at is not None
    from_state = workflow.track_state(locked, step)
    extra = workflow.apply_step(step, locked, step_input)
    after = _AFTER_STEP.get(step.name)
    if after is not None:
        after(locked, actor)
    locked.version = F("version") + 1
    locked.updated_at = timezone.now()
    locked.save()
    locked.refresh_from_db(fields=["version"])
    if step.suspends:
        deadlines.suspend(locked, deadlines.SUSPENDED_BY[step.suspends], step_input.occurred_on,
                          str(cleaned.get("reason", "")))  # fmt: skip
    if step.resumes:
        deadlines.resume(locked, deadlines.SUSPENDED_BY[step.resumes], step_input.occurred_on)
    deadlines.apply_events(locked, workflow.clock_events(step, locked, step_input, extra))
    if step.target in workflow.ENDED:
        deadlines.close_moot(locked, None, step_input.occurred_on)
    elif step.closes:
        deadlines.close_moot(locked, step.closes, step_input.occurred_on)
    if not was_forwarded and locked.forwarded_at is not None:
        # From now on the ABH sees the case: its company among the ABH's filter choices, its
        # open clocks on the ABH's board.
        AuthorityCompany.objects.get_or_create(
            authority_id=locked.authority_id, company_id=locked.company_id
        )
        deadlines.refresh_list_due(locked)
    row = CaseTransition.objects.create(
        case=locked,
        action=step.name,
        track=step.track,
        from_state=from_state,
        to_state=workflow.track_state(locked, step),
        occurred_on=step_input.occurred_on,
        actor=actor,
        actor_label=actor.display_name,
        actor_organisation=actor.organisation,
        data={**_jsonable(cleaned), **extra},
        reason=str(cleaned.get("reason", "")),
        legal_basis=step.legal_basis,
        version=locked.version,
    )
    audit_record(
        actor=actor,
        action=f"case.{step.name}",
        obj=locked,
        concerns=_concerns(locked),
        before=before,
        after={**_snapshot(locked), "data": row.data},
    )
    if row.from_state != row.to_state or step.kind == "exception":
        _notify_after_commit(locked.pk, row.pk)
    return row


def case_forward(
    *,
    case: Case,
    actor: User,
    expected_version: int,
    data: Mapping[str, Any] | None = None,
    today: dt.date | None = None,
) -> CaseTransition:
    """The chamber forwards the complete file to the ABH; the file is sealed with it."""
    return case_transition(case=case, action="forward", actor=actor, data=data or {},
                           expected_version=expected_version, today=today)  # fmt: skip


# --------------------------------------------------------------------------- correct case data

# What can be corrected after the case was started: the worker's passport data and the job.
# Never the state, the residence title, the company or the ABH (those change only by steps).
DETAIL_FIELDS = (*WORKER_FIELDS, "job_title", "planned_start", "qualification_country")


def _clean_country(value: str | None) -> str:
    """The country of the qualification as an alpha-3 code (blank: not given)."""
    code = str(value or "").strip().upper()
    if code and (problem := nationality_error(code)) is not None:
        raise ValidationError({"qualification_country": str(problem)})
    return code


@transaction.atomic
def case_update_details(*, case: Case, actor: User, expected_version: int, **changes: Any) -> Case:
    """Correct the worker's passport data or the job; raises ValidationError or a conflict.

    The company and the serving chamber correct the data until the file is forwarded; after
    that only the ABH the case was forwarded to (the file is the authority's then). The case row
    is locked and its version compared as in ``case_transition``: a stale version saves nothing.
    """
    unknown = sorted(set(changes) - set(DETAIL_FIELDS))
    if unknown:
        raise ValidationError({name: _("This field cannot be changed here.") for name in unknown})
    locked = (
        Case.objects.select_for_update()
        .select_related("company", "chamber", "authority")
        .get(pk=case.pk)
    )
    if not can(actor, Action.EDIT_CASE_DETAILS, locked):
        raise PermissionDenied
    if locked.version != expected_version:
        raise CaseConflictError(locked, expected_version)
    cleaned = _clean_details(changes)
    before = {name: getattr(locked, name) for name in cleaned}
    changed = {name: value for name, value in cleaned.items() if before[name] != value}
    for name, value in changed.items():
        setattr(locked, name, value)
    locked.full_clean(exclude=["state", "recognition_state", "ba_state"])
    today = _today()
    errors: dict[str, list[str]] = {}
    for name, message in _date_problems(changed, today).items():
        errors[name] = [message]
    if errors:
        raise ValidationError(errors)
    if not changed:
        return locked
    locked.version = F("version") + 1
    locked.updated_at = timezone.now()
    locked.save(update_fields=[*changed, "version", "updated_at"])
    locked.refresh_from_db(fields=["version"])
    audit_record(
        actor=actor,
        action="case.details_corrected",
        obj=locked,
        concerns=_concerns(locked),
        before=_jsonable({name: before[name] for name in changed}),
        after=_jsonable({**changed, "version": locked.version}),
    )
    return locked


def _clean_details(changes: Mapping[str, Any]) -> dict[str, Any]:
    """Normalise as ``case_create`` does; the model's full_clean checks the rest."""
    errors: dict[str, list[str]] = {}
    data: dict[str, Any] = {}
    for name, value in changes.items():
        if name in ("worker_birth_date", "worker_passport_expiry", "planned_start"):
            if isinstance(value, str) and value:
                try:
                    value = dt.date.fromisoformat(value)
                except ValueError:
                    errors.setdefault(name, []).append(_("Enter a date as YYYY-MM-DD."))
                    continue
            elif value in ("", None):
                value = None
        elif value is None:
            value = ""
        else:
            value = str(value).strip()
            if "\x00" in value:
                errors.setdefault(name, []).append(_("Null characters are not allowed."))
                continue
        data[name] = value
    if "worker_nationality" in data:
        nationality = str(data["worker_nationality"]).upper()
        if nationality and (problem := nationality_error(nationality)) is not None:
            errors.setdefault("worker_nationality", []).append(str(problem))
        data["worker_nationality"] = nationality
    if "worker_passport_number" in data:
        data["worker_passport_number"] = str(data["worker_passport_number"]).upper()
    if "qualification_country" in data:
        try:
            data["qualification_country"] = _clean_country(data["qualification_country"])
        except ValidationError as exc:
            errors.setdefault("qualification_country", []).extend(exc.messages)
    if errors:
        raise ValidationError(errors)
    return data


def _jsonable(data: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in data.items()}


def _notify_after_commit(case_id: int, transition_id: int | None = None) -> None:
    # Despite the name: the notification rows are written now, in the step's transaction; the
    # outbox worker sends the mails after the commit (lotse.notifications).
    notify(case_id=case_id, transition_id=transition_id)


# --------------------------------------------------------------------------- checklist, notes


CHECKLIST_OPERATIONS = ("check", "uncheck", "paper", "unpaper")
# The chamber's checklist is open until the file is forwarded, and again when the ABH returns it.
CHECKLIST_OPEN_STATES = frozenset(
    {
        CaseState.ADVICE,
        CaseState.COLLECTING_DOCUMENTS,
        CaseState.COMPLETENESS_CHECK,
        CaseState.POWERS_SIGNED,
        CaseState.RETURNED,
    }
)


@transaction.atomic
def checklist_item_update(
    *, item: ChecklistItem, actor: User, operation: str, seen_on: dt.date | None = None
) -> ChecklistItem:
    """The chamber ticks a document as present and checked, or records the original on paper."""
    case = item.case
    if not can(actor, Action.CHECK_DOCUMENTS, case):
        raise PermissionDenied
    if case.state not in CHECKLIST_OPEN_STATES:
        raise ValidationError(_("The file has been forwarded; the checklist can no longer change."))
    before = {"checked": item.checked_at is not None, "paper": item.paper_original_seen_on}
    if operation == "check":
        item.checked_by, item.checked_at = actor, timezone.now()
    elif operation == "uncheck":
        item.checked_by, item.checked_at = None, None
    elif operation == "paper":
        day = seen_on or _today()
        problem = dates.problem(day, _today())
        if problem is not None:
            raise ValidationError({"seen_on": problem})
        item.paper_original_seen_by, item.paper_original_seen_on = actor, day
    elif operation == "unpaper":
        item.paper_original_seen_by, item.paper_original_seen_on = None, None
    else:
        raise ValidationError(_("Unknown checklist operation."))
    item.save()
    audit_record(
        actor=actor,
        action=f"case.checklist_{operation}",
        obj=case,
        concerns=_concerns(case),
        before={"document": item.document_code, **_jsonable(before)},
        after={
            "document": item.document_code,
            "checked": item.checked_at is not None,
            "paper": item.paper_original_seen_on.isoformat()
            if item.paper_original_seen_on
            else None,
        },
    )
    return item


@transaction.atomic
def note_add(*, case: Case, actor: User, text: str) -> AdvisoryNote:
    if not can(actor, Action.ADVISE, case):
        raise PermissionDenied
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Write a note first.")})
    note = AdvisoryNote.objects.create(
        case=case, author=actor, author_label=actor.display_name, text=text[:8000]
    )
    audit_record(actor=actor, action="case.note_added", obj=case, concerns=[case.chamber],
                 after={"note": note.pk})  # fmt: skip
    return note


@transaction.atomic
def case_assign_advisor(*, case: Case, actor: User, advisor: User | None) -> Case:
    """The chamber names the advisor who carries the case (and receives its e-mails)."""
    if case_party(actor, case) != "chamber":
        raise PermissionDenied
    if advisor is not None and (
        advisor.organisation_id != case.chamber_id or not advisor.is_chamber_user
    ):
        raise ValidationError({"advisor": _("The advisor must work at the serving chamber.")})
    before = {"advisor": case.advisor_id}
    Case.objects.filter(pk=case.pk).update(advisor=advisor, updated_at=timezone.now())
    case.advisor = advisor
    audit_record(actor=actor, action="case.advisor_assigned", obj=case, concerns=[case.chamber],
                 before=before, after={"advisor": advisor.pk if advisor else None})  # fmt: skip
    return case
