"""The workbench search: a complete reference finds exactly its case; parts of a reference or
of the worker's names find every case that contains them (page and API alike)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from lotse.accounts.models import Role
from lotse.cases.models import Case
from lotse.cases.selectors import CaseFilters, case_list_for
from tests.cases.conftest import create_case
from tests.conftest import World


@pytest.fixture
def three(world: World) -> list[Case]:
    return [create_case(world) for _ in range(3)]


def test_a_complete_reference_finds_its_case_in_any_case(world: World, three: list[Case]) -> None:
    user = world.users[Role.COMPANY_ADMIN]
    wanted = three[1]
    for term in (wanted.reference, wanted.reference.lower(), f"  {wanted.reference} "):
        found = list(case_list_for(user=user, filters=CaseFilters(query=term)))
        assert found == [wanted]


def test_a_complete_reference_is_looked_up_by_the_unique_index(
    world: World, three: list[Case]
) -> None:
    user = world.users[Role.COMPANY_ADMIN]
    with CaptureQueriesContext(connection) as queries:
        list(case_list_for(user=user, filters=CaseFilters(query=three[0].reference)))
    sql = " ".join(q["sql"] for q in queries.captured_queries).upper()
    # No substring search (LIKE / ILIKE over the reference or the names) for a whole reference.
    assert "LIKE" not in sql


def test_part_of_a_reference_still_finds_every_case_containing_it(
    world: World, three: list[Case]
) -> None:
    user = world.users[Role.COMPANY_ADMIN]
    common = three[0].reference.rsplit("-", 1)[0]  # "LB-2026"
    found = set(case_list_for(user=user, filters=CaseFilters(query=common)))
    assert found == set(three)


def test_names_are_still_searched(world: World, three: list[Case]) -> None:
    user = world.users[Role.COMPANY_ADMIN]
    surname = three[2].worker_surname
    found = list(case_list_for(user=user, filters=CaseFilters(query=surname[:4].lower())))
    assert three[2] in found


def test_another_organisation_s_reference_finds_nothing(
    world: World, three: list[Case], client_for: Callable[..., Client]
) -> None:
    other = world.foreign_users[Role.COMPANY_ADMIN]
    found = list(case_list_for(user=other, filters=CaseFilters(query=three[0].reference)))
    assert found == []
    api = client_for(other).get(f"/api/v1/cases?q={three[0].reference}").json()
    assert api["count"] == 0
