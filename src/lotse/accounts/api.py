"""API of the accounts area: invitations, staff activation and personal API tokens.

The twins of the team and token pages: the same services and the same access rules.
No ``from __future__ import annotations`` here: ninja resolves the annotations at import.
"""

from datetime import date, datetime
from typing import Any, Literal

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from ninja import Field, Router, Schema, Status

from lotse.access import (
    AccessDeniedError,
    Action,
    invitable_roles,
    organisations_visible_to,
    require,
)
from lotse.accounts.identity import (
    primary_factor_count,
    second_factor_policy_set,
    second_factor_remove,
)
from lotse.accounts.middleware import NEED_KEY, second_factor_need_forget
from lotse.accounts.models import ApiToken, Invitation, User, WebAuthnCredential
from lotse.accounts.security_keys import (
    registration_options,
    security_key_register,
    security_key_remove,
    security_keys_of,
)
from lotse.accounts.selectors import api_token_list
from lotse.accounts.services import (
    api_token_create,
    api_token_revoke,
    invitation_create,
    invitation_revoke,
    user_set_active,
)
from lotse.api.errors import COMMON_ERRORS, OBJECT_ERRORS, ApiError, ErrorOut
from lotse.api.schemas import OBJECT_ID

router = Router(tags=["accounts"])

WRITE_ERRORS: dict[int, type[Schema]] = {**OBJECT_ERRORS, 403: ErrorOut}


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


class InvitationIn(Schema):
    full_name: str = Field(min_length=1, max_length=150)
    email: str = Field(min_length=3, max_length=254, pattern=r"^[^@\s]+@[^@\s]+$")
    role: str = Field(max_length=20, description="A role you may invite to this organisation.")


class InvitationOut(Schema):
    id: int
    organisation_id: int
    full_name: str
    email: str
    role: str
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None


def _invitation_out(invitation: Invitation) -> dict[str, Any]:
    return {
        "id": invitation.pk,
        "organisation_id": invitation.organisation_id,
        "full_name": invitation.full_name,
        "email": invitation.email,
        "role": invitation.role,
        "created_at": invitation.created_at,
        "expires_at": invitation.expires_at,
        "revoked_at": invitation.revoked_at,
    }


@router.post(
    "/organisations/{organisation_id}/invitations",
    response={201: InvitationOut, **WRITE_ERRORS},
    summary="Invite a person to an organisation (an e-mail with the link goes out)",
)
def invitation_create_api(
    request: HttpRequest, payload: InvitationIn, organisation_id: int = OBJECT_ID
) -> Status[dict[str, Any]]:
    user = _user(request)
    organisation = get_object_or_404(organisations_visible_to(user=user), pk=organisation_id)
    require(user, Action.MANAGE_STAFF, organisation)
    if not invitable_roles(user=user, organisation=organisation):
        raise AccessDeniedError("manage staff")
    issued = invitation_create(
        actor=user,
        organisation=organisation,
        email=payload.email,
        full_name=payload.full_name,
        role=payload.role,
    )
    return Status(201, _invitation_out(issued.invitation))


@router.post(
    "/invitations/{invitation_id}/revoke",
    response={200: InvitationOut, **WRITE_ERRORS},
    summary="Withdraw an open invitation",
)
def invitation_revoke_api(request: HttpRequest, invitation_id: int = OBJECT_ID) -> dict[str, Any]:
    user = _user(request)
    invitation = get_object_or_404(Invitation, pk=invitation_id)
    require(user, Action.REVOKE, invitation)
    return _invitation_out(invitation_revoke(actor=user, invitation=invitation))


class ActiveIn(Schema):
    active: bool = Field(description="false: the person can no longer sign in (tokens revoked)")


class StaffOut(Schema):
    id: int
    email: str
    full_name: str
    role: str
    organisation_id: int | None
    is_active: bool


