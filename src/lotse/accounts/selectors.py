from __future__ import annotations

from django.db.models import QuerySet
from django_otp.plugins.otp_totp.models import TOTPDevice

from lotse.accounts.models import (
    ApiToken,
    Invitation,
    SecondFactorPolicy,
    User,
    WebAuthnCredential,
)
from lotse.organisations.models import Organisation


def staff_list(*, organisation: Organisation) -> QuerySet[User]:
    return User.objects.filter(organisation=organisation).order_by("-is_active", "full_name")


def open_invitation_list(*, organisation: Organisation) -> QuerySet[Invitation]:
    return Invitation.objects.filter(
        organisation=organisation, accepted_at=None, revoked_at=None
    ).select_related("invited_by")


def api_token_list(*, user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user)


def second_factor_user_ids(*, organisation: Organisation) -> set[int]:
    """Members with a confirmed authenticator app or security key (for the team page)."""
    return set(
        TOTPDevice.objects.filter(user__organisation=organisation, confirmed=True).values_list(
            "user_id", flat=True
        )
    ) | set(
        WebAuthnCredential.objects.filter(
            user__organisation=organisation, confirmed=True
        ).values_list("user_id", flat=True)
    )


def second_factor_policy_of(*, organisation: Organisation) -> bool:
    return SecondFactorPolicy.objects.filter(organisation=organisation, required=True).exists()
