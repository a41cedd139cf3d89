"""Every recorded date is true: after the step it follows, not in the future, within sane bounds."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import translation

from lotse.cases import services
from lotse.cases.models import Case
from tests.cases.conftest import ADV, CA, CW, WORKER, create_case, drive, take
from tests.conftest import World

TODAY = dt.date.today()
D = dt.date


def _errors(case: Case, step: str, actor: Any, data: dict[str, Any], language: str = "en",
            **kw: Any) -> dict[str, Any]:  # fmt: skip
    with translation.override(language), pytest.raises(ValidationError) as info:
        take(case, step, actor, data, **kw)
    return info.value.message_dict


def _post(client: Client, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, body, content_type="application/json")


def test_the_abh_cannot_accept_a_file_before_it_was_forwarded(world: World) -> None:
    case = drive(world, create_case(world), "accept_intake", today=D(2026, 3, 2))
    errors = _errors(case, "accept_intake", world.users[CW], {"occurred_on": "2026-03-01"})
    assert "File forwarded to the immigration office" in errors["occurred_on"][0]
    errors = _errors(case, "accept_intake", world.users[CW], {"occurred_on": "2026-03-01"}, "de")
    assert "Akte an die Ausländerbehörde weitergeleitet" in errors["occurred_on"][0]
    assert take(case, "accept_intake", world.users[CW], {"occurred_on": "2026-03-02"}).state == (
        "intake_accepted"
    )


def test_a_ba_request_is_not_dated_before_the_agreement(world: World) -> None:
    case = drive(world, create_case(world), "recognition_initiate", today=D(2026, 3, 2))
    errors = _errors(case, "ba_request", world.users[CW], {"occurred_on": "2026-02-27"})
    assert "Agreement concluded and fee paid" in errors["occurred_on"][0]


def test_the_fee_is_not_paid_before_the_file_was_accepted(world: World) -> None:
    case = drive(world, create_case(world), "conclude_agreement", today=D(2026, 3, 2))
    errors = _errors(case, "conclude_agreement", world.users[CW], {"fee_paid_on": "2026-01-07"})
    assert "File accepted" in errors["fee_paid_on"][0]


def test_no_step_date_lies_in_the_future_but_an_appointment_may(world: World) -> None:
    case = drive(world, create_case(world), "apply_visa")
    tomorrow = (TODAY + dt.timedelta(days=1)).isoformat()
    errors = _errors(case, "apply_visa", world.users[CA], {"appointment_on": tomorrow,
                                                           "occurred_on": tomorrow})  # fmt: skip
    assert list(errors) == ["occurred_on"]
    assert take(case, "apply_visa", world.users[CA], {"appointment_on": tomorrow}).state == (
        "visa_applied"
    )


def test_a_visa_validity_ends_after_its_issue(world: World) -> None:
    case = drive(world, create_case(world), "issue_visa")
    yesterday = (TODAY - dt.timedelta(days=1)).isoformat()
    errors = _errors(case, "issue_visa", world.users[CA], {"valid_until": yesterday})
    assert list(errors) == ["valid_until"]


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
def test_absurd_dates_get_a_field_error_through_the_api(
    day: str, world: World, client_for: Callable[..., Client]
) -> None:
    case = drive(world, create_case(world), "apply_visa")
    client = client_for(world.users[CA])
    response = _post(client, f"/api/v1/cases/{case.pk}/transitions",
                     {"action": "apply_visa", "version": case.version,
                      "data": {"appointment_on": day}})  # fmt: skip
    assert response.status_code == 422, response.content
    assert response.json()["field_errors"][0]["field"] == "appointment_on"
    case = drive(world, create_case(world), "conclude_agreement")
    response = _post(client_for(world.users[CW]), f"/api/v1/cases/{case.pk}/transitions",
                     {"action": "conclude_agreement", "version": case.version,
                      "data": {"fee_paid_on": day}})  # fmt: skip
    assert response.status_code == 422, response.content
    assert response.json()["field_errors"][0]["field"] == "fee_paid_on"


@pytest.mark.parametrize(
    ("field", "value"),
    [("planned_start", "9999-12-31"), ("planned_start", "0001-01-01")],
)
def test_absurd_details_dates_are_refused(
    field: str, value: str, world: World, client_for: Callable[..., Client]
) -> None:
    case = create_case(world)
    response = client_for(world.users[CA]).patch(
        f"/api/v1/cases/{case.pk}", {"version": case.version, field: value},
        content_type="application/json")  # fmt: skip
    assert response.status_code == 422, response.content
    assert response.json()["field_errors"][0]["field"] == field
    assert Case.objects.get(pk=case.pk).planned_start is None


def test_absurd_worker_dates_are_refused_at_creation(world: World) -> None:
    with pytest.raises(ValidationError) as info:
        services.case_create(actor=world.users[CA], company=world.company,
                             site=world.company.sites.get(), title="18a",
                             worker={**WORKER, "worker_birth_date": "0001-01-01",
                                     "worker_passport_expiry": "9999-12-31"},
                             planned_start=D(9999, 12, 31))  # fmt: skip
    assert {"worker_birth_date", "worker_passport_expiry"} <= set(info.value.message_dict)
    assert not Case.objects.exists()


def test_a_paper_original_is_not_seen_in_year_one(world: World) -> None:
    case = create_case(world)
    item = case.checklist.first()
    assert item is not None
    with pytest.raises(ValidationError):
        services.checklist_item_update(item=item, actor=world.users[ADV], operation="paper",
                                       seen_on=D(1, 1, 1))  # fmt: skip
    item.refresh_from_db()
    assert item.paper_original_seen_on is None
