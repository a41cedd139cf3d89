"""The conversations API: messages list/create, attachments, requests for documents."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from lotse.accounts.models import Role
from lotse.conversations.models import Message
from lotse.conversations.services import message_post
from tests.conftest import World
from tests.conversations.test_services import forward
from tests.documents.conftest import make_case
from tests.documents.world import good_pdf

CHR, ADV, CW = Role.COMPANY_HR, Role.CHAMBER_ADVISOR, Role.ABH_CASEWORKER


def test_company_writes_with_an_attachment_and_the_chamber_reads_it(
    world: World, client_for: Callable[..., Client]
) -> None:
    case = make_case(world)
    company = client_for(world.users[CHR])
    response = company.post(
        f"/api/v1/cases/{case.pk}/messages",
        {
            "audience": "company_chamber",
            "body": "Der Lebenslauf folgt.",
            "attachments": [SimpleUploadedFile("cv.pdf", good_pdf(), "application/pdf")],
        },
    )
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["audience"] == "company_chamber"
    assert created["author_party"] == "company"
    [attachment] = created["attachments"]
    chamber = client_for(world.users[ADV])
    listed = chamber.get(f"/api/v1/cases/{case.pk}/messages").json()
    assert [m["id"] for m in listed] == [created["id"]]
    content = chamber.get(attachment["url"])
    assert content.status_code == 200
    assert content.content == good_pdf()


def test_a_refused_attachment_is_a_400_and_nothing_is_kept(
    world: World, client_for: Callable[..., Client]
) -> None:
    case = make_case(world)
    response = client_for(world.users[CHR]).post(
        f"/api/v1/cases/{case.pk}/messages",
        {
            "audience": "company_chamber",
            "body": "Anbei",
            "attachments": [SimpleUploadedFile("x.pdf", b"not a pdf at all", "application/pdf")],
        },
    )
    assert response.status_code == 400
    assert response.json()["code"]
    assert not Message.objects.exists()


def test_a_forbidden_audience_is_a_422_with_the_field(
    world: World, client_for: Callable[..., Client]
) -> None:
    case = make_case(world)
    response = client_for(world.users[CHR]).post(
        f"/api/v1/cases/{case.pk}/messages", {"audience": "chamber_abh", "body": "x"}
    )
    assert response.status_code == 422
    assert response.json()["field_errors"][0]["field"] == "audience"


def test_the_abh_does_not_read_what_is_not_addressed_to_it(
    world: World, client_for: Callable[..., Client]
) -> None:
    case = forward(make_case(world))
    message_post(case=case, audience="company_chamber", body="intern", actor=world.users[CHR])
    message_post(case=case, audience="chamber_abh", body="für die ABH", actor=world.users[ADV])
    bodies = [
        m["body"]
        for m in client_for(world.users[CW]).get(f"/api/v1/cases/{case.pk}/messages").json()
    ]
    assert bodies == ["für die ABH"]


def test_abh_requests_documents_and_lists_them(
    world: World, client_for: Callable[..., Client]
) -> None:
    case = forward(make_case(world))
    abh = client_for(world.users[CW])
    due = (timezone.localdate() + dt.timedelta(days=10)).isoformat()
    response = abh.post(
        f"/api/v1/cases/{case.pk}/document-requests",
        {"ground": "abh_own", "items": ["cv", "passport"], "reason": "Bitte", "due_on": due},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["items"] == ["cv", "passport"]
    assert created["state"] == "open"
    assert created["legal_basis"].startswith("§ 81a")
    listed = client_for(world.users[CHR]).get(f"/api/v1/cases/{case.pk}/document-requests")
    assert [r["id"] for r in listed.json()] == [created["id"]]


def test_unknown_items_are_named(world: World, client_for: Callable[..., Client]) -> None:
    case = make_case(world)
    response = client_for(world.users[ADV]).post(
        f"/api/v1/cases/{case.pk}/document-requests",
        {
            "ground": "chamber_completeness",
            "items": ["cv", "unicorn"],
            "reason": "x",
            "due_on": timezone.localdate().isoformat(),
        },
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["code"] == "unknown_item"
    assert "unicorn" in response.json()["field_errors"][0]["message"]
