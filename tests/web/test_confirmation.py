"""Irreversible steps (withdraw, terminate, end, return, refuse) ask for confirmation on the page."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from lotse.cases import workflow
from lotse.cases.forms import asks_confirmation
from lotse.cases.models import Case, CaseState
from tests.cases.conftest import CA, create_case
from tests.conftest import World

ENDING = ("withdraw", "terminate_noncooperation", "end_requirements_not_met", "return_to_chamber",
          "return_gaps", "ba_refuse", "refuse_visa", "recognition_decide_rejected",
          "report_early_end", "expire_preapproval")  # fmt: skip


@pytest.mark.parametrize("name", ENDING)
def test_steps_that_end_return_or_refuse_ask_for_confirmation(name: str) -> None:
    assert asks_confirmation(workflow.STEP_BY_NAME[name])


@pytest.mark.parametrize("name", ["accept_intake", "ba_request_information", "forward"])
def test_ordinary_and_pausing_steps_do_not(name: str) -> None:
    assert not asks_confirmation(workflow.STEP_BY_NAME[name])


def test_the_case_page_shows_the_confirmation_checkbox(
    world: World, client_for: Callable[..., Client]
) -> None:
    case = create_case(world)
    page = client_for(world.users[CA]).get(reverse("cases:detail", args=[case.pk]))
    assert 'name="withdraw-confirm"' in page.content.decode()


def test_withdrawing_without_confirmation_is_refused_and_keeps_the_reason(
    world: World, client_for: Callable[..., Client]
) -> None:
    case = create_case(world)
    client = client_for(world.users[CA])
    url = reverse("cases:step", args=[case.pk, "withdraw"])
    response = client.post(url, {"version": case.version, "withdraw-reason": "Stelle besetzt"})
    assert response.status_code == 422
    page = response.content.decode()
    assert 'id="id_withdraw-confirm_error"' in page
    assert "Stelle besetzt" in page
    assert Case.objects.get(pk=case.pk).state != CaseState.WITHDRAWN
    confirmed = client.post(url, {"version": case.version, "withdraw-reason": "Stelle besetzt",
                                  "withdraw-confirm": "on"})  # fmt: skip
    assert confirmed.status_code == 302
    case = Case.objects.get(pk=case.pk)
    assert case.state == CaseState.WITHDRAWN
    assert "confirm" not in case.transitions.get(action="withdraw").data
