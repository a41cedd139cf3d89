"""Security keys and passkeys as a second factor (WebAuthn Level 2, py_webauthn; ADR 0026).

The two ceremonies: registration adds a key to a person, authentication confirms a sign-in with
it. Each ceremony answers one challenge that the server issued, kept in the person's session
(not in the browser), used once whatever the outcome, and void after
``LOTSE_WEBAUTHN_CHALLENGE_SECONDS``. The browser's answer must name our relying party
(``LOTSE_WEBAUTHN_RP_ID``) and come from one of our origins (``LOTSE_WEBAUTHN_ORIGINS``).

A key is a second factor, not a password replacement: the person has signed in with the password
already, so the key is listed by the server (no discoverable credential) and user verification
(PIN, fingerprint) is not asked for.
"""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import MutableMapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice
from webauthn import (
    generate_authentication_options,
    generate_registration_options,
    options_to_json,
    verify_authentication_response,
    verify_registration_response,
)
from webauthn.helpers import (
    base64url_to_bytes,
    bytes_to_base64url,
    parse_authentication_credential_json,
    parse_registration_credential_json,
)
from webauthn.helpers.exceptions import WebAuthnException
from webauthn.helpers.structs import (
    AttestationConveyancePreference,
    AuthenticationCredential,
    AuthenticatorSelectionCriteria,
    AuthenticatorTransport,
    PublicKeyCredentialDescriptor,
    RegistrationCredential,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from lotse.access import AccessDeniedError
from lotse.accounts.identity import (
    new_recovery_codes,
    primary_factor_count,
    recovery_codes_left,
    second_factor_required,
)
from lotse.accounts.models import User, WebAuthnCredential
from lotse.accounts.stamps import second_factor_stamp_renew
from lotse.audit.services import audit_record
from lotse.organisations.models import Organisation

REGISTER = "register"
AUTHENTICATE = "authenticate"
_SESSION_KEYS = {REGISTER: "lotse_webauthn_register", AUTHENTICATE: "lotse_webauthn_authenticate"}
# What a malformed answer of a browser can raise inside py_webauthn besides its own exceptions
# (base64 and CBOR decoding); each is a refusal, never a server error.
_BAD_ANSWER = (WebAuthnException, ValueError, TypeError, KeyError, AttributeError)

Session = MutableMapping[str, Any]


def _concerns(user: User) -> list[Organisation]:
    return [user.organisation] if user.organisation is not None else []


def _user_handle(user: User) -> bytes:
    # WebAuthn's user.id must not reveal the person (§ 14.6.1): a keyed hash of the primary key.
    return salted_hmac("lotse.accounts.webauthn.user", str(user.pk), algorithm="sha256").digest()


# --- Challenges ---------------------------------------------------------------------------------


def _challenge_issue(session: Session, purpose: str) -> bytes:
    challenge = secrets.token_bytes(32)
    session[_SESSION_KEYS[purpose]] = {
        "challenge": bytes_to_base64url(challenge),
        "expires": time.time() + settings.LOTSE_WEBAUTHN_CHALLENGE_SECONDS,
    }
    return challenge


def _challenge_take(session: Session, purpose: str) -> bytes | None:
    """The open challenge, removed from the session: each one is answered once at most."""
    pending = session.pop(_SESSION_KEYS[purpose], None)
    if not isinstance(pending, dict) or float(pending.get("expires", 0)) < time.time():
        return None
    return base64url_to_bytes(str(pending["challenge"]))


# --- Reads --------------------------------------------------------------------------------------


def security_keys_of(*, user: User) -> list[WebAuthnCredential]:
    return list(WebAuthnCredential.objects.filter(user=user, confirmed=True))


def _descriptors(keys: list[WebAuthnCredential]) -> list[PublicKeyCredentialDescriptor]:
    known = {transport.value for transport in AuthenticatorTransport}
    return [
        PublicKeyCredentialDescriptor(
            id=base64url_to_bytes(key.credential_id),
            transports=[AuthenticatorTransport(t) for t in key.transports if t in known],
        )
        for key in keys
    ]


# --- Registration -------------------------------------------------------------------------------


def registration_options(*, user: User, session: Session) -> dict[str, Any]:
    """The options for ``navigator.credentials.create()``, as JSON (binary values base64url)."""
    options = generate_registration_options(
        rp_id=settings.LOTSE_WEBAUTHN_RP_ID,
        rp_name=settings.OTP_TOTP_ISSUER,
        user_name=user.email,
        user_id=_user_handle(user),
        user_display_name=user.display_name,
        challenge=_challenge_issue(session, REGISTER),
        timeout=settings.LOTSE_WEBAUTHN_CHALLENGE_SECONDS * 1000,
        attestation=AttestationConveyancePreference.NONE,
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.DISCOURAGED,
            user_verification=UserVerificationRequirement.DISCOURAGED,
        ),
        exclude_credentials=_descriptors(security_keys_of(user=user)),
    )
    result: dict[str, Any] = json.loads(options_to_json(options))
    return result


