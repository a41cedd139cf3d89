"""A notification for the access matrix (tests/test_access_matrix.py): the company HR's own."""

from __future__ import annotations

from lotse.accounts.models import Role
from lotse.notifications.models import Delivery, Kind, Notification, Party
from tests.conftest import World


def hr_notification(world: World) -> Notification:
    return Notification.objects.create(
        recipient=world.users[Role.COMPANY_HR],
        party=Party.COMPANY,
        kind=Kind.STEP_RECORDED,
        delivery=Delivery.IN_APP,
    )
