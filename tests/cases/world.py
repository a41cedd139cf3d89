"""Cases for the access matrix (tests/test_access_matrix.py): own, forwarded, foreign."""

from __future__ import annotations

from django.utils import timezone

from lotse.accounts.models import Role
from lotse.cases.models import Case
from lotse.cases.services import case_create
from tests.cases.conftest import WORKER
from tests.conftest import World


def own_case(world: World) -> Case:
    """A case of the own company (IHK member in Asperg → LRA Ludwigsburg), not forwarded."""
    return case_create(
        actor=world.users[Role.COMPANY_ADMIN],
        company=world.company,
        site=world.company.sites.get(),
        worker=WORKER,
        title="18a",
        recognition_kind="equivalence",
        recognition_body="ihk-fosa",
    )


def forwarded_case(world: World) -> Case:
    """The own company's case, forwarded to the LRA (state set directly: access only)."""
    case = own_case(world)
    Case.objects.filter(pk=case.pk).update(forwarded_at=timezone.now(), state="forwarded")
    return Case.objects.get(pk=case.pk)


def foreign_case(world: World) -> Case:
    """A case of the other company (HWK member in Murr), started by its chamber."""
    return case_create(
        actor=world.foreign_users[Role.CHAMBER_ADVISOR],
        company=world.other_company,
        site=world.other_company.sites.get(),
        worker=WORKER,
        title="18a",
        recognition_kind="equivalence",
        recognition_body="hwk-region-stuttgart",
    )


def step_body(action: str) -> dict[str, object]:
    # A stale version: who may take the step gets the conflict (409), everyone else 403 / 404.
    return {"action": action, "version": 0, "data": {}}


def details_body() -> dict[str, object]:
    # A stale version: who may correct the case gets the conflict (409), everyone else 403 / 404.
    return {"version": 0, "job_title": "Elektroniker"}