@dataclass(frozen=True)
class Registration:
    key: WebAuthnCredential
    # New recovery codes when the key is the person's first factor, else empty.
    recovery_codes: list[str]


@dataclass(frozen=True)
class _Refusal:
    reason: str
    key: WebAuthnCredential | None = None
    # A good signature with a lower counter: two copies of the key exist.
    copied: bool = False


def _failure(user: User, refusal: _Refusal) -> None:
    # Its own transaction: the refusal that follows must not roll the audit event back.
    after: dict[str, Any] = {"reason": refusal.reason}
    if refusal.key is not None:
        after.update({"key": refusal.key.name, "key_id": refusal.key.pk})
    with transaction.atomic():
        audit_record(
            actor=user,
            action=(
                "account.security_key_counter_regressed"
                if refusal.copied
                else "account.security_key_failed"
            ),
            obj=user,
            concerns=_concerns(user),
            after=after,
        )


def security_key_register(
    *, user: User, session: Session, name: str, credential: str | dict[str, Any]
) -> Registration:
    """Verify the browser's answer to the registration options and keep the key."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the key a name, for example “Blue USB key”.")})
    challenge = _challenge_take(session, REGISTER)
    if challenge is None:
        raise ValidationError({"credential": _("The request for the key has expired. Try again.")})
    try:
        parsed: RegistrationCredential = parse_registration_credential_json(credential)
        verified = verify_registration_response(
            credential=parsed,
            expected_challenge=challenge,
            expected_rp_id=settings.LOTSE_WEBAUTHN_RP_ID,
            expected_origin=settings.LOTSE_WEBAUTHN_ORIGINS,
            require_user_verification=False,
        )
    except _BAD_ANSWER as exc:
        _failure(user, _Refusal(f"registration: {exc}"[:200]))
        raise ValidationError(
            {"credential": _("The key's answer could not be verified. Try again.")}
        ) from exc
    credential_id = bytes_to_base64url(verified.credential_id)
    if WebAuthnCredential.objects.filter(credential_id=credential_id).exists():
        raise ValidationError({"credential": _("This key is already registered.")})
    return _register(user=user, name=name, verified=verified, parsed=parsed, cid=credential_id)


@transaction.atomic
def _register(
    *, user: User, name: str, verified: Any, parsed: RegistrationCredential, cid: str
) -> Registration:
    first = primary_factor_count(user=user) == 0
    key = WebAuthnCredential.objects.create(
        user=user,
        name=name[:64],
        confirmed=True,
        credential_id=cid,
        public_key=verified.credential_public_key,
        sign_count=verified.sign_count,
        transports=[t.value for t in (parsed.response.transports or [])],
        aaguid=str(verified.aaguid),
    )
    # The first factor comes with recovery codes, as with the authenticator app.
    codes = new_recovery_codes(user) if first or recovery_codes_left(user=user) == 0 else []
    second_factor_stamp_renew(user=user)  # the person's other sessions now ask for the key
    audit_record(
        actor=user,
        action="account.security_key_added",
        obj=user,
        concerns=_concerns(user),
        after={"key": key.name, "key_id": key.pk, "recovery_codes": len(codes)},
    )
    return Registration(key=key, recovery_codes=codes)


# --- Authentication -----------------------------------------------------------------------------


def authentication_options(*, user: User, session: Session) -> dict[str, Any] | None:
    """The options for ``navigator.credentials.get()``, or None without a key."""
    keys = security_keys_of(user=user)
    if not keys:
        return None
    options = generate_authentication_options(
        rp_id=settings.LOTSE_WEBAUTHN_RP_ID,
        challenge=_challenge_issue(session, AUTHENTICATE),
        timeout=settings.LOTSE_WEBAUTHN_CHALLENGE_SECONDS * 1000,
        allow_credentials=_descriptors(keys),
        user_verification=UserVerificationRequirement.DISCOURAGED,
    )
    result: dict[str, Any] = json.loads(options_to_json(options))
    return result


def security_key_verify(
    *, user: User, session: Session, credential: str | dict[str, Any]
) -> WebAuthnCredential | None:
    """The person's key that signed the challenge, or None (audited either way)."""
    challenge = _challenge_take(session, AUTHENTICATE)
    if challenge is None:
        _failure(user, _Refusal("no open challenge"))
        return None
    try:
        parsed: AuthenticationCredential = parse_authentication_credential_json(credential)
    except _BAD_ANSWER:
        _failure(user, _Refusal("malformed answer"))
        return None
    cid = bytes_to_base64url(parsed.raw_id)
    with transaction.atomic():
        # Locked: two answers signed by the same key cannot both pass the counter check.
        key = (
            WebAuthnCredential.objects.select_for_update()
            .filter(user=user, confirmed=True, credential_id=cid)
            .first()
        )
        if key is None:
            # Someone else's key, or one removed meanwhile: never accepted for this person.
            refusal: _Refusal | None = _Refusal("unknown key")
        else:
            refusal = _authenticate(key=key, parsed=parsed, challenge=challenge)
        if refusal is None:
            return key  # type: ignore[no-any-return]
    _failure(user, refusal)
    return None


