"""Objects of the advice area for the access matrix (tests/test_access_matrix.py)."""

from __future__ import annotations

import copy

from lotse.accounts.models import Role
from lotse.advice.models import AdvisoryRecord
from lotse.advice.services import advisory_record_create
from tests.advice.conftest import PROFILE
from tests.conftest import World


def own_record(world: World) -> AdvisoryRecord:
    """Made by the IHK advisor for the IHK member company in Asperg."""
    return advisory_record_create(
        actor=world.users[Role.CHAMBER_ADVISOR],
        company=world.company,
        profile=copy.deepcopy(PROFILE),
        notes="Erstberatung",
    )


def foreign_record(world: World) -> AdvisoryRecord:
    """Made by the Handwerkskammer's advisor for the craft business in Murr."""
    profile = copy.deepcopy(PROFILE)
    profile["job"]["municipality"] = "Murr"
    return advisory_record_create(
        actor=world.foreign_users[Role.CHAMBER_ADVISOR],
        company=world.other_company,
        profile=profile,
    )
