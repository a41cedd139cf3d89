"""Services of identity: sign-in, password reset, second factor, denied access.

Each writes its audit event in its own transaction, like every service. The request's client
address reaches the audit event through the request context (lotse.core.client).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django_otp import devices_for_user, match_token
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from lotse.access import AccessDeniedError, Action, can
from lotse.accounts.models import SecondFactorPolicy, User, WebAuthnCredential
from lotse.accounts.selectors import second_factor_policy_of
from lotse.accounts.stamps import second_factor_stamp_renew
from lotse.audit.services import audit_record
from lotse.notifications.models import MailPurpose
from lotse.notifications.services import mail_queue
from lotse.organisations.models import Organisation

RECOVERY_CODE_COUNT = 10


def _concerns(user: User) -> list[Organisation]:
    return [user.organisation] if user.organisation is not None else []


# --- Sign-in ------------------------------------------------------------------------------------


@transaction.atomic
def login_record(*, user: User) -> None:
    audit_record(actor=user, action="account.login", obj=user, concerns=_concerns(user))


@transaction.atomic
def login_failure_record(*, email: str) -> None:
    """A wrong password or an unknown address; the address typed is kept (shortened)."""
    email = email.strip().lower()[:254]
    user = User.objects.select_related("organisation").filter(email=email).first()
    if user is not None:
        audit_record(actor=None, action="account.login_failed", obj=user, concerns=_concerns(user))
        return
    # No such account: recorded against the address that was tried, visible to the platform.
    audit_record(
        actor=None,
        action="account.login_failed",
        obj=User(email=email, full_name=""),
        concerns=[],
        after={"unknown_account": True},
    )


@transaction.atomic
def access_denied_record(*, user: User, method: str, path: str) -> None:
    audit_record(
        actor=user,
        action="account.access_denied",
        obj=user,
        concerns=_concerns(user),
        after={"method": method, "path": path[:500]},
    )


# --- Password reset -----------------------------------------------------------------------------


def _reset_users(email: str) -> list[User]:
    return list(
        # "!" starts an unusable password (UNUSABLE_PASSWORD_PREFIX): no reset for those.
        User.objects.filter(email__iexact=email, is_active=True).exclude(
            password__startswith=UNUSABLE_PASSWORD_PREFIX
        )
    )


@transaction.atomic
def password_reset_request(*, email: str) -> None:
    """Queue one mail to the address, whether an account has it or not.

    Both branches do the same work (one lookup, one mail into the outbox, one audit event,
    rendering one template), so neither the answer nor its timing tells an outsider whether
    the address has an account. The mail to an unknown address says so, which also tells a
    person who has forgotten which address they used.
    """
    email = email.strip().lower()
    users = _reset_users(email)
    site = settings.LOTSE_SITE_URL.rstrip("/")
    protocol, _sep, domain = site.partition("://")
    user = users[0] if users else None
    language = user.language if user is not None else translation.get_language() or "de"
    context: dict[str, Any] = {"protocol": protocol, "domain": domain, "email": email}
    if user is not None:
        context.update(
            {
                "user": user,
                "uid": urlsafe_base64_encode(force_bytes(user.pk)),
                "token": default_token_generator.make_token(user),
            }
        )
        template = "accounts/email/password_reset.txt"
    else:
        template = "accounts/email/password_reset_unknown.txt"
    with translation.override(language):
        subject = render_to_string("accounts/email/password_reset_subject.txt", context).strip()
        body = render_to_string(template, context)
    mail_queue(
        to=email, subject=subject, body=body, language=language, purpose=MailPurpose.PASSWORD_RESET
    )
    # Not shown to the organisation: an anonymous request is not the account holder's act.
    audit_record(
        actor=None,
        action="account.password_reset_requested",
        obj=user if user is not None else User(email=email, full_name=""),
        concerns=[],
    )


@transaction.atomic
def password_reset_completed(*, user: User) -> None:
    audit_record(
        actor=user, action="account.password_reset_completed", obj=user, concerns=_concerns(user)
    )


# --- Second factor ------------------------------------------------------------------------------


def second_factor_policy(*, organisation: Organisation | None) -> bool:
    if organisation is None:
        return False
    return second_factor_policy_of(organisation=organisation)


def second_factor_required(*, user: User) -> bool:
    """Staff of chambers, authorities and the platform (LOTSE_REQUIRE_2FA), or by policy."""
    if settings.LOTSE_REQUIRE_2FA and (
        user.is_chamber_user or user.is_authority_user or user.is_platform_admin
    ):
        return True
    return second_factor_policy(organisation=user.organisation)


def second_factor_devices(*, user: User) -> list[Device]:
    return list(devices_for_user(user, confirmed=True))


def totp_device(*, user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def totp_device_pending(*, user: User) -> TOTPDevice:
    """The not yet confirmed authenticator of the enrolment page (one per person)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=_("Authenticator app"), confirmed=False)
    return device


