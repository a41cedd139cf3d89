from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from lotse.access import (
    AccessDeniedError,
    Action,
    can,
    can_register_companies,
    organisations_visible_to,
    require,
)
from lotse.accounts.models import User
from lotse.organisations.forms import CompanyProfileForm, CompanyRegistrationForm, SiteForm
from lotse.organisations.models import OrganisationKind
from lotse.organisations.selectors import (
    company_list_for,
    directory_authorities,
    directory_chambers,
    directory_external_bodies,
    municipalities_of,
    site_list,
)
from lotse.organisations.services import (
    CompanyConflictError,
    company_profile_update,
    company_register,
    site_create,
)
from lotse.web.errors import form_errors_from, form_for_resend


@login_required
def own(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    if user.organisation_id is None:
        return redirect("organisations:directory")
    return redirect("organisations:detail", pk=user.organisation_id)


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    organisation = get_object_or_404(organisations_visible_to(user=user), pk=pk)
    require(user, Action.VIEW, organisation)
    context = {
        "organisation": organisation,
        "section": "organisation" if organisation.pk == user.organisation_id else "companies",
        "sites": site_list(company=organisation) if organisation.is_company else None,
        "served_by": organisation.served_by.all() if organisation.is_company else None,
        "municipalities": municipalities_of(authority=organisation)
        if organisation.is_authority
        else None,
        "can_manage_sites": can(user, Action.MANAGE_SITES, organisation),
        "can_edit": organisation.is_company and can(user, Action.EDIT, organisation),
        "can_manage_staff": can(user, Action.MANAGE_STAFF, organisation)
        and organisation.pk != user.organisation_id,
        "today": timezone.localdate(),
    }
    return render(request, "organisations/detail.html", context)


COMPANY_PAGE_SIZE = 50


@login_required
def company_list(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    if user.is_company_user:
        return redirect("organisations:own")
    companies = company_list_for(user=user)
    query = request.GET.get("q", "").strip()
    if query:
        companies = companies.filter(name__icontains=query)
    # Counted over the organisations, a small table; a page number past the end shows the last.
    page = Paginator(companies, COMPANY_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "organisations/company_list.html",
        {
            "companies": page.object_list,
            "page": page,
            "query": query,
            "section": "companies",
            "today": timezone.localdate(),
            "can_register": can_register_companies(user),
        },
    )


@login_required
def site_add(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    company = get_object_or_404(organisations_visible_to(user=user), pk=pk)
    require(user, Action.MANAGE_SITES, company)
    form = SiteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            site = site_create(company=company, actor=user, **form.cleaned_data)
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(
                request,
                _("The place of business %(site)s was added.") % {"site": site.label},
            )
            return redirect("organisations:detail", pk=company.pk)
    return render(
        request,
        "organisations/site_form.html",
        {"form": form, "company": company, "section": "organisation"},
    )


@login_required
def company_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct the company's data (size class, name, legal form …); the twin of
    PATCH /api/v1/companies/{id}. What was typed survives every refusal."""
    user: User = request.user  # type: ignore[assignment]
    company = get_object_or_404(
        organisations_visible_to(user=user).filter(kind=OrganisationKind.COMPANY), pk=pk
    )
    require(user, Action.EDIT, company)
    conflict, status = "", 200
    if request.method == "POST":
        form = CompanyProfileForm(request.POST)
        status = 422
        if form.is_valid():
            try:
                company_profile_update(company=company, actor=user,
                                       expected_version=form.cleaned_data["version"],
                                       **form.changes())  # fmt: skip
            except CompanyConflictError as exc:
                conflict, status = str(exc), 409
                form_for_resend(form, request.POST, exc.company.version)
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, _("The company's data was saved."))
                return redirect("organisations:detail", pk=company.pk)
    else:
        form = CompanyProfileForm(initial=CompanyProfileForm.initial_for(company))
    context = {"form": form, "company": company, "conflict": conflict, "section": "organisation"}
    return render(request, "organisations/company_edit.html", context, status=status)


@login_required
def directory_view(request: HttpRequest) -> HttpResponse:
    authorities = list(directory_authorities())
    for authority in authorities:
        authority.area = municipalities_of(authority=authority)  # type: ignore[attr-defined]
    return render(
        request,
        "organisations/directory.html",
        {
            "authorities": authorities,
            "chambers": directory_chambers(),
            "bodies": directory_external_bodies(),
            "section": "directory",
            "today": timezone.localdate(),
        },
    )


@login_required
def company_register_view(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    if not can_register_companies(user):
        raise AccessDeniedError("register company")
    form = CompanyRegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["site_label"] = data.pop("label")
        try:
            company = company_register(actor=user, **data)
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, _("%(name)s is registered.") % {"name": company.name})
            return redirect("organisations:detail", pk=company.pk)
    return render(
        request, "organisations/company_form.html", {"form": form, "section": "companies"}
    )
