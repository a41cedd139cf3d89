from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lotse.access import (
    AccessDeniedError,
    Action,
    invitable_roles,
    organisations_visible_to,
    require,
)
from lotse.accounts.forms import (
    AcceptInvitationForm,
    InvitationForm,
    LoginForm,
    LotsePasswordResetForm,
    LotseSetPasswordForm,
    TokenForm,
)
from lotse.accounts.identity import (
    login_failure_record,
    login_record,
    password_reset_completed,
    password_reset_request,
)
from lotse.accounts.middleware import second_factor_need_forget
from lotse.accounts.models import ApiToken, Invitation, TokenScope, User
from lotse.accounts.selectors import (
    api_token_list,
    open_invitation_list,
    second_factor_policy_of,
    second_factor_user_ids,
    staff_list,
)
from lotse.accounts.services import (
    api_token_create,
    api_token_revoke,
    invitation_accept,
    invitation_create,
    invitation_for_secret,
    invitation_revoke,
    user_set_active,
)
from lotse.accounts.throttle import login_failure_count, login_throttled, password_reset_allowed
from lotse.core.client import client_ip
from lotse.organisations.models import Organisation
from lotse.web.errors import form_errors_from


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        email = str(request.POST.get("username", ""))
        if login_throttled(email=email, ip=client_ip(request)):
            return render(request, "accounts/throttled.html", status=429)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        second_factor_need_forget(self.request)
        login_record(user=form.get_user())
        return response

    def form_invalid(self, form: Any) -> HttpResponse:
        email = str(form.data.get("username", ""))
        if email and form.data.get("password") and form.has_error(NON_FIELD_ERRORS):
            login_failure_count(email=email, ip=client_ip(self.request))
            login_failure_record(email=email)
        return super().form_invalid(form)


class LogoutView(auth_views.LogoutView):
    pass


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    form_class = LotsePasswordResetForm
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form: Any) -> HttpResponse:
        email = form.cleaned_data["email"]
        per_address, per_ip = password_reset_allowed(email=email, ip=client_ip(self.request))
        if not per_ip:
            return render(self.request, "accounts/throttled.html", status=429)
        # Over the limit for this address: the same answer, no further mail (the limit counts
        # every address alike, so it tells nothing about accounts).
        if per_address:
            password_reset_request(email=email)
        return redirect(self.success_url)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    form_class = LotseSetPasswordForm
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        password_reset_completed(user=form.user)
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


def invitation_accept_view(request: HttpRequest, secret: str) -> HttpResponse:
    invitation = invitation_for_secret(secret)
    if invitation is None:
        return render(request, "accounts/invitation_invalid.html", status=404)
    form = AcceptInvitationForm(request.POST or None, initial={"language": request.LANGUAGE_CODE})
    if request.method == "POST" and form.is_valid():
        try:
            user = invitation_accept(
                secret=secret,
                password=form.cleaned_data["password1"],
                language=form.cleaned_data["language"],
            )
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            login(request, user, backend="lotse.accounts.backends.OrganisationModelBackend")
            messages.success(request, _("Welcome to Lotse. Your account is ready."))
            return redirect("web:dashboard")
    return render(
        request, "accounts/invitation_accept.html", {"form": form, "invitation": invitation}
    )


def _current(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


@login_required
def team(request: HttpRequest) -> HttpResponse:
    user = _current(request)
    if user.organisation is None:
        return redirect("organisations:company_list")
    return _team_page(request, user.organisation, "accounts:team", [])


@login_required
def organisation_team(request: HttpRequest, pk: int) -> HttpResponse:
    """The same page for any organisation the user may staff (the platform administrator: all)."""
    user = _current(request)
    organisation = get_object_or_404(organisations_visible_to(user=user), pk=pk)
    require(user, Action.MANAGE_STAFF, organisation)
    return _team_page(request, organisation, "accounts:organisation_team", [organisation.pk])


def _back_to_team(user: User, organisation: Organisation) -> HttpResponse:
    if organisation.pk == user.organisation_id:
        return redirect("accounts:team")
    return redirect("accounts:organisation_team", organisation.pk)


def _team_page(
    request: HttpRequest, organisation: Organisation, url_name: str, url_args: list[int]
) -> HttpResponse:
    user = _current(request)
    roles = invitable_roles(user=user, organisation=organisation)
    if not roles:
        raise AccessDeniedError("manage staff")
    form = InvitationForm(request.POST or None, roles=roles)
    if request.method == "POST" and form.is_valid():
        try:
            issued = invitation_create(actor=user, organisation=organisation, **form.cleaned_data)
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(
                request,
                _(
                    "%(name)s has been invited by e-mail. The invitation is valid for a limited time."
                )
                % {"name": issued.invitation.full_name},
            )
            return redirect(url_name, *url_args)
    context: dict[str, Any] = {
        "form": form,
        "organisation": organisation,
        "staff": staff_list(organisation=organisation),
        "invitations": open_invitation_list(organisation=organisation),
        "second_factor_ids": second_factor_user_ids(organisation=organisation),
        "second_factor_policy": second_factor_policy_of(organisation=organisation),
        "section": "team" if organisation.pk == user.organisation_id else "companies",
    }
    return render(request, "accounts/team.html", context)


@login_required
@require_POST
def invitation_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = _current(request)
    invitation = get_object_or_404(Invitation, pk=pk)
    require(user, Action.REVOKE, invitation)
    invitation_revoke(actor=user, invitation=invitation)
    messages.success(request, _("The invitation was withdrawn."))
    return _back_to_team(user, invitation.organisation)


@login_required
@require_POST
def member_set_active(request: HttpRequest, pk: int) -> HttpResponse:
    user = _current(request)
    member = get_object_or_404(User, pk=pk)
    require(user, Action.EDIT, member)
    active = request.POST.get("active") == "1"
    user_set_active(actor=user, user=member, active=active)
    if active:
        messages.success(request, _("%(name)s can sign in again.") % {"name": member.display_name})
    else:
        messages.success(
            request, _("%(name)s can no longer sign in.") % {"name": member.display_name}
        )
    if member.organisation is None:  # a platform administrator has no team page
        return redirect("web:dashboard")
    return _back_to_team(user, member.organisation)


@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    user = _current(request)
    form = TokenForm(request.POST or None)
    new_secret = None
    if request.method == "POST" and form.is_valid():
        try:
            issued = api_token_create(
                user=user,
                name=form.cleaned_data["name"],
                scope=form.cleaned_data["scope"] or TokenScope.READ_WRITE,
                expires_on=form.cleaned_data["expires_on"],
            )
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            new_secret = issued.secret
            form = TokenForm()
    return render(
        request,
        "accounts/tokens.html",
        {
            "form": form,
            "tokens": api_token_list(user=user),
            "new_secret": new_secret,
            "section": "tokens",
        },
    )


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    user = _current(request)
    token = get_object_or_404(ApiToken, pk=pk)
    require(user, Action.REVOKE, token)
    api_token_revoke(actor=user, token=token)
    messages.success(request, _("The token %(name)s was revoked.") % {"name": token.name})
    return redirect("accounts:tokens")


def locked_out(
    request: HttpRequest, credentials: Any = None, *args: Any, **kwargs: Any
) -> HttpResponse:
    return render(request, "accounts/locked_out.html", status=429)
