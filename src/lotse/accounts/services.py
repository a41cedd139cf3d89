from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from lotse.access import AccessDeniedError, Action, can, invitable_roles
from lotse.accounts.models import (
    ROLE_ORGANISATION_KIND,
    ApiToken,
    Invitation,
    Role,
    TokenScope,
    User,
)
from lotse.audit.services import audit_record
from lotse.notifications.models import MailPurpose
from lotse.notifications.services import mail_queue
from lotse.organisations.models import Organisation

TOKEN_PREFIX = "lotse_"  # noqa: S105 (a marker, not a secret)


def hash_secret(secret: str) -> str:
    # Tokens are 256-bit random values, so a plain SHA-256 is enough: there is nothing to brute-force.
    return hashlib.sha256(secret.encode()).hexdigest()


def _check_role_fits(role: str, organisation: Organisation | None) -> None:
    expected_kind = ROLE_ORGANISATION_KIND[Role(role)]
    actual_kind = organisation.kind if organisation is not None else None
    if expected_kind != actual_kind:
        raise ValidationError(
            {
                "role": _("The role “%(role)s” does not fit this organisation.")
                % {"role": Role(role).label}
            }
        )


@transaction.atomic
def user_create(
    *,
    actor: User | None,
    email: str,
    full_name: str,
    role: str,
    organisation: Organisation | None,
    password: str | None,
    language: str = "de",
) -> User:
    _check_role_fits(role, organisation)
    email = email.strip().lower()
    if User.objects.filter(email=email).exists():
        raise ValidationError({"email": _("A user with this e-mail address exists already.")})
    user = User(
        email=email, full_name=full_name, role=role, organisation=organisation, language=language
    )
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    audit_record(
        actor=actor,
        action="account.user_created",
        obj=user,
        concerns=[organisation] if organisation else [],
        after={"email": email, "role": role},
    )
    return user


@dataclass(frozen=True)
class IssuedInvitation:
    invitation: Invitation
    url: str


@transaction.atomic
def invitation_create(
    *, actor: User, organisation: Organisation, email: str, full_name: str, role: str
) -> IssuedInvitation:
    if role not in invitable_roles(user=actor, organisation=organisation):
        raise AccessDeniedError("role not invitable")
    _check_role_fits(role, organisation)
    email = email.strip().lower()
    if User.objects.filter(email=email).exists():
        raise ValidationError({"email": _("A user with this e-mail address exists already.")})
    if Invitation.objects.filter(
        email=email, accepted_at=None, revoked_at=None, expires_at__gt=timezone.now()
    ).exists():
        raise ValidationError({"email": _("This person has an open invitation already.")})
    secret = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        email=email,
        full_name=full_name,
        organisation=organisation,
        role=role,
        invited_by=actor,
        token_hash=hash_secret(secret),
        expires_at=timezone.now() + timedelta(days=settings.LOTSE_INVITATION_DAYS),
    )
    url = settings.LOTSE_SITE_URL.rstrip("/") + reverse("accounts:invitation_accept", args=[secret])
    audit_record(
        actor=actor,
        action="account.invitation_created",
        obj=invitation,
        concerns=[organisation],
        after={"email": email, "role": role},
    )
    _queue_invitation_mail(invitation, url, actor.language)
    return IssuedInvitation(invitation=invitation, url=url)


def _queue_invitation_mail(invitation: Invitation, url: str, language: str) -> None:
    """Into the outbox (sent by the worker): the inviting page answers even when mail is down."""
    with translation.override(language):
        context = {"invitation": invitation, "url": url, "days": settings.LOTSE_INVITATION_DAYS}
        subject = _("Invitation to Lotse from %(organisation)s") % {
            "organisation": invitation.organisation
        }
        body = render_to_string("accounts/email/invitation.txt", context)
    mail_queue(
        to=invitation.email,
        subject=subject,
        body=body,
        language=language,
        purpose=MailPurpose.INVITATION,
    )


def invitation_for_secret(secret: str) -> Invitation | None:
    invitation = (
        Invitation.objects.select_related("organisation")
        .filter(token_hash=hash_secret(secret))
        .first()
    )
    if invitation is None or not invitation.is_open:
        return None
    return invitation


