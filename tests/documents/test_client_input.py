"""What a client sends is input: file names, reasons and metadata are checked on the server."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from lotse.accounts.models import Role, User
from lotse.documents.models import Document
from lotse.documents.services import document_upload
from tests.conftest import World
from tests.documents.world import good_pdf

if TYPE_CHECKING:
    from lotse.cases.models import Case

pytestmark = pytest.mark.django_db


def test_a_file_name_with_control_characters_is_cleaned_and_downloads(
    case: Case, world: World, client_for: Callable[[User], Client]
) -> None:
    document = document_upload(case=case, item=case.checklist.get(document_code="cv"),
                               data=good_pdf(), filename="a\nb\x00c\r.pdf",
                               declared_type=None, actor=world.users[Role.COMPANY_HR])  # fmt: skip
    assert document.filename == "abc.pdf"
    client = client_for(world.users[Role.COMPANY_HR])
    response = client.get(reverse("documents:download", args=[document.pk]))
    assert response.status_code == 200
    assert "abc.pdf" in response["Content-Disposition"]


def test_a_non_ascii_file_name_downloads(
    case: Case, world: World, client_for: Callable[[User], Client]
) -> None:
    document = document_upload(case=case, item=case.checklist.get(document_code="cv"),
                               data=good_pdf(), filename='Lebenslauf "Müller".pdf',
                               declared_type=None, actor=world.users[Role.COMPANY_HR])  # fmt: skip
    client = client_for(world.users[Role.COMPANY_HR])
    for url in (reverse("documents:download", args=[document.pk]),
                f"/api/v1/documents/{document.pk}/content"):  # fmt: skip
        response = client.get(url)
        assert response.status_code == 200
        assert (
            "filename*=utf-8''Lebenslauf%20%22M%C3%BCller%22.pdf" in response["Content-Disposition"]
        )


def test_a_nul_byte_in_a_reason_or_metadata_is_a_422_not_a_500(
    case: Case, world: World, client_for: Callable[[User], Client]
) -> None:
    document = document_upload(case=case, item=case.checklist.get(document_code="cv"),
                               data=good_pdf(), filename="cv.pdf", declared_type=None,
                               actor=world.users[Role.COMPANY_HR])  # fmt: skip
    client = client_for(world.users[Role.CHAMBER_ADVISOR])
    url = f"/api/v1/documents/{document.pk}/review"
    reject = client.post(url, {"decision": "reject", "reason": "x\x00y"},
                         content_type="application/json")  # fmt: skip
    assert reject.status_code == 422
    metadata = client.post(url, {"decision": "accept", "holder_surname": "M\x00"},
                           content_type="application/json")  # fmt: skip
    assert metadata.status_code == 422
    document.refresh_from_db()
    assert document.review_state == "uploaded"
    assert document.holder_surname == ""


def test_a_page_upload_with_another_cases_item_is_not_found(
    case: Case, world: World, client_for: Callable[[User], Client]
) -> None:
    from tests.documents.world import foreign_case

    other_item = foreign_case(world).checklist.get(document_code="cv")
    client = client_for(world.users[Role.COMPANY_HR])
    response = client.post(reverse("documents:upload", args=[case.pk, other_item.pk]),
                           {"file": SimpleUploadedFile("cv.pdf", good_pdf(), "application/pdf")})  # fmt: skip
    assert response.status_code == 404
    assert not Document.objects.exists()
