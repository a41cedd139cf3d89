"""Correcting the case data: the worker's passport data and the job (case_update_details)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from lotse.audit.models import AuditEvent
from lotse.cases import services
from lotse.cases.models import Case
from tests.cases import world as cases
from tests.cases.conftest import ADV, AL, CA, CHR, CL, CW, create_case
from tests.conftest import World


def _events(case: Case) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action="case.details_corrected", object_id=str(case.pk)))


# --------------------------------------------------------------------------- service


def test_correction_bumps_version_and_records_before_and_after(world: World) -> None:
    case = create_case(world)
    updated = services.case_update_details(
        case=case,
        actor=world.users[CA],
        expected_version=case.version,
        worker_surname="KUMARI",
        worker_passport_number="z7654321",
        worker_given_names="PRIYA",  # unchanged: not in the audit event
        planned_start="2026-09-01",
    )
    assert updated.version == case.version + 1
    fresh = Case.objects.get(pk=case.pk)
    assert fresh.worker_surname == "KUMARI"
    assert fresh.worker_passport_number == "Z7654321"
    assert fresh.planned_start == dt.date(2026, 9, 1)
    assert fresh.state == case.state
    assert fresh.title == case.title
    (event,) = _events(case)
    assert event.before == {
        "worker_surname": "KUMAR",
        "worker_passport_number": "Z1234567",
        "planned_start": None,
    }
    assert event.after == {
        "worker_surname": "KUMARI",
        "worker_passport_number": "Z7654321",
        "planned_start": "2026-09-01",
        "version": case.version + 1,
    }


def test_a_stale_version_saves_nothing(world: World) -> None:
    case = create_case(world)
    with pytest.raises(services.CaseConflictError):
        services.case_update_details(
            case=case,
            actor=world.users[CA],
            expected_version=case.version - 1,
            worker_surname="KUMARI",
        )
    fresh = Case.objects.get(pk=case.pk)
    assert fresh.worker_surname == "KUMAR"
    assert fresh.version == case.version
    assert _events(case) == []


def test_invalid_values_are_refused_per_field(world: World) -> None:
    case = create_case(world)
    with pytest.raises(ValidationError) as caught:
        services.case_update_details(
            case=case,
            actor=world.users[CA],
            expected_version=case.version,
            worker_nationality="IN",
            worker_surname="",
        )
    assert set(caught.value.message_dict) == {"worker_nationality"}
    with pytest.raises(ValidationError) as caught:
        services.case_update_details(
            case=case, actor=world.users[CA], expected_version=case.version, worker_surname=""
        )
    assert "worker_surname" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        services.case_update_details(
            case=case, actor=world.users[CA], expected_version=case.version, title="18b"
        )
    assert "title" in caught.value.message_dict
    assert Case.objects.get(pk=case.pk).version == case.version


@pytest.mark.parametrize("role", [CA, CHR, ADV, CL])
def test_company_and_chamber_correct_until_forwarded(world: World, role: str) -> None:
    case = create_case(world)
    services.case_update_details(
        case=case, actor=world.users[role], expected_version=case.version, job_title="Mechatroniker"
    )
    assert Case.objects.get(pk=case.pk).job_title == "Mechatroniker"


@pytest.mark.parametrize("role", [CA, CHR, ADV, CL])
def test_company_and_chamber_may_not_after_forwarding(world: World, role: str) -> None:
    case = cases.forwarded_case(world)
    with pytest.raises(PermissionDenied):
        services.case_update_details(
            case=case, actor=world.users[role], expected_version=case.version, job_title="X"
        )
    assert Case.objects.get(pk=case.pk).version == case.version


@pytest.mark.parametrize("role", [CW, AL])
def test_the_abh_corrects_the_forwarded_file(world: World, role: str) -> None:
    case = cases.forwarded_case(world)
    services.case_update_details(
        case=case,
        actor=world.users[role],
        expected_version=case.version,
        worker_birth_place="Kollam",
    )
    assert Case.objects.get(pk=case.pk).worker_birth_place == "Kollam"
    assert len(_events(case)) == 1


def test_the_abh_may_not_before_forwarding(world: World) -> None:
    case = create_case(world)
    with pytest.raises(PermissionDenied):
        services.case_update_details(
            case=case, actor=world.users[CW], expected_version=case.version, job_title="X"
        )


# --------------------------------------------------------------------------- view


def _form(case: Case, **overrides: str) -> dict[str, str]:
    data = {
        "worker_surname": case.worker_surname,
        "worker_given_names": case.worker_given_names,
        "worker_birth_date": case.worker_birth_date.isoformat(),
        "worker_birth_place": case.worker_birth_place,
        "worker_nationality": case.worker_nationality,
        "worker_passport_number": case.worker_passport_number,
        "worker_passport_expiry": case.worker_passport_expiry.isoformat(),
        "worker_email": case.worker_email,
        "worker_language": case.worker_language,
        "job_title": case.job_title,
        "planned_start": "",
        "version": str(case.version),
    }
    return {**data, **overrides}


def test_the_case_page_links_the_form_for_who_may(
    world: World, client_for: Callable[..., Client]
) -> None:
    case = create_case(world)
    url = reverse("cases:edit_details", args=[case.pk])
    page = client_for(world.users[CA]).get(reverse("cases:detail", args=[case.pk]))
    assert url in page.content.decode()
    forwarded = cases.forwarded_case(world)
    page = client_for(world.users[CA]).get(reverse("cases:detail", args=[forwarded.pk]))
    assert reverse("cases:edit_details", args=[forwarded.pk]) not in page.content.decode()


def test_the_view_saves_and_redirects(world: World, client_for: Callable[..., Client]) -> None:
    case = create_case(world)
    response = client_for(world.users[ADV]).post(
        reverse("cases:edit_details", args=[case.pk]), _form(case, worker_surname="KUMARI")
    )
    assert response.status_code == 302
    assert Case.objects.get(pk=case.pk).worker_surname == "KUMARI"


def test_invalid_input_shows_the_error_and_keeps_what_was_typed(
    world: World, client_for: Callable[..., Client]
) -> None:
    case = create_case(world)
    response = client_for(world.users[CA]).post(
        reverse("cases:edit_details", args=[case.pk]),
        _form(case, worker_surname="KUMARI-TYPED", worker_nationality="I1D"),
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert "Wählen Sie ein Land aus der Liste" in body  # the form speaks German by default
    assert 'value="KUMARI-TYPED"' in body
    assert Case.objects.get(pk=case.pk).worker_surname == "KUMAR"


def test_a_conflict_shows_the_message_and_keeps_the_input(
    world: World, client_for: Callable[..., Client]
) -> None:
    case = create_case(world)
    stale = _form(case, worker_surname="KUMARI-TYPED")
    services.case_update_details(
        case=case, actor=world.users[ADV], expected_version=case.version, job_title="Other"
    )
    response = client_for(world.users[CA]).post(
        reverse("cases:edit_details", args=[case.pk]), stale
    )
    assert response.status_code == 409
    body = response.content.decode()
    assert 'data-testid="conflict"' in body
    assert 'value="KUMARI-TYPED"' in body
    assert Case.objects.get(pk=case.pk).worker_surname == "KUMAR"
    # Sending again after checking the case saves: the form now carries the current version.
    assert f'name="version" value="{case.version + 1}"' in body
    again = {**stale, "version": str(case.version + 1)}
    response = client_for(world.users[CA]).post(
        reverse("cases:edit_details", args=[case.pk]), again
    )
    assert response.status_code == 302
    assert Case.objects.get(pk=case.pk).worker_surname == "KUMARI-TYPED"


# --------------------------------------------------------------------------- API


def test_api_patch_corrects(world: World, client_for: Callable[..., Client]) -> None:
    case = create_case(world)
    response = client_for(world.users[CA]).patch(
        f"/api/v1/cases/{case.pk}",
        {"version": case.version, "worker": {"surname": "KUMARI"}, "planned_start": "2026-10-01"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["worker"]["surname"] == "KUMARI"
    assert data["worker"]["given_names"] == "PRIYA"
    assert data["planned_start"] == "2026-10-01"
    assert data["version"] == case.version + 1


def test_api_patch_conflict(world: World, client_for: Callable[..., Client]) -> None:
    case = create_case(world)
    response = client_for(world.users[CA]).patch(
        f"/api/v1/cases/{case.pk}",
        {"version": case.version + 5, "job_title": "X"},
        content_type="application/json",
    )
    assert response.status_code == 409
    assert response.json()["code"] == "version_conflict"
    assert Case.objects.get(pk=case.pk).job_title == "Industriemechaniker"


def test_api_patch_invalid_values(world: World, client_for: Callable[..., Client]) -> None:
    case = create_case(world)
    response = client_for(world.users[CA]).patch(
        f"/api/v1/cases/{case.pk}",
        {"version": case.version, "worker": {"nationality": "INDIA", "email": "no-mail"}},
        content_type="application/json",
    )
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid_input"
    fields = {e["field"] for e in body["field_errors"]}
    assert "worker.nationality" in fields
    response = client_for(world.users[CA]).patch(
        f"/api/v1/cases/{case.pk}",
        {"version": case.version, "worker": {"email": "no-mail"}},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["field_errors"]} == {"worker.email"}
    assert Case.objects.get(pk=case.pk).version == case.version