def _authenticate(
    *, key: WebAuthnCredential, parsed: AuthenticationCredential, challenge: bytes
) -> _Refusal | None:
    try:
        verified = verify_authentication_response(
            credential=parsed,
            expected_challenge=challenge,
            expected_rp_id=settings.LOTSE_WEBAUTHN_RP_ID,
            expected_origin=settings.LOTSE_WEBAUTHN_ORIGINS,
            credential_public_key=bytes(key.public_key),
            # The counter is compared below, after the signature is known to be good, so that
            # a lower counter is told apart (a cloned key) from any other failure.
            credential_current_sign_count=0,
            require_user_verification=False,
        )
    except _BAD_ANSWER as exc:
        return _Refusal(f"{exc}"[:200], key)
    new_count = verified.new_sign_count
    # WebAuthn § 6.1.1: authenticators without a counter send 0 each time; any other value
    # must grow, or two copies of the key exist.
    if (new_count or key.sign_count) and new_count <= key.sign_count:
        return _Refusal(f"counter {new_count} after {key.sign_count}", key, copied=True)
    key.sign_count = new_count
    key.last_used_at = timezone.now()
    key.save(update_fields=["sign_count", "last_used_at"])
    audit_record(
        actor=key.user,
        action="account.security_key_used",
        obj=key.user,
        concerns=_concerns(key.user),
        after={"key": key.name, "key_id": key.pk},
    )
    return None


# --- Removal ------------------------------------------------------------------------------------


@transaction.atomic
def security_key_remove(*, actor: User, key: WebAuthnCredential) -> None:
    """Remove one's own key; the last factor stays where the organisation requires one."""
    user = key.user
    if actor.pk != user.pk:
        raise AccessDeniedError("remove security key")
    # Locked so that two removals at once cannot each leave the other as the last factor.
    User.objects.select_for_update().filter(pk=user.pk).first()
    if primary_factor_count(user=user) <= 1 and second_factor_required(user=user):
        raise ValidationError(
            _(
                "This is your last second factor, and your organisation requires one. "
                "Add another key or set up an authenticator app first."
            )
        )
    name, pk = key.name, key.pk
    key.delete()
    recovery_removed = False
    if primary_factor_count(user=user) == 0:
        # Recovery codes stand in for a factor; without one left they would be the only one.
        StaticDevice.objects.filter(user=user).delete()
        recovery_removed = True
    second_factor_stamp_renew(user=user)  # sessions signed in before: enrol or go on without
    audit_record(
        actor=actor,
        action="account.security_key_removed",
        obj=user,
        concerns=_concerns(user),
        after={"key": name, "key_id": pk, "recovery_codes_removed": recovery_removed},
    )
