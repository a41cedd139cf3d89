"""The worker reads the messages addressed to them on their upload page, and nothing else."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from lotse.accounts.models import Role
from lotse.conversations.services import AttachmentIn, message_post
from lotse.documents.services import upload_link_create
from tests.conftest import World
from tests.documents.conftest import make_case
from tests.documents.world import good_pdf

CHR, ADV = Role.COMPANY_HR, Role.CHAMBER_ADVISOR


def test_worker_page_shows_only_messages_to_the_worker(world: World) -> None:
    case = make_case(world)
    _link, token = upload_link_create(case=case, actor=world.users[CHR])
    message_post(
        case=case, audience="worker", body="Bitte den Pass neu scannen.", actor=world.users[ADV]
    )
    message_post(
        case=case, audience="company_chamber", body="Interne Notiz", actor=world.users[CHR]
    )
    html = Client().get(reverse("documents:worker", args=[token])).content.decode()
    assert 'data-testid="worker-messages"' in html
    assert "Bitte den Pass neu scannen." in html
    assert "From the chamber" in html
    assert "Interne Notiz" not in html
    # Messages name the sending party, never the person (the contact list names the advisor
    # on purpose, with e-mail, so the check covers the messages section only).
    start = html.index('data-testid="worker-messages"')
    section = html[start : html.index("</section>", start)]
    assert world.users[ADV].display_name not in section


def test_worker_page_without_messages_has_no_section(world: World) -> None:
    case = make_case(world)
    _link, token = upload_link_create(case=case, actor=world.users[CHR])
    html = Client().get(reverse("documents:worker", args=[token])).content.decode()
    assert 'data-testid="worker-messages"' not in html


def test_messages_to_the_worker_carry_no_files(world: World) -> None:
    case = make_case(world)
    with pytest.raises(ValidationError) as exc:
        message_post(
            case=case,
            audience="worker",
            body="Anbei",
            actor=world.users[CHR],
            attachments=[AttachmentIn(good_pdf(), "a.pdf", "application/pdf")],
        )
    assert "attachments" in exc.value.message_dict
