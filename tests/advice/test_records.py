"""Advisory records: the service audits, visibility follows the record's parties, the PDF."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from lotse.access import Action, advisory_records_visible_to, can
from lotse.accounts.models import Role
from lotse.advice.models import AdvisoryRecord
from lotse.advice.services import advisory_record_attach_case, advisory_record_create
from lotse.audit.models import AuditEvent
from tests.conftest import World

WORKER = {
    "worker_surname": "Rojas",
    "worker_given_names": "Carlos",
    "worker_birth_date": "1992-04-12",
    "worker_birth_place": "Bogotá",
    "worker_nationality": "COL",
    "worker_passport_number": "AB1234567",
    "worker_passport_expiry": "2034-01-01",
}


def _record(
    world: World, profile: dict[str, Any], role: str = Role.CHAMBER_ADVISOR
) -> AdvisoryRecord:
    return advisory_record_create(
        actor=world.users[role], company=world.company, profile=profile, notes="Erstgespräch"
    )


def test_the_service_writes_an_audit_event_in_the_same_transaction(
    world: World, profile: dict[str, Any]
) -> None:
    record = _record(world, profile)
    event = AuditEvent.objects.get(action="advisory_record.created")
    assert event.object_id == str(record.pk)
    assert event.actor == world.users[Role.CHAMBER_ADVISOR]
    assert set(event.concerns.values_list("pk", flat=True)) == {
        world.company.pk,
        world.ihk.pk,
    }
    assert event.after["recommended_title"] == "18a"
    assert record.ruleset == record.result["ruleset"]
    assert record.advised_on == timezone.localdate()


def test_the_result_is_computed_not_taken_from_the_caller(
    world: World, profile: dict[str, Any]
) -> None:
    record = _record(world, profile)
    assert record.result["recommended"]["title"] == "18a"
    assert record.result["next_steps"]
    assert record.input["qualification"]["reference_occupation"] == "Industriemechaniker/in"


def test_invalid_profile_is_a_validation_error_and_writes_nothing(
    world: World, profile: dict[str, Any]
) -> None:
    profile["job"]["salary"] = 1
    with pytest.raises(ValidationError) as raised:
        _record(world, profile)
    assert raised.value.message_dict == {"job.salary": ["unknown field"]}
    assert not AdvisoryRecord.objects.exists()
    assert not AuditEvent.objects.filter(action="advisory_record.created").exists()


def test_a_chamber_advises_only_companies_it_serves(world: World, profile: dict[str, Any]) -> None:
    with pytest.raises(PermissionDenied):
        advisory_record_create(
            actor=world.users[Role.CHAMBER_ADVISOR], company=world.other_company, profile=profile
        )
    with pytest.raises(PermissionDenied):
        advisory_record_create(
            actor=world.users[Role.ABH_CASEWORKER], company=world.company, profile=profile
        )


def test_a_company_record_has_no_chamber_and_the_chamber_does_not_see_it(
    world: World, profile: dict[str, Any]
) -> None:
    record = _record(world, profile, Role.COMPANY_HR)
    assert record.chamber is None
    assert record in advisory_records_visible_to(user=world.users[Role.COMPANY_ADMIN])
    assert record not in advisory_records_visible_to(user=world.users[Role.CHAMBER_ADVISOR])
    assert not can(world.users[Role.CHAMBER_LEAD], Action.VIEW, record)


def test_the_abh_sees_a_record_only_through_a_forwarded_case(
    world: World, profile: dict[str, Any]
) -> None:
    from lotse.cases.models import Case
    from lotse.cases.services import case_create

    record = _record(world, profile)
    caseworker = world.users[Role.ABH_CASEWORKER]
    assert not can(caseworker, Action.VIEW, record)
    case = case_create(
        actor=world.users[Role.CHAMBER_ADVISOR],
        company=world.company,
        site=world.company.sites.get(),
        worker=WORKER,
        title="18a",
        advisory_record=record,  # the case takes the record's stored evaluation and is linked
    )
    assert AuditEvent.objects.filter(action="advisory_record.case_attached").exists()
    record.refresh_from_db()
    assert not can(caseworker, Action.VIEW, record)  # attached, but not forwarded yet
    Case.objects.filter(pk=case.pk).update(forwarded_at=timezone.now())
    assert can(caseworker, Action.VIEW, record)
    assert list(advisory_records_visible_to(user=caseworker)) == [record]
    assert not can(world.foreign_users[Role.ABH_CASEWORKER], Action.VIEW, record)


def test_a_case_of_another_company_cannot_be_attached(
    world: World, profile: dict[str, Any]
) -> None:
    from lotse.cases.services import case_create

    record = _record(world, profile)
    case = case_create(
        actor=world.foreign_users[Role.CHAMBER_ADVISOR],
        company=world.other_company,
        site=world.other_company.sites.get(),
        worker=WORKER,
        title="18a",
        recognition_kind="equivalence",
    )
    with pytest.raises(ValidationError):
        advisory_record_attach_case(
            record=record, case=case, actor=world.users[Role.CHAMBER_ADVISOR]
        )


def test_the_pdf_is_german_a4_with_page_numbers_and_the_recommended_title(
    world: World, profile: dict[str, Any], client_for: Callable[..., Client]
) -> None:
    record = _record(world, profile)
    client = client_for(world.users[Role.COMPANY_ADMIN])
    client.cookies["lotse_language"] = "en"  # the record is German whatever the reader's language
    response = client.get(reverse("advice:record_pdf", args=[record.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f"Beratungsprotokoll-{record.number}.pdf" in response["Content-Disposition"]
    reader = PdfReader(io.BytesIO(response.content))
    page = reader.pages[0]
    width, height = float(page.mediabox.width), float(page.mediabox.height)
    assert (round(width), round(height)) == (595, 842)  # A4 in points
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert "Empfehlung: Fachkraft mit Berufsausbildung (§ 18a AufenthG)" in text
    assert "§" in text
    assert "Weber Maschinenbau GmbH" in text
    assert f"Regelwerk {record.ruleset}" in text
    assert record.advised_on.strftime("%d.%m.%Y") in text
    assert f"Seite 1 von {len(reader.pages)}" in text
    assert "Gleichwertigkeitsfeststellung" in text
    assert "Ausländerbehörde" in text  # umlauts survive
    assert "Erstgespräch" in text  # the advisory notes
    assert "Industriemechaniker/in" in text  # the answers
    assert "Our recommendation" not in text


def test_the_record_page_offers_the_case_hook_to_those_who_may_start_cases(
    world: World, profile: dict[str, Any], client_for: Callable[..., Client]
) -> None:
    record = _record(world, profile)
    url = reverse("advice:record_detail", args=[record.pk])
    html = client_for(world.users[Role.CHAMBER_ADVISOR]).get(url).content.decode()
    try:
        create_url = reverse("cases:create")
    except Exception:
        assert 'data-testid="record-start-case"' not in html
        return
    assert f'action="{create_url}"' in html
    assert 'name="quickcheck_input"' in html
    assert 'name="title" value="18a"' in html


def test_the_record_list_shows_only_visible_records(
    world: World, profile: dict[str, Any], client_for: Callable[..., Client]
) -> None:
    own = _record(world, profile)
    profile["job"]["municipality"] = "Murr"
    foreign = advisory_record_create(
        actor=world.foreign_users[Role.CHAMBER_ADVISOR],
        company=world.other_company,
        profile=profile,
    )
    html = (
        client_for(world.users[Role.CHAMBER_ADVISOR])
        .get(reverse("advice:record_list"))
        .content.decode()
    )
    assert own.number in html
    assert foreign.number not in html
    assert "Fachkraft mit Berufsausbildung (§ 18a AufenthG)" in html


def test_the_advisor_can_list_only_own_records(
    world: World, profile: dict[str, Any], client_for: Callable[..., Client]
) -> None:
    own = _record(world, profile)
    colleague = _record(world, profile, Role.CHAMBER_LEAD)
    client = client_for(world.users[Role.CHAMBER_ADVISOR])
    everything = client.get(reverse("advice:record_list")).content.decode()
    assert own.number in everything
    assert colleague.number in everything
    mine = client.get(reverse("advice:record_list"), {"mine": "1"}).content.decode()
    assert own.number in mine
    assert colleague.number not in mine
