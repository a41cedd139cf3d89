"""The workbench pages: create, act, conflict without loss, checklist via htmx, languages."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable

from django.test import Client
from django.urls import reverse

from lotse.cases.models import Case, CaseState
from lotse.organisations.services import site_create
from tests.cases.conftest import ADV, CA, CW, create_case, drive, take
from tests.conftest import World
from tests.rules.profiles import VOCATIONAL

FORM = {
    "title": "18a", "recognition_kind": "equivalence", "recognition_body": "ihk-fosa",
    "ba_required": "on", "worker_surname": "ROJAS", "worker_given_names": "CARLOS",
    "worker_birth_date": "1990-05-01", "worker_birth_place": "Bogotá", "worker_nationality": "COL",
    "worker_passport_number": "AB123456", "worker_passport_expiry": "2034-01-01",
    "worker_language": "en", "job_title": "Industriemechaniker", "create": "1",
    "family-TOTAL_FORMS": "2", "family-INITIAL_FORMS": "0",
    "family-MIN_NUM_FORMS": "0", "family-MAX_NUM_FORMS": "6",
}  # fmt: skip


def test_a_company_starts_a_case_with_the_form(
    world: World, client_for: Callable[..., Client]
) -> None:
    client = client_for(world.users[CA])
    response = client.post(reverse("cases:create"), {**FORM, "site": world.company.sites.get().pk})
    case = Case.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:detail", args=[case.pk])
    page = client.get(response["Location"]).content.decode()
    assert case.reference in page
    assert 'data-status="current"' in page


def test_the_form_names_the_office_to_turn_to(
    world: World, client_for: Callable[..., Client]
) -> None:
    site = site_create(company=world.company, actor=None, label="Lager", street="Bahnhofstr. 1",
                       postcode="74321", municipality="Bietigheim-Bissingen")  # fmt: skip
    response = client_for(world.users[CA]).post(reverse("cases:create"), {**FORM, "site": site.pk})
    assert response.status_code == 200
    assert "nimmt nicht an der Kammerkooperation teil" in response.content.decode()
    assert not Case.objects.exists()


def test_the_quick_check_hands_its_result_to_the_create_page(
    world: World, client_for: Callable[..., Client]
) -> None:
    client = client_for(world.users[ADV])
    prefill = client.post(reverse("cases:create"), {"quickcheck_input": json.dumps(VOCATIONAL)})
    assert prefill.status_code == 200
    assert 'data-testid="from-quickcheck"' in prefill.content.decode()
    data = {k: v for k, v in FORM.items() if not k.startswith("recognition") and k != "title"}
    response = client.post(reverse("cases:create"), {**data, "title": "", "site": world.company.sites.get().pk,
                                                      "quickcheck_input": json.dumps(VOCATIONAL)})  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    case = Case.objects.get()
    assert case.quickcheck_input == VOCATIONAL
    assert case.ruleset_version


def test_a_step_is_recorded_from_the_page(world: World, client_for: Callable[..., Client]) -> None:
    case = drive(world, create_case(world), "conclude_agreement")
    client = client_for(world.users[CW])
    url = reverse("cases:step", args=[case.pk, "conclude_agreement"])
    response = client.post(
        url,
        {"version": case.version, "conclude_agreement-fee_paid_on": dt.date.today().isoformat()},
    )
    assert response.status_code == 302
    assert Case.objects.get(pk=case.pk).state == CaseState.AGREEMENT_CONCLUDED


def test_a_conflict_keeps_what_was_typed(world: World, client_for: Callable[..., Client]) -> None:
    case = drive(world, create_case(world), "accept_intake")
    stale = case.version
    take(case, "accept_intake", world.users[CW])  # a colleague was quicker
    client = client_for(world.users["abh_lead"])
    url = reverse("cases:step", args=[case.pk, "return_to_chamber"])
    text = "Arbeitsvertrag ohne Unterschrift des Geschäftsführers"
    response = client.post(url, {"version": stale, "return_to_chamber-reason": text,
                                 "return_to_chamber-confirm": "on"})  # fmt: skip
    page = response.content.decode()
    assert response.status_code == 409
    assert 'data-testid="conflict"' in page
    assert text in page  # nothing typed is lost
    assert Case.objects.get(pk=case.pk).state == CaseState.INTAKE_ACCEPTED


def test_a_failed_guard_is_shown_with_its_reason(
    world: World, client_for: Callable[..., Client]
) -> None:
    case = drive(world, create_case(world), "forward")
    case.checklist.update(paper_original_seen_on=None, paper_original_seen_by=None)
    page = (
        client_for(world.users[ADV]).get(reverse("cases:detail", args=[case.pk])).content.decode()
    )
    assert 'data-testid="guard"' in page
    assert "Es fehlt noch" in page


def test_the_chamber_ticks_the_checklist_with_htmx(
    world: World, client_for: Callable[..., Client]
) -> None:
    case = create_case(world)
    item = case.checklist.get(document_code="cv")
    client = client_for(world.users[ADV])
    url = reverse("cases:checklist_item", args=[case.pk, item.pk])
    response = client.post(url, {"operation": "check"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert 'id="checklist-body"' in response.content.decode()
    item.refresh_from_db()
    assert item.checked_by == world.users[ADV]
    assert client_for(world.users[CA]).post(url, {"operation": "check"}).status_code == 403


def test_notes_are_the_chambers_own(world: World, client_for: Callable[..., Client]) -> None:
    case = drive(world, create_case(world), "accept_intake")
    client_for(world.users[ADV]).post(
        reverse("cases:note_add", args=[case.pk]), {"text": "Rückruf Mo"}
    )
    assert (
        "Rückruf Mo"
        in client_for(world.users[ADV])
        .get(reverse("cases:detail", args=[case.pk]))
        .content.decode()
    )
    for role in (CA, CW):
        page = (
            client_for(world.users[role])
            .get(reverse("cases:detail", args=[case.pk]))
            .content.decode()
        )
        assert "Rückruf Mo" not in page


def test_the_company_timeline_in_english(world: World, client_for: Callable[..., Client]) -> None:
    case = drive(world, create_case(world), "recognition_confirm_receipt")
    client = client_for(world.users[CA])
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Forwarded to the immigration office" in page
    assert "Receipt confirmed by the body" in page
    assert "the recognition body" in page  # who acts now
    assert page.count('data-status="done"') >= 8


def test_the_inbox_filters(world: World, client_for: Callable[..., Client]) -> None:
    first = create_case(world)
    second = drive(world, create_case(world), "submit_for_check")
    client = client_for(world.users[ADV])
    page = client.get(reverse("cases:list") + "?state=collecting_documents").content.decode()
    assert second.reference in page
    assert first.reference not in page
    page = client.get(
        reverse("cases:list") + f"?company={world.company.pk}&advisor="
    ).content.decode()
    assert first.reference in page
    assert second.reference in page


def test_the_abh_dashboard_shows_the_intake_queue(
    world: World, client_for: Callable[..., Client]
) -> None:
    case = drive(world, create_case(world), "accept_intake")
    page = client_for(world.users[CW]).get(reverse("web:dashboard")).content.decode()
    assert case.reference in page
    assert 'data-testid="deadline-board"' in page
    empty = client_for(world.foreign_users[CW]).get(reverse("web:dashboard")).content.decode()
    assert 'data-testid="empty-cases"' in empty
