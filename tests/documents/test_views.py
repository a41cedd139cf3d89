"""The upload view and the API: every bad file is refused with its message; storage unchanged."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from pytest_django.fixtures import Settings as SettingsWrapper

from lotse.accounts.models import Role, User
from lotse.audit.models import AuditEvent
from lotse.documents.models import Document, ReviewState
from tests.conftest import World
from tests.documents.conftest import stored_files
from tests.documents.world import good_pdf
from tests.filecheck.corpus import Sample, samples

if TYPE_CHECKING:
    from lotse.cases.models import Case

pytestmark = pytest.mark.django_db

BAD = [s for s in samples() if s.expected is not None]


def _upload_url(case: Case, code: str = "cv") -> str:
    return reverse("documents:upload", args=[case.pk, case.checklist.get(document_code=code).pk])


@pytest.mark.parametrize("sample", BAD, ids=lambda s: s.name)
@pytest.mark.parametrize("language", ["de", "en"])
def test_view_refuses_every_bad_file_in_the_users_language(
    sample: Sample,
    language: str,
    case: Case,
    world: World,
    document_dir: Path,
    settings: SettingsWrapper,
    client_for: Callable[[User], Client],
) -> None:
    from lotse.filecheck.uploads import refusal

    settings.LOTSE_UPLOAD_MAX_BYTES = sample.max_bytes
    client = client_for(world.users[Role.COMPANY_HR])
    client.cookies["lotse_language"] = language
    data = sample.build()
    upload = SimpleUploadedFile(sample.filename, data, sample.declared_type or "")
    response = client.post(_upload_url(case), {"file": upload}, follow=True)
    html = response.content.decode()
    expected = refusal(sample.expected, max_bytes=sample.max_bytes)  # type: ignore[arg-type]
    first_sentence = expected.message(language).split(". ")[0].split(":")[0]
    assert first_sentence.replace("„", "&bdquo;") in html or first_sentence in html.replace(
        "&#x27;", "'"
    ).replace("&quot;", '"')
    assert stored_files(document_dir) == []
    assert not Document.objects.exists()


def test_view_upload_then_api_list_download_and_review(
    case: Case, world: World, document_dir: Path, client_for: Callable[[User], Client]
) -> None:
    company = client_for(world.users[Role.COMPANY_HR])
    data = good_pdf()
    response = company.post(_upload_url(case), {"file": SimpleUploadedFile("Lebenslauf.pdf", data,
                                                "application/pdf"), "language": "de"})  # fmt: skip
    assert response.status_code == 302
    document = Document.objects.get()
    listing = company.get(f"/api/v1/cases/{case.pk}/documents").json()
    assert listing["complete"] is False
    assert any(g["item"] == "cv" and g["code"] == "not_reviewed" for g in listing["gaps"])
    assert listing["documents"][0]["sha256"] == hashlib.sha256(data).hexdigest()
    content = company.get(f"/api/v1/documents/{document.pk}/content")
    assert content.status_code == 200
    assert content.content == data
    assert AuditEvent.objects.filter(action="document.downloaded").count() == 1
    # Only the chamber reviews.
    refused = company.post(f"/api/v1/documents/{document.pk}/review", {"decision": "accept"},
                           content_type="application/json")  # fmt: skip
    assert refused.status_code == 403
    advisor = client_for(world.users[Role.CHAMBER_ADVISOR])
    missing_reason = advisor.post(f"/api/v1/documents/{document.pk}/review",
                                  {"decision": "reject"}, content_type="application/json")  # fmt: skip
    assert missing_reason.status_code == 422
    accepted = advisor.post(f"/api/v1/documents/{document.pk}/review",
                            {"decision": "accept", "language": "de"},
                            content_type="application/json")  # fmt: skip
    assert accepted.status_code == 200
    assert accepted.json()["review_state"] == ReviewState.ACCEPTED


def test_api_upload_refuses_with_code_and_stores_nothing(
    case: Case, world: World, document_dir: Path, client_for: Callable[[User], Client]
) -> None:
    client = client_for(world.users[Role.CHAMBER_ADVISOR])
    fake = SimpleUploadedFile("vertrag.pdf", b"MZ\x90\x00 not a pdf" * 100, "application/pdf")
    response = client.post(f"/api/v1/cases/{case.pk}/documents",
                           {"item": "employment_contract", "file": fake},
                           HTTP_ACCEPT_LANGUAGE="de")  # fmt: skip
    assert response.status_code == 400
    body = response.json()
    assert body["code"] in ("content_not_allowed", "pdf_broken")
    assert "PDF" in body["message"]
    assert stored_files(document_dir) == []
    ok = client.post(f"/api/v1/cases/{case.pk}/documents",
                     {"item": "employment_contract",
                      "file": SimpleUploadedFile("v.pdf", good_pdf(), "application/pdf")})  # fmt: skip
    assert ok.status_code == 201
    assert ok.json()["page_count"] == 1
    abh = client_for(world.users[Role.ABH_CASEWORKER])
    assert abh.post(f"/api/v1/cases/{case.pk}/documents",
                    {"item": "cv", "file": SimpleUploadedFile("v.pdf", good_pdf())}).status_code == 404  # fmt: skip


def test_tampered_file_is_not_served(
    case: Case, world: World, document_dir: Path, client_for: Callable[[User], Client]
) -> None:
    client = client_for(world.users[Role.COMPANY_HR])
    client.post(
        _upload_url(case), {"file": SimpleUploadedFile("cv.pdf", good_pdf(), "application/pdf")}
    )
    [path] = stored_files(document_dir)
    raw = bytearray(path.read_bytes())
    raw[40] ^= 0x55
    path.write_bytes(bytes(raw))
    document = Document.objects.get()
    response = client.get(reverse("documents:download", args=[document.pk]))
    assert response.status_code == 500
    assert b"%PDF" not in response.content
    assert client.get(f"/api/v1/documents/{document.pk}/content").json()["code"] == "file_damaged"


def test_case_documents_page_and_letters(
    case: Case, world: World, client_for: Callable[[User], Client]
) -> None:
    client = client_for(world.users[Role.CHAMBER_ADVISOR])
    html = client.get(reverse("documents:case", args=[case.pk])).content.decode()
    assert "Die Akte kann noch nicht weitergeleitet werden" in html
    pdf = client.get(reverse("documents:letter", args=[case.pk, "vereinbarung"]))
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-")
    assert client.get(reverse("documents:letter", args=[case.pk, "unknown"])).status_code == 404