def recovery_codes_left(*, user: User) -> int:
    return int(StaticToken.objects.filter(device__user=user, device__confirmed=True).count())


def primary_factor_count(*, user: User) -> int:
    """Authenticator app and security keys; recovery codes only stand in for them."""
    return int(
        TOTPDevice.objects.filter(user=user, confirmed=True).count()
        + WebAuthnCredential.objects.filter(user=user, confirmed=True).count()
    )


def new_recovery_codes(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=_("Recovery codes"), confirmed=True)
    codes = [StaticToken.random_token() for _index in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


@dataclass(frozen=True)
class Enrolment:
    device: TOTPDevice
    recovery_codes: list[str]


@transaction.atomic
def second_factor_enrol(*, user: User, token: str) -> Enrolment:
    """Confirm the pending authenticator with a first code; returns the recovery codes."""
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).first()
    if device is None or not device.verify_token(token.strip().replace(" ", "")):
        raise ValidationError(
            {"token": _("This code is not correct. Type the six digits your app shows now.")}
        )
    TOTPDevice.objects.filter(user=user, confirmed=True).delete()
    # A person who already signs in with a security key keeps the recovery codes they hold.
    keep_codes = primary_factor_count(user=user) > 0 and recovery_codes_left(user=user) > 0
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = [] if keep_codes else new_recovery_codes(user)
    second_factor_stamp_renew(user=user)  # the person's other sessions now ask for the code
    audit_record(
        actor=user,
        action="account.second_factor_enrolled",
        obj=user,
        concerns=_concerns(user),
        after={"method": "totp", "recovery_codes": len(codes)},
    )
    return Enrolment(device=device, recovery_codes=codes)


@transaction.atomic
def recovery_codes_renew(*, user: User) -> list[str]:
    if primary_factor_count(user=user) == 0:
        raise ValidationError(_("Set up an authenticator app or a security key first."))
    codes = new_recovery_codes(user)
    audit_record(
        actor=user,
        action="account.recovery_codes_renewed",
        obj=user,
        concerns=_concerns(user),
        after={"recovery_codes": len(codes)},
    )
    return codes


def second_factor_verify(*, user: User, token: str) -> Device | None:
    """The device that accepts the code (authenticator or recovery code), or None.

    django-otp throttles each device after failures (growing delays), so guessing six digits
    is not an option; a used recovery code is deleted by django-otp and audited here.
    """
    device = match_token(user, token.strip().replace(" ", ""))
    with transaction.atomic():
        if device is None:
            audit_record(
                actor=user,
                action="account.second_factor_failed",
                obj=user,
                concerns=_concerns(user),
            )
        elif isinstance(device, StaticDevice):
            audit_record(
                actor=user,
                action="account.recovery_code_used",
                obj=user,
                concerns=_concerns(user),
                after={"recovery_codes_left": recovery_codes_left(user=user)},
            )
    return device


@transaction.atomic
def second_factor_remove(*, actor: User, user: User) -> None:
    """Remove every second factor of a person: an administrator's reset, or the person's own
    choice where no second factor is required."""
    if actor.pk == user.pk:
        if second_factor_required(user=user):
            raise ValidationError(
                _("Your organisation requires a second factor; it cannot be switched off.")
            )
    elif not can(actor, Action.EDIT, user):
        raise AccessDeniedError("reset second factor")
    removed = TOTPDevice.objects.filter(user=user).delete()[0]
    removed += WebAuthnCredential.objects.filter(user=user).delete()[0]
    StaticDevice.objects.filter(user=user).delete()
    second_factor_stamp_renew(user=user)  # sessions signed in with it: enrol or go on without
    audit_record(
        actor=actor,
        action="account.second_factor_removed",
        obj=user,
        concerns=_concerns(user),
        after={"devices": removed, "by_administrator": actor.pk != user.pk},
    )


@transaction.atomic
def second_factor_policy_set(
    *, actor: User, organisation: Organisation, required: bool
) -> SecondFactorPolicy:
    if not can(actor, Action.MANAGE_STAFF, organisation):
        raise AccessDeniedError("second factor policy")
    policy, _created = SecondFactorPolicy.objects.select_for_update().get_or_create(
        organisation=organisation
    )
    before = {"required": policy.required}
    policy.required = required
    policy.save(update_fields=["required"])
    second_factor_stamp_renew(organisation=organisation)  # members already signed in too
    audit_record(
        actor=actor,
        action="account.second_factor_policy_changed",
        obj=organisation,
        concerns=[organisation],
        before=before,
        after={"required": required},
    )
    return policy