@router.post(
    "/users/{user_id}/active",
    response={200: StaffOut, **WRITE_ERRORS},
    summary="Let a person of your organisation sign in, or no longer",
)
def user_set_active_api(
    request: HttpRequest, payload: ActiveIn, user_id: int = OBJECT_ID
) -> dict[str, Any]:
    user = _user(request)
    member = get_object_or_404(User, pk=user_id)
    require(user, Action.EDIT, member)
    member = user_set_active(actor=user, user=member, active=payload.active)
    return {
        "id": member.pk,
        "email": member.email,
        "full_name": member.full_name,
        "role": member.role,
        "organisation_id": member.organisation_id,
        "is_active": member.is_active,
    }


class TokenIn(Schema):
    name: str = Field(min_length=1, max_length=100, description="Where it is used, e.g. HR system")
    scope: Literal["read", "read_write"] = Field(
        "read_write", description="read: GET only; any other method is refused (403)"
    )
    expires_on: date | None = Field(
        None, description="Last day of validity; default 90 days, at most one year from today"
    )


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    scope: str
    created_at: datetime
    expires_at: datetime
    last_used_at: datetime | None = Field(description="Updated at most once a minute")
    revoked_at: datetime | None


class NewTokenOut(TokenOut):
    secret: str = Field(description="Shown only in this answer; send it as Bearer token.")


def _token_out(token: ApiToken) -> dict[str, Any]:
    return {
        "id": token.pk,
        "name": token.name,
        "prefix": token.prefix,
        "scope": token.scope,
        "created_at": token.created_at,
        "expires_at": token.expires_at,
        "last_used_at": token.last_used_at,
        "revoked_at": token.revoked_at,
    }


@router.get(
    "/tokens",
    response={200: list[TokenOut], **COMMON_ERRORS},
    summary="Your personal API tokens",
)
def token_list(request: HttpRequest) -> list[dict[str, Any]]:
    return [_token_out(token) for token in api_token_list(user=_user(request))]


@router.post(
    "/tokens",
    response={201: NewTokenOut, **COMMON_ERRORS},
    summary="Create a personal API token (the secret is returned only here)",
)
def token_create(request: HttpRequest, payload: TokenIn) -> Status[dict[str, Any]]:
    issued = api_token_create(
        user=_user(request), name=payload.name, scope=payload.scope, expires_on=payload.expires_on
    )
    return Status(201, {**_token_out(issued.token), "secret": issued.secret})


@router.post(
    "/tokens/{token_id}/revoke",
    response={200: TokenOut, **WRITE_ERRORS},
    summary="Revoke one of your API tokens",
)
def token_revoke(request: HttpRequest, token_id: int = OBJECT_ID) -> dict[str, Any]:
    user = _user(request)
    token = get_object_or_404(ApiToken, pk=token_id)
    require(user, Action.REVOKE, token)
    return _token_out(api_token_revoke(actor=user, token=token))


class SecondFactorResetOut(Schema):
    user_id: int
    second_factor: bool = Field(description="false: the person sets up a new one at next sign-in")


@router.post(
    "/users/{user_id}/second-factor/reset",
    response={200: SecondFactorResetOut, **WRITE_ERRORS},
    summary="Reset the second factor of a person of your organisation (audited)",
)
def second_factor_reset_api(request: HttpRequest, user_id: int = OBJECT_ID) -> dict[str, Any]:
    user = _user(request)
    member = get_object_or_404(User, pk=user_id)
    require(user, Action.EDIT, member)
    second_factor_remove(actor=user, user=member)
    return {"user_id": member.pk, "second_factor": False}


class SecondFactorPolicyIn(Schema):
    required: bool = Field(description="true: every member must sign in with a second factor")


class SecondFactorPolicyOut(Schema):
    organisation_id: int
    required: bool


@router.put(
    "/organisations/{organisation_id}/second-factor-policy",
    response={200: SecondFactorPolicyOut, **WRITE_ERRORS},
    summary="Require a second factor for every member of an organisation, or not",
)
def second_factor_policy_api(
    request: HttpRequest, payload: SecondFactorPolicyIn, organisation_id: int = OBJECT_ID
) -> dict[str, Any]:
    user = _user(request)
    organisation = get_object_or_404(organisations_visible_to(user=user), pk=organisation_id)
    require(user, Action.MANAGE_STAFF, organisation)
    policy = second_factor_policy_set(
        actor=user, organisation=organisation, required=payload.required
    )
    return {"organisation_id": organisation.pk, "required": policy.required}


