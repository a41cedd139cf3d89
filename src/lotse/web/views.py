from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from lotse.accounts.models import User
from lotse.accounts.selectors import open_invitation_list, staff_list
from lotse.cases.selectors import dashboard_context as cases_dashboard_context
from lotse.organisations.models import Organisation, OrganisationKind
from lotse.organisations.selectors import company_list_for, municipalities_of, site_list


@require_POST
@never_cache
def keepalive(request: HttpRequest) -> HttpResponse:
    """ "Stay signed in": the request itself restarts the session (it is written now, see
    lotse.core.sessions).

    Answers JSON for lotse.js; an ended session gets 401 instead of a redirect to the login page.
    """
    if not request.user.is_authenticated:
        return JsonResponse({"status": "expired"}, status=401)
    request.session.modified = True
    return JsonResponse({"status": "ok", "seconds": request.session.get_expiry_age()})


DASHBOARD_COMPANIES = 10


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    context: dict[str, Any] = {"section": "dashboard", "today": timezone.localdate()}
    organisation = user.organisation
    if user.is_platform_admin:
        template = "web/dashboard_platform.html"
        context["counts"] = {
            kind.label: Organisation.objects.filter(kind=kind).count() for kind in OrganisationKind
        }
        context["user_count"] = User.objects.filter(is_active=True).count()
        context["companies"] = company_list_for(user=user)[:10]
    elif organisation is None:
        template = "web/dashboard_platform.html"
    elif user.is_company_user:
        template = "web/dashboard_company.html"
        context["sites"] = site_list(company=organisation)
        context["chambers"] = organisation.served_by.all()
    elif user.is_chamber_user:
        template = "web/dashboard_chamber.html"
        # A chamber of a whole Land serves thousands of companies: the dashboard shows the first
        # few and links to the paginated list.
        companies = list(company_list_for(user=user)[: DASHBOARD_COMPANIES + 1])
        context["companies"] = companies[:DASHBOARD_COMPANIES]
        context["more_companies"] = len(companies) > DASHBOARD_COMPANIES
    else:
        template = "web/dashboard_authority.html"
        context["municipalities"] = municipalities_of(authority=organisation)
        context["cooperates"] = organisation.cooperates_on(timezone.localdate())
    if organisation is not None:
        context.update(cases_dashboard_context(user=user, today=context["today"]))
    if organisation is not None and user.manageable_roles:
        context["staff"] = staff_list(organisation=organisation)
        context["open_invitations"] = open_invitation_list(organisation=organisation)
    return render(request, template, context)


def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "web/error.html", {"status": 403}, status=403)


def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "web/error.html", {"status": 404}, status=404)


def error_500(request: HttpRequest) -> HttpResponse:
    return render(request, "web/error.html", {"status": 500}, status=500)
