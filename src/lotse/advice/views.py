from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from lotse.access import Action, can, require
from lotse.accounts.models import User
from lotse.advice.forms import ContactDetailsForm, QuickCheckForm, initial_from_profile
from lotse.advice.library import library
from lotse.advice.pdf import advisory_record_pdf, advisory_record_pdf_name
from lotse.advice.presenters import (
    current_language,
    input_rows,
    recommended_label,
    result_view,
)
from lotse.advice.selectors import (
    advisory_record_list,
    library_areas,
    library_contact,
    library_contacts,
    main_site,
    quickcheck_companies,
)
from lotse.advice.services import (
    ContactDetailsConflictError,
    advisory_record_create,
    contact_details_save,
)
from lotse.organisations.models import Organisation
from lotse.rules import directory, evaluate, thresholds
from lotse.rules.documents import TITLES
from lotse.rules.occupations import lookup, occupations, suggest
from lotse.web.errors import form_errors_from, form_for_resend

PAGE_SIZE = 25


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _require_adviser(user: User) -> None:
    # The Quick-Check is the tool of the chambers' advisors and of the companies themselves.
    if not (user.is_company_user or user.is_chamber_user):
        raise PermissionDenied


def _occupation_names() -> list[str]:
    return sorted({o.name for o in occupations()}, key=str.casefold)


def _company_initial(company: Organisation) -> dict[str, Any]:
    site = main_site(company=company)
    initial: dict[str, Any] = {
        "company": company.pk,
        "collective_agreement": company.collective_agreement,
    }
    if site is not None:
        initial["municipality"] = site.municipality
    return initial


def _case_url(pk: int) -> str | None:
    try:
        return reverse("cases:detail", args=[pk])
    except NoReverseMatch:
        return None


def _case_create_url() -> str | None:
    """The cases area's create view, if it is installed (no dead link otherwise)."""
    try:
        return reverse("cases:create")
    except NoReverseMatch:
        return None


