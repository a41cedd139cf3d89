"""Issue #11, uploads: the refusals hold on every way a file comes in.

Single upload page, batch page, the worker's link (no account), the API (single and batch),
and message attachments (page and API). Each gets an active PDF, the reported TIFF bomb and a
body above the request limit; nothing may be stored, and the answer is a clear refusal, never a
500.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from pytest_django.fixtures import Settings as SettingsWrapper

from lotse.accounts.models import Role, User
from lotse.audit.models import AuditEvent
from lotse.conversations.models import Message
from lotse.documents.blobs import stored_blob_read
from lotse.documents.models import Document
from lotse.documents.services import upload_link_create
from tests.conftest import World
from tests.documents.conftest import stored_files

from .upload_corpus import active_pdfs, png_image, tiff_bomb, zip_archive

if TYPE_CHECKING:
    from django.http import HttpResponse

    from lotse.cases.models import Case

pytestmark = pytest.mark.django_db

Poster = Callable[["Case", World, Callable[[User], Client], SimpleUploadedFile], "HttpResponse"]


@dataclass(frozen=True)
class UploadPath:
    name: str
    post: Poster
    api: bool


def _single(case: Case, world: World, client_for: Callable[[User], Client],
            upload: SimpleUploadedFile) -> HttpResponse:  # fmt: skip
    item = case.checklist.get(document_code="passport")
    url = reverse("documents:upload", args=[case.pk, item.pk])
    return client_for(world.users[Role.COMPANY_HR]).post(url, {"file": upload})


def _batch(case: Case, world: World, client_for: Callable[[User], Client],
           upload: SimpleUploadedFile) -> HttpResponse:  # fmt: skip
    item = case.checklist.get(document_code="passport")
    url = reverse("documents:upload_many", args=[case.pk])
    return client_for(world.users[Role.COMPANY_HR]).post(url, {f"file_{item.pk}": upload})


def _worker(case: Case, world: World, client_for: Callable[[User], Client],
            upload: SimpleUploadedFile) -> HttpResponse:  # fmt: skip
    _, token = upload_link_create(case=case, actor=world.users[Role.CHAMBER_ADVISOR])
    item = case.checklist.get(document_code="passport")
    return Client().post(reverse("documents:worker", args=[token]),
                         {"item": item.pk, "file": upload})  # fmt: skip


def _api(case: Case, world: World, client_for: Callable[[User], Client],
         upload: SimpleUploadedFile) -> HttpResponse:  # fmt: skip
    return client_for(world.users[Role.COMPANY_HR]).post(
        f"/api/v1/cases/{case.pk}/documents", {"item": "passport", "file": upload}
    )


def _api_batch(case: Case, world: World, client_for: Callable[[User], Client],
               upload: SimpleUploadedFile) -> HttpResponse:  # fmt: skip
    return client_for(world.users[Role.COMPANY_HR]).post(
        f"/api/v1/cases/{case.pk}/documents/batch", {"items": ["passport"], "files": [upload]}
    )


def _message(case: Case, world: World, client_for: Callable[[User], Client],
             upload: SimpleUploadedFile) -> HttpResponse:  # fmt: skip
    return client_for(world.users[Role.COMPANY_HR]).post(
        reverse("conversations:post", args=[case.pk]),
        {"audience": "company_chamber", "body": "Anbei", "attachments": [upload]},
    )


def _message_api(case: Case, world: World, client_for: Callable[[User], Client],
                 upload: SimpleUploadedFile) -> HttpResponse:  # fmt: skip
    return client_for(world.users[Role.COMPANY_HR]).post(
        f"/api/v1/cases/{case.pk}/messages",
        {"audience": "company_chamber", "body": "Anbei", "attachments": [upload]},
    )


PATHS = [
    UploadPath("single_page", _single, api=False),
    UploadPath("batch_page", _batch, api=False),
    UploadPath("worker_link", _worker, api=False),
    UploadPath("api", _api, api=True),
    UploadPath("api_batch", _api_batch, api=True),
    UploadPath("message_page", _message, api=False),
    UploadPath("message_api", _message_api, api=True),
]


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> None:
    cache.clear()


def _nothing_stored(document_dir: Path) -> None:
    assert stored_files(document_dir) == []
    assert not Document.objects.exists()
    assert not Message.objects.exists()


def _refusal_recorded(code: str) -> None:
    refusals = AuditEvent.objects.filter(
        action__in=["document.upload_refused", "message.attachment_refused"]
    )
    assert [event.after["code"] for event in refusals] == [code]


_XFA = next(s for s in active_pdfs() if s.name == "xfa_stream_with_javascript")


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.name)
def test_an_active_pdf_is_refused(
    path: UploadPath, case: Case, world: World, client_for: Callable[[User], Client],
    document_dir: Path,
) -> None:  # fmt: skip
    upload = SimpleUploadedFile("formular.pdf", _XFA.build(), "application/pdf")
    response = path.post(case, world, client_for, upload)
    assert response.status_code in (200, 302, 400)
    if path.api:  # the batch answers 200 with one result per file
        assert "pdf_active_content" in response.content.decode()
    _refusal_recorded("pdf_active_content")
    _nothing_stored(document_dir)


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.name)
def test_the_reported_tiff_bomb_is_refused(
    path: UploadPath, case: Case, world: World, client_for: Callable[[User], Client],
    document_dir: Path,
) -> None:  # fmt: skip
    upload = SimpleUploadedFile("scan.tif", tiff_bomb(500, 7000, 7000), "image/tiff")
    response = path.post(case, world, client_for, upload)
    assert response.status_code in (200, 302, 400)
    _refusal_recorded("image_too_large")
    _nothing_stored(document_dir)


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.name)
def test_a_body_above_the_limit_is_a_413(
    path: UploadPath, case: Case, world: World, client_for: Callable[[User], Client],
    document_dir: Path, settings: SettingsWrapper,
) -> None:  # fmt: skip
    settings.LOTSE_REQUEST_MAX_BYTES = 64 * 1024
    upload = SimpleUploadedFile("scan.png", png_image() + bytes(100 * 1024), "image/png")
    response = path.post(case, world, client_for, upload)
    assert response.status_code == 413
    if path.api:
        assert response.json()["code"] == "too_large"
    else:
        html = response.content.decode()
        assert "Upload zu groß" in html
        assert "höchstens 1 MB" in html or "höchstens" in html
    _nothing_stored(document_dir)


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.name)
def test_a_polyglot_image_is_stored_without_its_payload(
    path: UploadPath, case: Case, world: World, client_for: Callable[[User], Client],
) -> None:  # fmt: skip
    upload = SimpleUploadedFile("scan.png", png_image() + zip_archive(), "image/png")
    response = path.post(case, world, client_for, upload)
    assert response.status_code in (200, 201, 302)
    documents = list(Document.objects.all())
    attachments = [a for m in Message.objects.all() for a in m.attachments.all()]
    [stored] = [d.blob for d in documents] + [a.blob for a in attachments]
    content = stored_blob_read(stored)
    assert content.startswith(b"\x89PNG")
    assert b"PK\x03\x04" not in content
