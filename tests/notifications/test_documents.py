"""Uploads and reviews tell the chamber, the ABH, the company and the worker."""

from __future__ import annotations

from typing import Any

from django.core import mail

from lotse.accounts.models import Role
from lotse.documents.services import document_review, document_upload
from lotse.notifications.models import Kind, Party
from tests.conftest import World
from tests.documents.conftest import document_dir  # noqa: F401 - autouse: files in tmp
from tests.documents.world import forwarded_case, good_pdf, own_document
from tests.notifications.conftest import told


def test_an_upload_tells_the_chamber(world: World) -> None:
    document = own_document(world)  # uploaded by the company HR; the advisor started the case
    assert told(Kind.DOCUMENT_UPLOADED, document.case) == {
        Party.CHAMBER: {world.users[Role.CHAMBER_ADVISOR].email}
    }


def test_an_upload_after_forwarding_is_a_supplement_for_the_abh(world: World) -> None:
    case = forwarded_case(world)
    document_upload(
        case=case,
        item=case.checklist.get(document_code="cv"),
        data=good_pdf(),
        filename="cv-neu.pdf",
        declared_type="application/pdf",
        actor=world.users[Role.COMPANY_HR],
    )
    assert told(Kind.SUPPLEMENT_UPLOADED, case) == {
        Party.AUTHORITY: {world.users[Role.ABH_CASEWORKER].email}
    }


def test_a_rejection_tells_company_and_worker_with_the_reason(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    document = own_document(world)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        document_review(
            document=document,
            actor=world.users[Role.CHAMBER_ADVISOR],
            accept=False,
            reason="Die Seite 2 fehlt.",
        )
    found = told(Kind.DOCUMENT_REJECTED, document.case)
    assert found[Party.WORKER] == {"priya@example.org"}
    assert found[Party.COMPANY] == {
        world.users[Role.COMPANY_ADMIN].email,
        world.users[Role.COMPANY_HR].email,
    }
    to_worker = next(m for m in mail.outbox if m.to == ["priya@example.org"])
    assert "Die Seite 2 fehlt." in to_worker.body
    assert document.case.worker_language == "en"  # the worker reads it in their language
    assert document.item.label_en in to_worker.subject
    to_admin = next(m for m in mail.outbox if m.to == [world.users[Role.COMPANY_ADMIN].email])
    assert document.item.label_de in to_admin.subject  # the company admin reads German
    # Accepting tells nobody.
    count = len(mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        document_review(document=document, actor=world.users[Role.CHAMBER_ADVISOR], accept=True)
    assert len(mail.outbox) == count