# --- Security keys (ADR 0026): the twins of /accounts/second-factor/security-keys/ -------------


class SecurityKeyOut(Schema):
    id: int
    name: str
    created_at: datetime | None
    last_used_at: datetime | None
    transports: list[str] = Field(description="How the browser reaches the key: usb, nfc, …")


class NewSecurityKeyOut(SecurityKeyOut):
    recovery_codes: list[str] = Field(
        description="New recovery codes when the key is the first second factor; shown only here"
    )


class SecurityKeyIn(Schema):
    name: str = Field(min_length=1, max_length=64, description="e.g. Blue USB key")
    credential: dict[str, Any] = Field(
        description="The PublicKeyCredential of navigator.credentials.create(), as JSON "
        "(binary values base64url), answering the options of registration-options"
    )


class RegistrationOptionsOut(Schema):
    options: dict[str, Any] = Field(
        description="PublicKeyCredentialCreationOptions (binary values base64url); the "
        "challenge is single-use and expires after LOTSE_WEBAUTHN_CHALLENGE_SECONDS"
    )


def _security_key_out(key: WebAuthnCredential) -> dict[str, Any]:
    return {
        "id": key.pk,
        "name": key.name,
        "created_at": key.created_at,
        "last_used_at": key.last_used_at,
        "transports": list(key.transports),
    }


def _browser_session(request: HttpRequest) -> None:
    # An API token does not pass the second factor; letting it add one would let a leaked token
    # plant the thief's key. Keys are added by a browser on this site, with its session.
    if getattr(request, "api_token", None) is not None:
        raise ApiError(
            403,
            "session_required",
            _("Security keys are added in the browser, signed in to Lotse, not with an API token."),
        )


@router.get(
    "/me/security-keys",
    response={200: list[SecurityKeyOut], **COMMON_ERRORS},
    summary="Your security keys and passkeys (second factor)",
)
def security_key_list_api(request: HttpRequest) -> list[dict[str, Any]]:
    return [_security_key_out(key) for key in security_keys_of(user=_user(request))]


@router.post(
    "/me/security-keys/registration-options",
    response={200: RegistrationOptionsOut, 403: ErrorOut, **COMMON_ERRORS},
    summary="Start adding a security key: the options for navigator.credentials.create()",
)
def security_key_options_api(request: HttpRequest) -> dict[str, Any]:
    _browser_session(request)
    return {"options": registration_options(user=_user(request), session=request.session)}


@router.post(
    "/me/security-keys",
    response={201: NewSecurityKeyOut, 403: ErrorOut, **COMMON_ERRORS},
    summary="Finish adding a security key with the browser's answer (audited)",
)
def security_key_register_api(
    request: HttpRequest, payload: SecurityKeyIn
) -> Status[dict[str, Any]]:
    _browser_session(request)
    registration = security_key_register(
        user=_user(request),
        session=request.session,
        name=payload.name,
        credential=payload.credential,
    )
    otp_login(request, registration.key)
    request.session[NEED_KEY] = "verify"
    return Status(
        201,
        {**_security_key_out(registration.key), "recovery_codes": registration.recovery_codes},
    )


@router.post(
    "/me/security-keys/{key_id}/remove",
    response={200: SecurityKeyOut, **WRITE_ERRORS},
    summary="Remove one of your security keys (not the last factor where one is required)",
)
def security_key_remove_api(request: HttpRequest, key_id: int = OBJECT_ID) -> dict[str, Any]:
    user = _user(request)
    key = get_object_or_404(WebAuthnCredential, pk=key_id)
    require(user, Action.REVOKE, key)
    out = _security_key_out(key)
    security_key_remove(actor=user, key=key)
    if primary_factor_count(user=user) == 0 and getattr(request, "api_token", None) is None:
        second_factor_need_forget(request)
    return out
