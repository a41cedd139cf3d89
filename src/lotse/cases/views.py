"""The workbenches of company, chamber and ABH. Thin: access from lotse.access, writes via services."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lotse.access import (
    Action,
    advisory_records_visible_to,
    can,
    case_party,
    require,
)
from lotse.accounts.models import Role, User
from lotse.advice.models import AdvisoryRecord
from lotse.cases import counters, deadlines, selectors, services, timeline, workflow
from lotse.cases.checklist import checklist_gaps, checklist_rows
from lotse.cases.forms import (
    CaseCreateForm,
    CaseDetailsForm,
    CaseFilterForm,
    FamilyFormSet,
    NoteForm,
    StepForm,
    initial_from_quickcheck,
    quickcheck_facts,
)
from lotse.cases.models import Case, CaseState, ChecklistItem
from lotse.conversations.selectors import case_messages_once, document_requests_in
from lotse.insights.selectors import with_expected
from lotse.web.errors import form_errors_from


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    today = timezone.localdate()
    form = CaseFilterForm(request.GET or None)
    form.fields["state"].choices = [("", _("all")), *CaseState.choices]  # type: ignore[attr-defined]
    form.fields["company"].choices = [("", _("all")), *selectors.company_choices(user=user)]  # type: ignore[attr-defined]
    advisors = _advisors(user.organisation_id) if user.is_chamber_user else []
    form.fields["advisor"].choices = [("", _("all")), *((a.pk, a.display_name) for a in advisors)]  # type: ignore[attr-defined]
    filters = selectors.CaseFilters()
    if form.is_valid():
        filters = selectors.CaseFilters(
            state=form.cleaned_data["state"] or "",
            company=form.cleaned_data["company"],
            advisor=form.cleaned_data["advisor"],
            overdue=form.cleaned_data["overdue"],
            query=form.cleaned_data["q"].strip(),
        )
    before = request.GET.get("before", "")
    cursor = "" if before else request.GET.get("cursor", "")
    try:
        page = selectors.case_page(
            user=user, filters=filters, cursor=cursor, before=before, today=today
        )
    except selectors.CursorError:
        messages.error(request, _("This page link is no longer valid; here is the first page."))
        cursor = before = ""
        page = selectors.case_page(user=user, filters=filters, today=today)
    context = {
        "section": "cases",
        "form": form,
        "page": page,
        "rows": selectors.rows(page.items, today),
        "today": today,
        "can_create": _can_create_any(user),
        "query_string": _without_page(request),
        "is_first_page": not (cursor or page.prev_cursor),
        "case_count": selectors.case_count(user=user, filters=filters, today=today),
        "count_cap": counters.CAP,
    }
    return render(request, "cases/list.html", context)


def _without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    params.pop("cursor", None)
    params.pop("before", None)
    return params.urlencode()


def _can_create_any(user: User) -> bool:
    if user.is_company_user:
        return user.organisation is not None and can(user, Action.CREATE_CASE, user.organisation)
    return user.is_chamber_user


@login_required
def deadline_board(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    today = timezone.localdate()
    column = request.GET.get("column", "")
    known = column in selectors.BOARD_COLUMNS
    cursor = request.GET.get("cursor", "") if known else ""
    before = request.GET.get("before", "") if known else ""
    try:
        board = selectors.deadline_board(
            user=user, today=today, column=column, cursor="" if before else cursor, before=before
        )
    except selectors.CursorError:
        messages.error(request, _("This page link is no longer valid; here is the first page."))
        board = selectors.deadline_board(user=user, today=today)
    return render(request, "cases/board.html", {"section": "cases", "board": board, "today": today})


@login_required
def case_create(request: HttpRequest) -> HttpResponse:
    """Start a case from scratch, or from a Quick-Check (POSTed by the advice pages)."""
    user = _user(request)
    if not _can_create_any(user):
        raise PermissionDenied
    submitted = request.method == "POST" and "create" in request.POST
    initial: dict[str, Any] = {}
    if request.method == "POST" and not submitted:
        # Arriving from the Quick-Check: prefill, validate nothing yet.
        initial = {
            "quickcheck_input": request.POST.get("quickcheck_input", ""),
            "title": request.POST.get("title", ""),
            "advisory_record": request.POST.get("advisory_record", ""),
        }
    elif request.method == "GET" and request.GET.get("quickcheck_input"):
        initial = {"quickcheck_input": request.GET["quickcheck_input"]}
    form = CaseCreateForm(request.POST if submitted else None, user=user, initial=initial)
    if initial.get("quickcheck_input"):
        # What the Quick-Check already asked is not typed a second time.
        form.initial.update(initial_from_quickcheck(initial["quickcheck_input"], form.sites))
    kept = form.data.get("quickcheck_input") or initial.get("quickcheck_input") or ""
    family = FamilyFormSet(request.POST if submitted else None, prefix="family")
    # Both are validated, so that every problem is shown at once.
    valid = [form.is_valid(), family.is_valid()]
    if submitted and all(valid):
        data = form.cleaned_data
        site = form.chosen_site()
        worker = {k: v for k, v in data.items() if k.startswith("worker_")}
        members = [f.cleaned_data for f in family.forms if f.cleaned_data.get("surname")]
        try:
            with transaction.atomic():
                case = _create(user, data, site, worker, members)
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, _("The case %(ref)s was started.") % {"ref": case.reference})
            return redirect("cases:detail", pk=case.pk)
    return render(
        request,
        "cases/create.html",
        {
            "section": "cases",
            "form": form,
            "family": family,
            "from_quickcheck": form.from_quickcheck,
            "quickcheck_facts": quickcheck_facts(kept),
        },
    )


def _create(user: User, data: dict[str, Any], site: Any, worker: dict[str, Any],
            members: list[dict[str, Any]]) -> Case:  # fmt: skip
    record = _advisory_record_for(user, data.get("advisory_record"))
    case = services.case_create(
        actor=user,
        company=site.company,
        site=site,
        worker={k: v.isoformat() if hasattr(v, "isoformat") else v for k, v in worker.items()},
        title=data["title"] or None,
        job_title=data["job_title"],
        planned_start=data["planned_start"],
        qualification_country=data.get("qualification_country") or "",
        family=members,
        # The server evaluates: the Quick-Check input anew, or the saved record's evaluation.
        quickcheck_input=None if record is not None else data["quickcheck_input"],
        advisory_record=record,
        recognition_body=data["recognition_body"] or None,
    )
    return case


def _advisory_record_for(user: User, record_id: int | None) -> AdvisoryRecord | None:
    """The saved advisory record the case starts from, if the user may see it."""
    if not record_id:
        return None
    record = advisory_records_visible_to(user=user).filter(pk=record_id).first()
    if record is None:
        raise ValidationError({"advisory_record": _("This advisory record is not available.")})
    return record


def _case_for(request: HttpRequest, pk: int) -> Case:
    user = _user(request)
    case = get_object_or_404(selectors.case_detail_queryset(user=user), pk=pk)
    require(user, Action.VIEW, case)
    return case


def _post_or_back_to_case(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A POST-only action reached by GET (back from the login page after the session ended)
    shows its case instead of "405 Method Not Allowed"."""

    @wraps(view)
    def wrapper(request: HttpRequest, pk: int, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method != "POST":
            _case_for(request, pk)
            return redirect("cases:detail", pk=pk)
        return view(request, pk, *args, **kwargs)

    return wrapper


@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    case = get_object_or_404(with_expected(selectors.case_page_queryset(user=user)), pk=pk)
    require(user, Action.VIEW, case)
    return _render_detail(request, case)


def _render_detail(
    request: HttpRequest,
    case: Case,
    *,
    bound: StepForm | None = None,
    conflict: str = "",
    status: int = 200,
) -> HttpResponse:
    user = _user(request)
    today = timezone.localdate()
    party = case_party(user, case)
    steps = []
    for step, refusal in workflow.available_steps(case, user, today):
        is_bound = bound is not None and bound.step.name == step.name
        form = bound if bound is not None and is_bound else StepForm(step=step, case=case)
        steps.append(StepView(step, refusal, form, is_bound))
    clocks = deadlines.views_for(case, today)
    checklist = checklist_rows(case)
    # After a conflict the step may no longer be possible; what was typed is still shown.
    orphan = bound if bound is not None and not any(s.open for s in steps) else None
    context = {
        "orphan": orphan,
        "section": "cases",
        "case": case,
        "party": party,
        "today": today,
        "timeline": timeline.build(
            case,
            today,
            requests=document_requests_in(case_messages_once(user=user, case=case)),
        ),
        "steps": steps,
        "forward_steps": [s for s in steps if s.step.kind == "forward"],
        "other_steps": [s for s in steps if s.step.kind != "forward"],
        "clocks": clocks,
        "checklist": checklist,
        "gaps": checklist_gaps(case, checklist),
        "can_check": can(user, Action.CHECK_DOCUMENTS, case)
        and case.state in services.CHECKLIST_OPEN_STATES,
        "can_advise": can(user, Action.ADVISE, case),
        "can_edit_details": can(user, Action.EDIT_CASE_DETAILS, case),
        "can_share": can(user, Action.SHARE, case),
        "can_export": can(user, Action.EXPORT_PERSONAL_DATA, case),
        # The link just mailed to the worker: shown once, to copy (documents.worker_views).
        "sent_link": request.session.pop("lotse_sent_upload_link", None),
        "notes": case.notes.all() if can(user, Action.ADVISE, case) else [],
        "note_form": NoteForm(),
        "history": sorted(
            case.transitions.all(), key=lambda t: (t.recorded_at, t.pk), reverse=True
        ),
        "who": workflow.who_acts(case),
        "next_steps": workflow.next_steps(case),
        "conflict": conflict,
        "advisors": _advisors(case.chamber_id) if party == "chamber" else [],
    }
    return render(request, "cases/detail.html", context, status=status)


def _advisors(chamber_id: int | None) -> list[User]:
    if chamber_id is None:
        return []
    return list(
        User.objects.filter(
            organisation_id=chamber_id,
            is_active=True,
            role__in=(Role.CHAMBER_ADVISOR, Role.CHAMBER_LEAD),
        )
    )


@dataclass
class StepView:
    step: workflow.Step
    refusal: str | None
    form: StepForm
    open: bool


@login_required
def case_step(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    user = _user(request)
    case = _case_for(request, pk)
    if request.method != "POST":
        # Back from the login page after the session ended: show the case, where the step is.
        return redirect("cases:detail", pk=pk)
    require(user, Action.TRANSITION, case)
    step = workflow.STEP_BY_NAME.get(action)
    if step is None:
        raise PermissionDenied
    form = StepForm(request.POST, step=step, case=case)
    try:
        expected = int(request.POST.get("version", ""))
    except ValueError:
        expected = -1
    if not form.is_valid():
        return _render_detail(request, case, bound=form, status=422)
    try:
        services.case_transition(
            case=case, action=action, actor=user, data=form.step_data(), expected_version=expected
        )
    except services.CaseConflictError as exc:
        fresh = _case_for(request, pk)
        return _render_detail(request, fresh, bound=form, conflict=str(exc), status=409)
    except workflow.NotYourStepError:
        raise PermissionDenied from None
    except workflow.StepRefusedError as exc:
        messages.error(request, exc.message)
        return _render_detail(request, case, bound=form, status=409)
    except ValidationError as exc:
        form_errors_from(form, exc)
        return _render_detail(request, case, bound=form, status=422)
    messages.success(request, _("Recorded: %(step)s.") % {"step": step.label})
    return redirect(reverse("cases:detail", args=[pk]) + "#timeline")


@login_required
def case_edit_details(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct the worker's passport data and the job; what was typed survives every refusal."""
    user = _user(request)
    case = _case_for(request, pk)
    require(user, Action.EDIT_CASE_DETAILS, case)
    conflict = ""
    status = 200
    if request.method == "POST":
        form = CaseDetailsForm(request.POST)
        status = 422
        if form.is_valid():
            try:
                services.case_update_details(
                    case=case,
                    actor=user,
                    expected_version=form.cleaned_data["version"],
                    **form.changes(),
                )
            except services.CaseConflictError as exc:
                conflict, status = str(exc), 409
                case = _case_for(request, pk)
                # Sending again (after checking the case) overwrites the newer version knowingly.
                data = request.POST.copy()
                data["version"] = str(case.version)
                form.data = data
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, _("The case data was corrected."))
                return redirect("cases:detail", pk=pk)
    else:
        form = CaseDetailsForm(initial=CaseDetailsForm.initial_for(case))
    context = {"section": "cases", "case": case, "form": form, "conflict": conflict}
    return render(request, "cases/edit_details.html", context, status=status)


@login_required
@_post_or_back_to_case
def checklist_item(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    user = _user(request)
    case = _case_for(request, pk)
    require(user, Action.CHECK_DOCUMENTS, case)
    item = get_object_or_404(ChecklistItem.objects.select_related("case"), pk=item_pk, case=case)
    operation = request.POST.get("operation", "")
    try:
        services.checklist_item_update(item=item, actor=user, operation=operation)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    if request.htmx:  # type: ignore[attr-defined]
        case = _case_for(request, pk)
        return render(
            request,
            "cases/_checklist.html",
            {"case": case, "checklist": checklist_rows(case), "gaps": checklist_gaps(case),
             "can_check": case.state in services.CHECKLIST_OPEN_STATES},
        )  # fmt: skip
    return redirect(reverse("cases:detail", args=[pk]) + "#checklist")


@login_required
@_post_or_back_to_case
def note_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    case = _case_for(request, pk)
    require(user, Action.ADVISE, case)
    form = NoteForm(request.POST)
    if form.is_valid():
        services.note_add(case=case, actor=user, text=form.cleaned_data["text"])
        messages.success(request, _("The note was saved."))
    else:
        messages.error(request, _("Write a note first."))
    return redirect(reverse("cases:detail", args=[pk]) + "#notes")


@login_required
@_post_or_back_to_case
def advisor_assign(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    case = _case_for(request, pk)
    require(user, Action.ADVISE, case)
    advisor_id = request.POST.get("advisor") or None
    advisor = (
        get_object_or_404(User, pk=advisor_id, organisation_id=case.chamber_id)
        if advisor_id
        else None
    )
    try:
        services.case_assign_advisor(case=case, actor=user, advisor=advisor)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The advisor was assigned."))
    return redirect("cases:detail", pk=pk)


def benchmark_floor(request: HttpRequest, pk: int) -> HttpResponse:
    """The floor of benchmarks/bench_http.py: one row by primary key and nothing else (no
    session, no template). Routed only when LOTSE_BENCHMARK_FLOOR is set."""
    reference = Case.objects.filter(pk=pk).values_list("reference", flat=True).first()
    return HttpResponse(reference or "", content_type="text/plain")
