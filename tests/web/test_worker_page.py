"""The worker's page is not a dead end: forms to sign, contacts, privacy notice, pre-approval."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from lotse.audit.models import AuditEvent
from lotse.cases.models import Case
from lotse.cases.services import case_update_details
from lotse.documents.models import UploadLink
from lotse.documents.services import upload_link_create
from lotse.notifications.models import OutboundMail
from tests.cases.conftest import ADV, CA, CW, create_case, drive
from tests.conftest import World


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> None:
    cache.clear()


def _token(world: World, case: Case) -> str:
    _link, token = upload_link_create(case=case, actor=world.users[CA])
    return token


def test_the_page_offers_the_power_of_attorney_prefilled_through_the_link(world: World) -> None:
    case = create_case(world)
    token = _token(world, case)
    page = Client().get(reverse("documents:worker", args=[token])).content.decode()
    url = reverse("documents:worker_letter", args=[token, "vollmacht"])
    assert f'href="{url}"' in page
    response = Client().get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert AuditEvent.objects.filter(action="letter.generated", actor__isnull=True).exists()


def test_the_forms_are_refused_without_a_valid_link_and_other_letters_are_not_offered(
    world: World,
) -> None:
    case = create_case(world)
    token = _token(world, case)
    assert (
        Client().get(reverse("documents:worker_letter", args=["nope", "vollmacht"])).status_code
        == 404
    )
    for kind in ("vereinbarung", "vorabzustimmung", "unknown"):
        url = reverse("documents:worker_letter", args=[token, kind])
        assert Client().get(url).status_code == 404


def test_the_page_names_the_employer_contact_and_the_chamber_advisor_with_email(
    world: World,
) -> None:
    case = create_case(world)
    case.advisor = world.users[ADV]
    case.save(update_fields=["advisor"])
    page = Client().get(reverse("documents:worker", args=[_token(world, case)])).content.decode()
    assert world.users[CA].email in page  # who started the case for the company
    assert world.users[ADV].email in page
    assert page.count('data-testid="worker-contact"') == 2


def test_the_page_has_a_privacy_notice_with_controller_purpose_legal_basis_and_retention(
    world: World,
) -> None:
    case = create_case(world)
    page = Client().get(reverse("documents:worker", args=[_token(world, case)])).content.decode()
    assert "Art. 13 GDPR" in page
    assert "Art. 6 (1) (c) and (e) GDPR in conjunction with § 81a" in page
    assert "How long it is kept" in page
    assert case.company.name in page
    assert case.authority.name in page


def test_after_the_preapproval_the_page_shows_mission_reference_and_validity(
    world: World,
) -> None:
    case = create_case(world)
    token = _token(world, case)
    before = Client().get(reverse("documents:worker", args=[token])).content.decode()
    assert 'data-testid="worker-preapproval"' not in before
    case = drive(world, case, "request_visa_appointment")
    preapproval = case.preapprovals.get()
    page = Client().get(reverse("documents:worker", args=[token])).content.decode()
    assert 'data-testid="worker-preapproval"' in page
    assert "Generalkonsulat Bangalore" in page
    assert "AZ-1" in page
    assert preapproval.valid_until.strftime("%Y") in page


def test_the_company_sends_the_link_to_the_workers_email_and_can_copy_it(
    world: World, client_for: Callable[..., Client], django_capture_on_commit_callbacks: Callable
) -> None:
    case = create_case(world)
    assert case.worker_email == "priya@example.org"
    client = client_for(world.users[CA])
    detail = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert reverse("documents:link_send", args=[case.pk]) in detail
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("documents:link_send", args=[case.pk]))
    assert response.status_code == 302
    assert UploadLink.objects.filter(case=case).count() == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["priya@example.org"]
    assert "/u/" in mail.outbox[0].body
    page = client.get(response["Location"]).content.decode()
    assert 'data-testid="sent-upload-link"' in page
    assert 'data-copy-target="worker-link-url"' in page
    link_url = mail.outbox[0].body.split("/u/")[1].split()[0]
    assert f"/u/{link_url}" in page
    # Shown once only.
    assert 'data-testid="sent-upload-link"' not in client.get(response["Location"]).content.decode()


def test_without_an_email_the_link_is_not_sent(
    world: World, client_for: Callable[..., Client]
) -> None:
    case = create_case(world)
    case = case_update_details(case=case, actor=world.users[CA], expected_version=case.version,
                               worker_email="")  # fmt: skip
    client = client_for(world.users[CA])
    response = client.post(reverse("documents:link_send", args=[case.pk]), follow=True)
    assert response.status_code == 200
    assert not UploadLink.objects.filter(case=case).exists()
    assert len(mail.outbox) == 0


def test_the_abh_cannot_send_links(world: World, client_for: Callable[..., Client]) -> None:
    case = create_case(world)
    response = client_for(world.users[CW]).post(reverse("documents:link_send", args=[case.pk]))
    assert response.status_code == 404


def test_the_api_sends_the_link_through_the_outbox(
    world: World, client_for: Callable[..., Client]
) -> None:
    case = create_case(world)
    client = client_for(world.users[CA])
    response = client.post(f"/api/v1/cases/{case.pk}/upload-links/send")
    assert response.status_code == 201
    body = response.json()
    assert body["sent_to"] == "priya@example.org"
    queued = OutboundMail.objects.get(to="priya@example.org")
    # The mail waits in the outbox for the worker; the request never talks to the mail server.
    assert body["url"] in queued.body
    assert UploadLink.objects.filter(case=case, pk=body["id"]).exists()


def test_the_api_refuses_to_send_without_an_email(
    world: World, client_for: Callable[..., Client]
) -> None:
    case = create_case(world)
    case = case_update_details(case=case, actor=world.users[CA], expected_version=case.version,
                               worker_email="")  # fmt: skip
    queued_before = OutboundMail.objects.count()
    response = client_for(world.users[CA]).post(f"/api/v1/cases/{case.pk}/upload-links/send")
    assert response.status_code == 422
    assert OutboundMail.objects.count() == queued_before
    assert not UploadLink.objects.filter(case=case).exists()
