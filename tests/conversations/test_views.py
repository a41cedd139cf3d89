"""The conversation on the case page: with and without htmx, errors keep what was typed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lotse.accounts.models import Role
from lotse.conversations.models import DocumentRequest, Message
from tests.conftest import World
from tests.documents.conftest import make_case

CHR, ADV = Role.COMPANY_HR, Role.CHAMBER_ADVISOR


def test_case_page_shows_the_conversation_and_posting_redirects_back(
    world: World, client_for: Callable[..., Client]
) -> None:
    case = make_case(world)
    client = client_for(world.users[CHR])
    page = client.get(reverse("cases:detail", args=[case.pk]))
    assert b'data-testid="conversation"' in page.content
    assert b'data-testid="request-form"' not in page.content  # the company requests nothing
    response = client.post(
        reverse("conversations:post", args=[case.pk]),
        {"audience": "company_chamber", "body": "Frage zum Vertrag"},
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"/cases/{case.pk}/#conversation")
    page = client.get(reverse("cases:detail", args=[case.pk]))
    assert "Frage zum Vertrag" in page.content.decode()


def test_htmx_post_returns_the_section(world: World, client_for: Callable[..., Client]) -> None:
    case = make_case(world)
    response = client_for(world.users[CHR]).post(
        reverse("conversations:post", args=[case.pk]),
        {"audience": "company_chamber", "body": "Per htmx"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith("<section")
    assert "Per htmx" in html


def test_a_refused_audience_keeps_the_text(world: World, client_for: Callable[..., Client]) -> None:
    case = make_case(world)
    response = client_for(world.users[ADV]).post(
        reverse("conversations:post", args=[case.pk]),
        {"audience": "all", "body": "Mein langer Text"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Mein langer Text" in html
    assert not Message.objects.exists()


def test_chamber_requests_documents_on_the_page(
    world: World, client_for: Callable[..., Client]
) -> None:
    case = make_case(world)
    client = client_for(world.users[ADV])
    item = case.checklist.get(document_code="cv")
    past = client.post(
        reverse("conversations:request", args=[case.pk]),
        {
            "ground": "chamber_completeness",
            "items": [item.pk],
            "reason": "Lücke",
            "due_on": "2020-01-01",
        },
    )
    assert past.status_code == 200
    assert "Lücke" in past.content.decode()
    assert not DocumentRequest.objects.exists()
    due = (timezone.localdate() + dt.timedelta(days=7)).isoformat()
    ok = client.post(
        reverse("conversations:request", args=[case.pk]),
        {"ground": "chamber_completeness", "items": [item.pk], "reason": "Lücke", "due_on": due},
    )
    assert ok.status_code == 302
    request = DocumentRequest.objects.get()
    assert list(request.items.all()) == [item]
    page = client.get(reverse("conversations:case", args=[case.pk])).content.decode()
    assert "1 Nachforderung in diesem Fall · 1 offen" in page


def test_a_refused_attachment_on_the_page_keeps_the_text_and_stores_nothing(
    world: World, client_for: Callable[..., Client]
) -> None:
    case = make_case(world)
    response = client_for(world.users[CHR]).post(
        reverse("conversations:post", args=[case.pk]),
        {
            "audience": "company_chamber",
            "body": "Hier der Vertrag",
            "attachments": [SimpleUploadedFile("v.pdf", b"no pdf", "application/pdf")],
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Hier der Vertrag" in html
    assert "Ein Anhang wurde nicht angenommen" in html
    assert not Message.objects.exists()
