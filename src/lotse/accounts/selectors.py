from __future__ import annotations

from django.db.models import QuerySet

from lotse.accounts.models import ApiToken, Invitation, User
from lotse.organisations.models import Organisation


def staff_list(*, organisation: Organisation) -> QuerySet[User]:
    return User.objects.filter(organisation=organisation).order_by("-is_active", "full_name")


def open_invitation_list(*, organisation: Organisation) -> QuerySet[Invitation]:
    return Invitation.objects.filter(
        organisation=organisation, accepted_at=None, revoked_at=None
    ).select_related("invited_by")


def api_token_list(*, user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user)
