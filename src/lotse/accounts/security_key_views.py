"""The security-key pages: add a key (name it), list and remove keys (ADR 0026).

Signing in with a key is a step of the second-factor page (second_factor_views); both pages
work without JavaScript for the authenticator app and recovery codes.
"""

from __future__ import annotations

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from lotse.access import Action, require
from lotse.accounts.forms import SecurityKeyForm
from lotse.accounts.identity import primary_factor_count, second_factor_required
from lotse.accounts.middleware import NEED_KEY, second_factor_need_forget
from lotse.accounts.models import User, WebAuthnCredential
from lotse.accounts.security_keys import (
    registration_options,
    security_key_register,
    security_key_remove,
    security_keys_of,
)


def _current(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _verified(request: HttpRequest) -> bool:
    return bool(getattr(request.user, "is_verified", lambda: False)())


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return str(settings.LOGIN_REDIRECT_URL)


def _must_verify_first(request: HttpRequest, user: User) -> bool:
    """A person with a factor adds or removes keys only in a session that passed it: a stolen
    password alone must not be enough to add the thief's key."""
    return primary_factor_count(user=user) > 0 and not _verified(request)


@login_required
@never_cache
def security_keys(request: HttpRequest) -> HttpResponse:
    user = _current(request)
    if _must_verify_first(request, user):
        return redirect("accounts:second_factor_verify")
    form = SecurityKeyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            registration = security_key_register(
                user=user,
                session=request.session,
                name=form.cleaned_data["name"],
                credential=form.cleaned_data["credential"] or "{}",
            )
        except ValidationError as exc:
            # The hidden answer of the key has no place of its own: its errors head the form.
            for field, errors in exc.message_dict.items():
                form.add_error("name" if field == "name" else None, errors)
        else:
            otp_login(request, registration.key)
            request.session[NEED_KEY] = "verify"
            if registration.recovery_codes:
                return render(
                    request,
                    "accounts/recovery_codes.html",
                    {
                        "codes": registration.recovery_codes,
                        "next": _next_url(request),
                        "new": True,
                    },
                )
            messages.success(
                request,
                _("The key %(name)s was added.") % {"name": registration.key.name},
            )
            return redirect("accounts:security_keys")
    return render(
        request,
        "accounts/security_keys.html",
        {
            "form": form,
            "keys": security_keys_of(user=user),
            "options": json.dumps(registration_options(user=user, session=request.session)),
            "required": second_factor_required(user=user),
            "factors": primary_factor_count(user=user),
            "section": "security",
        },
    )


@login_required
@require_POST
def security_key_remove_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = _current(request)
    if _must_verify_first(request, user):
        return redirect("accounts:second_factor_verify")
    key = get_object_or_404(WebAuthnCredential, pk=pk)
    require(user, Action.REVOKE, key)
    try:
        security_key_remove(actor=user, key=key)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("accounts:security_keys")
    if primary_factor_count(user=user) == 0:
        second_factor_need_forget(request)
    messages.success(request, _("The key %(name)s was removed.") % {"name": key.name})
    return redirect("accounts:security_keys")