@transaction.atomic
def invitation_accept(*, secret: str, password: str, language: str = "de") -> User:
    invitation = invitation_for_secret(secret)
    if invitation is None:
        raise ValidationError(_("This invitation is no longer valid. Ask for a new one."))
    # Lock the row: two clicks on the same link must not create two accounts.
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_open:
        raise ValidationError(_("This invitation is no longer valid. Ask for a new one."))
    user = user_create(
        actor=None,
        email=invitation.email,
        full_name=invitation.full_name,
        role=invitation.role,
        organisation=invitation.organisation,
        password=password,
        language=language,
    )
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    audit_record(
        actor=user,
        action="account.invitation_accepted",
        obj=invitation,
        concerns=[invitation.organisation],
    )
    return user


@transaction.atomic
def invitation_revoke(*, actor: User, invitation: Invitation) -> Invitation:
    if not can(actor, Action.REVOKE, invitation):
        raise AccessDeniedError("revoke invitation")
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    audit_record(
        actor=actor,
        action="account.invitation_revoked",
        obj=invitation,
        concerns=[invitation.organisation],
    )
    return invitation


@transaction.atomic
def user_set_active(*, actor: User, user: User, active: bool) -> User:
    if not can(actor, Action.EDIT, user):
        raise AccessDeniedError("deactivate user")
    before = {"is_active": user.is_active}
    user.is_active = active
    user.save(update_fields=["is_active"])
    if not active:
        ApiToken.objects.filter(user=user, revoked_at=None).update(revoked_at=timezone.now())
    audit_record(
        actor=actor,
        action="account.user_activated" if active else "account.user_deactivated",
        obj=user,
        concerns=[user.organisation] if user.organisation else [],
        before=before,
        after={"is_active": active},
    )
    return user


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    secret: str


@transaction.atomic
def api_token_create(
    *,
    user: User,
    name: str,
    scope: str = TokenScope.READ_WRITE,
    expires_on: date | None = None,
) -> IssuedToken:
    name = name.strip()
    if not name:
        raise ValidationError(
            {"name": _("Give the token a name, e.g. the system that will use it.")}
        )
    if scope not in TokenScope.values:
        raise ValidationError({"scope": _("Choose “read only” or “read and write”.")})
    today = timezone.localdate()
    longest = today + timedelta(days=settings.LOTSE_API_TOKEN_MAX_DAYS)
    if expires_on is None:
        expires_on = today + timedelta(days=settings.LOTSE_API_TOKEN_DEFAULT_DAYS)
    if expires_on <= today:
        raise ValidationError({"expires_on": _("The expiry date must lie in the future.")})
    if expires_on > longest:
        raise ValidationError(
            {
                "expires_on": _("A token may be valid until %(date)s at the latest.")
                % {"date": formats.date_format(longest, "SHORT_DATE_FORMAT")}
            }
        )
    # Valid through the whole expiry day, local time.
    expires_at = timezone.make_aware(datetime.combine(expires_on, time.max))
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name[:100],
        prefix=secret[: len(TOKEN_PREFIX) + 6],
        token_hash=hash_secret(secret),
        scope=scope,
        expires_at=expires_at,
    )
    audit_record(
        actor=user,
        action="account.api_token_created",
        obj=token,
        concerns=[user.organisation] if user.organisation else [],
        after={
            "name": token.name,
            "prefix": token.prefix,
            "scope": scope,
            "expires_on": expires_on.isoformat(),
        },
    )
    return IssuedToken(token=token, secret=secret)


@transaction.atomic
def api_token_revoke(*, actor: User, token: ApiToken) -> ApiToken:
    if not can(actor, Action.REVOKE, token):
        raise AccessDeniedError("revoke token")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(
            actor=actor,
            action="account.api_token_revoked",
            obj=token,
            concerns=[actor.organisation] if actor.organisation else [],
        )
    return token


def api_token_authenticate(secret: str) -> User | None:
    """The active user behind a token, or None."""
    token = api_token_resolve(secret)
    return token.user if token is not None else None


def api_token_resolve(secret: str) -> ApiToken | None:
    """The active token (with its active user), or None. Not audited: it is a read."""
    if not secret.startswith(TOKEN_PREFIX):
        return None
    now = timezone.now()
    token = (
        ApiToken.objects.select_related("user", "user__organisation")
        .filter(token_hash=hash_secret(secret), revoked_at=None, expires_at__gt=now)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    # Written at most once a minute so that a busy integration does not turn reads into writes;
    # the filter on the old value makes two concurrent requests write once.
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk, last_used_at=token.last_used_at).update(
            last_used_at=now
        )
    return token