@login_required
@require_http_methods(["GET", "POST"])
def quickcheck(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    _require_adviser(user)
    companies = quickcheck_companies(user=user)
    fixed = user.organisation if user.is_company_user else None
    result: dict[str, Any] | None = None
    if request.method == "POST":
        form = QuickCheckForm(request.POST, companies=companies, fixed_company=fixed)
        profile = form.profile()
        if profile is not None:
            company: Organisation = form.cleaned_data["company"]
            require(user, Action.QUICK_CHECK, company)
            if "save" in request.POST:
                try:
                    record = advisory_record_create(
                        actor=user,
                        company=company,
                        profile=form.profile_data(),
                        notes=form.cleaned_data.get("notes") or "",
                        reference=form.cleaned_data.get("reference") or "",
                    )
                except ValidationError as error:
                    form_errors_from(form, error)
                else:
                    messages.success(
                        request,
                        _("The advisory record %(number)s was saved.") % {"number": record.number},
                    )
                    return redirect("advice:record_detail", pk=record.pk)
            result = evaluate(profile).to_dict(include_followups=True)
    else:
        initial: dict[str, Any] = {}
        chosen: Organisation | None = fixed
        wanted = request.GET.get("company", "")
        if chosen is None and wanted.isdigit():
            chosen = next((c for c in companies if c.pk == int(wanted)), None)
        if chosen is None and len(companies) == 1:
            chosen = companies[0]
        from_record = request.GET.get("from_record", "")
        if from_record.isdigit():
            record = get_object_or_404(advisory_record_list(user=user), pk=int(from_record))
            require(user, Action.VIEW, record)
            chosen = record.company if record.company in companies else chosen
            initial |= initial_from_profile(record.input)
            initial |= {"reference": record.reference}
            if chosen is not None:
                initial["company"] = chosen.pk
        elif chosen is not None:
            initial |= _company_initial(chosen)
        form = QuickCheckForm(initial=initial, companies=companies, fixed_company=fixed)
    context = {
        "section": "quickcheck",
        "form": form,
        "fixed_company": fixed,
        "result": result,
        "view": result_view(result) if result is not None else None,
        "occupation_names": _occupation_names(),
        "municipality_names": [m.name for m in directory.municipalities()],
        "threshold_range": thresholds.known_range(),
    }
    if request.htmx and request.method == "POST":  # type: ignore[attr-defined]
        return render(request, "advice/_quickcheck.html", context)
    return render(request, "advice/quickcheck.html", context)


@login_required
@require_GET
def occupation_suggestions(request: HttpRequest) -> HttpResponse:
    """The options for the reference-occupation field as one types (htmx)."""
    _require_adviser(_user(request))
    query = (request.GET.get("reference_occupation") or request.GET.get("q") or "").strip()
    found = lookup(query) if query else None
    names = _occupation_names()
    if query and found is None:
        folded = query.casefold()
        names = [n for n in names if folded in n.casefold()] or list(suggest(query))
    context = {
        "occupation_names": names[:50],
        "query": query,
        "found": found,
        "found_body": directory.external_body(found.body).name if found else "",
        "suggestions": list(suggest(query)) if query and found is None else [],
    }
    return render(request, "advice/_occupation_options.html", context)


@login_required
@require_GET
def record_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    records = advisory_record_list(user=user)
    mine = request.GET.get("mine") == "1"
    if mine:
        records = records.filter(author=user)
    page = Paginator(records, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "advice/record_list.html",
        {
            "section": "quickcheck",
            "page": page,
            "rows": [(r, recommended_label(r.result)) for r in page.object_list],
            "mine": mine,
            "can_check": user.is_company_user or user.is_chamber_user,
        },
    )


def _record(request: HttpRequest, pk: int) -> Any:
    user = _user(request)
    record = get_object_or_404(advisory_record_list(user=user), pk=pk)
    require(user, Action.VIEW, record)
    return record


@login_required
@require_GET
def record_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    record = _record(request, pk)
    case_url = _case_create_url()
    can_start_case = (
        case_url is not None
        and record.case_id is None
        and bool(record.recommended_title)
        and can(user, Action.CREATE_CASE, record)
    )
    return render(
        request,
        "advice/record_detail.html",
        {
            "section": "quickcheck",
            "record": record,
            "view": result_view(record.result),
            "inputs": input_rows(record.input),
            "case_create_url": case_url if can_start_case else None,
            "case_url": _case_url(record.case_id) if record.case_id else None,
            "quickcheck_input_json": json.dumps(record.input, ensure_ascii=False),
            "quickcheck_result_json": json.dumps(record.result, ensure_ascii=False),
            "can_check_again": can(user, Action.QUICK_CHECK, record.company),
        },
    )


@login_required
@require_GET
def record_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    record = _record(request, pk)
    response = HttpResponse(advisory_record_pdf(record), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{advisory_record_pdf_name(record)}"'
    return response


# --------------------------------------------------------------------------- information library

TOPICS: dict[str, Any] = {
    "legal-options": (
        gettext_lazy("Residence titles"),
        gettext_lazy("Which residence titles the accelerated procedure covers, in plain words."),
    ),
    "recognition": (
        gettext_lazy("Recognition of qualifications"),
        gettext_lazy("Who recognises which qualification, and what the decision can say."),
    ),
    "procedure": (
        gettext_lazy("Procedure, deadlines and fees"),
        gettext_lazy(
            "The steps of the accelerated procedure, their statutory deadlines and costs."
        ),
    ),
    "onboarding": (
        gettext_lazy("Arrival, adaptation training and integration"),
        gettext_lazy(
            "What follows the visa: registration, residence permit, health insurance, bank "
            "account, housing, family, recognition, adaptation training, integration and "
            "job-related German courses, migration counselling."
        ),
    ),
    "contacts": (
        gettext_lazy("Contacts"),
        gettext_lazy("Advice centres, recognition bodies, immigration offices and chambers."),
    ),
}


@login_required
@require_GET
def library_index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "advice/library_index.html",
        {
            "section": "library",
            "topics": [(slug, title, intro) for slug, (title, intro) in TOPICS.items()],
        },
    )


def _topic_context(topic: str, user: User) -> dict[str, Any]:
    from lotse.advice import library_pages

    language = current_language()
    if topic == "onboarding":
        return library_pages.onboarding(language, library_areas(user=user))
    if topic == "contacts":
        shown = library_contacts()
        return {
            **library_pages.contacts(language, library_areas(user=user), shown),
            "editable": {c.code for c in shown if can(user, Action.EDIT, c)},
        }
    builders = {
        "legal-options": library_pages.legal_options,
        "recognition": library_pages.recognition,
        "procedure": library_pages.procedure_page,
    }
    return builders[topic](language)


@login_required
@require_GET
def library_topic(request: HttpRequest, topic: str) -> HttpResponse:
    if topic not in TOPICS:
        raise Http404
    title, intro = TOPICS[topic]
    context = {
        "section": "library",
        "topic": topic,
        "topic_title": title,
        "topic_intro": intro,
        "topics": [(slug, t, i) for slug, (t, i) in TOPICS.items()],
        "library_version": library().version,
        "titles": TITLES,
        **_topic_context(topic, _user(request)),
    }
    return render(request, f"advice/library_{topic.replace('-', '_')}.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def contact_edit(request: HttpRequest, code: str) -> HttpResponse:
    """Keep the phone and e-mail of a library contact; the twin of
    PUT /api/v1/information/contacts/{code}. What was typed survives every refusal."""
    user: User = request.user  # type: ignore[assignment]
    contact, details = library_contact(code)
    require(user, Action.EDIT, contact)
    conflict, status = "", 200
    if request.method == "POST":
        form = ContactDetailsForm(request.POST)
        status = 422
        if form.is_valid():
            try:
                contact_details_save(contact=contact, actor=user,
                                     expected_version=form.cleaned_data["version"],
                                     **form.values())  # fmt: skip
            except ContactDetailsConflictError as exc:
                conflict, status = str(exc), 409
                form_for_resend(form, request.POST, exc.current_version)
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, _("The contact data was saved."))
                return redirect(
                    reverse("advice:library_topic", args=["contacts"]) + f"#contact-{code}"
                )
    else:
        form = ContactDetailsForm(initial=ContactDetailsForm.initial_for(details))
    context = {
        "form": form,
        "contact": contact,
        "shipped": library().contact(code),
        "conflict": conflict,
        "section": "library",
    }
    return render(request, "advice/contact_edit.html", context, status=status)
