from __future__ import annotations

from lotse.cases.models import Case
from lotse.notifications.models import Notification
from tests.cases.conftest import ADV, AL, CA, CHR, CL, CW, create_case, drive, take, tick_all
from tests.conftest import World

__all__ = ["ADV", "AL", "CA", "CHR", "CL", "CW", "create_case", "drive", "take", "tick_all"]


def advised_case(world: World) -> Case:
    """A case started by the company with the own chamber's advisor named."""
    case = create_case(world)
    Case.objects.filter(pk=case.pk).update(advisor=world.users[ADV])
    return Case.objects.get(pk=case.pk)


def told(kind: str, case: Case) -> dict[str, set[str]]:
    """party → addresses told of ``kind`` in ``case``."""
    found: dict[str, set[str]] = {}
    for n in Notification.objects.filter(kind=kind, case=case).select_related("recipient"):
        found.setdefault(n.party, set()).add(n.recipient.email if n.recipient else n.email)
    return found
