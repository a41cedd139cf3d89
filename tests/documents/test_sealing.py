"""Forwarding seals the file; the manifest's hashes match the documents; supplements follow."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from pypdf import PdfReader

from lotse.accounts.models import Role
from lotse.audit.models import AuditEvent
from lotse.cases.services import checklist_item_update
from lotse.cases.workflow import StepRefusedError
from lotse.documents.models import SealedFile, SealedFileImmutableError
from lotse.documents.sealing import case_file_seal, sealed_file_read
from lotse.documents.services import document_review, document_upload
from tests.conftest import World
from tests.documents.flow import complete_checklist, forward, step
from tests.documents.world import good_pdf

if TYPE_CHECKING:
    from lotse.accounts.models import User
    from lotse.cases.models import Case

pytestmark = pytest.mark.django_db


def _unzip(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_forwarding_is_refused_while_documents_are_missing(case: Case, world: World) -> None:
    case = step(case, "start_collecting", world)
    case = step(case, "submit_for_check", world)
    # The signed powers were seen on paper (the step needs them); the rest is missing.
    for item in case.checklist.filter(document_code__in=("power_of_attorney",
                                                          "sub_power_of_attorney")):  # fmt: skip
        checklist_item_update(item=item, actor=world.users[Role.CHAMBER_ADVISOR], operation="paper")
    case = step(case, "record_powers_signed", world, power_of_attorney_signed_on="2026-11-02",
                sub_power_of_attorney_signed_on="2026-11-02")  # fmt: skip
    with pytest.raises(StepRefusedError) as refused:
        step(case, "forward", world)
    assert "CV" in str(refused.value) or "Lebenslauf" in str(refused.value)
    assert not SealedFile.objects.exists()


def test_forwarding_seals_the_file_and_the_manifest_hashes_match(case: Case, world: World) -> None:
    case = forward(case, world)
    sealed = SealedFile.objects.get(case=case)
    assert sealed.number == 0
    data = sealed_file_read(sealed=sealed, actor=world.users[Role.ABH_CASEWORKER])
    assert hashlib.sha256(data).hexdigest() == sealed.sha256
    files = _unzip(data)
    manifest = json.loads(files["manifest.json"])
    assert manifest["case"]["reference"] == case.reference
    assert manifest["case"]["worker"]["surname"] == "Müller-Lüdenscheid"
    assert manifest["rules"]["ruleset_version"]
    assert {row["code"] for row in manifest["checklist"]} == set(
        case.checklist.values_list("document_code", flat=True)
    )
    assert manifest["documents"]
    for entry in manifest["documents"]:
        assert hashlib.sha256(files[entry["path"]]).hexdigest() == entry["sha256"]
    index = PdfReader(io.BytesIO(files["index.pdf"]))
    text = "".join(page.extract_text() for page in index.pages)
    assert manifest["documents"][0]["sha256"] in text.replace("\n", "")
    assert AuditEvent.objects.filter(action="case_file.sealed").count() == 1
    assert AuditEvent.objects.filter(action="case_file.downloaded").count() == 1


def test_sealed_file_is_immutable_and_later_documents_are_supplements(
    case: Case, world: World
) -> None:
    case = forward(case, world)
    sealed = SealedFile.objects.get(case=case)
    with pytest.raises(SealedFileImmutableError):
        sealed.save()
    with pytest.raises(SealedFileImmutableError):
        sealed.delete()
    with pytest.raises(ValidationError):
        case_file_seal(case=case, actor=world.users[Role.CHAMBER_ADVISOR])
    item = case.checklist.get(document_code="cv")
    document = document_upload(case=case, item=item, data=good_pdf(), filename="cv-neu.pdf",
                               declared_type=None, actor=world.users[Role.COMPANY_HR])  # fmt: skip
    document_review(document=document, actor=world.users[Role.CHAMBER_ADVISOR], accept=True)
    supplement = case_file_seal(case=case, actor=world.users[Role.CHAMBER_ADVISOR])
    assert supplement.number == 1
    assert [d["filename"] for d in supplement.manifest["documents"]] == ["cv-neu.pdf"]
    assert supplement.manifest["supplement"] is True


def test_powers_are_signed_when_their_signed_copies_are_accepted(case: Case, world: World) -> None:
    from lotse.documents.selectors import powers_signed

    assert powers_signed(case) == {"power_of_attorney": False, "sub_power_of_attorney": False}
    complete_checklist(case, world)
    assert powers_signed(case) == {"power_of_attorney": True, "sub_power_of_attorney": True}


def test_a_supplement_can_be_sealed_through_the_api(
    world: World, client_for: Callable[[User], Client]
) -> None:
    from tests.documents.world import forwarded_case_with_new_document

    case = forwarded_case_with_new_document(world)
    client = client_for(world.users[Role.CHAMBER_ADVISOR])
    response = client.post(f"/api/v1/cases/{case.pk}/file/supplements")
    assert response.status_code == 201, response.content
    body = response.json()
    sealed = SealedFile.objects.get(case=case, number=1)
    assert body["number"] == 1
    assert body["supplement"] is True
    assert body["sha256"] == sealed.sha256
    assert body["documents"] == [sealed.documents.get().pk]
    again = client.post(f"/api/v1/cases/{case.pk}/file/supplements")
    assert again.status_code == 409
    assert again.json()["code"] == "nothing_to_seal"
    assert AuditEvent.objects.filter(action="case_file.sealed").count() == 2
