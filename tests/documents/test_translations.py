"""An original and its sworn translation are two current documents, linked, both sealed."""

from __future__ import annotations

import io
import json
import zipfile
from typing import TYPE_CHECKING

import pytest
from django.core.exceptions import ValidationError

from lotse.accounts.models import Role
from lotse.documents.models import Document, SealedFile
from lotse.documents.sealing import sealed_file_read
from lotse.documents.selectors import document_gaps, item_statuses
from lotse.documents.services import document_review, document_upload
from tests.conftest import World
from tests.documents.flow import forward
from tests.documents.world import good_pdf, tagged_pdf

if TYPE_CHECKING:
    from lotse.cases.models import Case, ChecklistItem

pytestmark = pytest.mark.django_db

TRANSLATED = "qualification_certificate"


def _upload(case: Case, item: ChecklistItem, world: World, name: str, **kwargs: object) -> Document:
    return document_upload(case=case, item=item, data=tagged_pdf(name), filename=name,
                           declared_type="application/pdf", actor=world.users[Role.COMPANY_HR],
                           **kwargs)  # type: ignore[arg-type]  # fmt: skip


def _status(case: Case, code: str) -> object:
    return next(s for s in item_statuses(case) if s.item.document_code == code)


def test_a_translation_keeps_the_original_current_and_both_are_needed(
    case: Case, world: World
) -> None:
    advisor = world.users[Role.CHAMBER_ADVISOR]
    item = case.checklist.get(document_code=TRANSLATED)
    original = _upload(case, item, world, "diploma.pdf", language="other")
    translation = _upload(case, item, world, "diploma-de.pdf", language="de",
                          translation_of=original)  # fmt: skip
    original.refresh_from_db()
    assert original.is_current
    assert translation.is_current
    assert translation.translation_of_id == original.pk
    status = _status(case, TRANSLATED)
    assert status.document == original  # type: ignore[attr-defined]
    assert status.translation == translation  # type: ignore[attr-defined]
    document_review(document=original, actor=advisor, accept=True)
    assert not _status(case, TRANSLATED).complete  # type: ignore[attr-defined]
    assert any(g.code == "translation_missing" and g.item == item for g in document_gaps(case))
    document_review(document=translation, actor=advisor, accept=True)
    assert _status(case, TRANSLATED).complete  # type: ignore[attr-defined]


def test_an_upload_in_german_to_a_translated_item_is_not_a_silent_replacement(
    case: Case, world: World
) -> None:
    """A second upload without saying "translation" replaces the original, as a new version."""
    item = case.checklist.get(document_code=TRANSLATED)
    first = _upload(case, item, world, "diploma.pdf", language="other")
    second = _upload(case, item, world, "diploma-v2.pdf", language="other")
    first.refresh_from_db()
    assert not first.is_current
    assert second.is_current


def test_a_new_translation_replaces_only_the_old_translation(case: Case, world: World) -> None:
    item = case.checklist.get(document_code=TRANSLATED)
    original = _upload(case, item, world, "diploma.pdf", language="other")
    old = _upload(case, item, world, "de-1.pdf", language="de", translation_of=original)
    new = _upload(case, item, world, "de-2.pdf", language="de", translation_of=original)
    original.refresh_from_db()
    old.refresh_from_db()
    assert original.is_current
    assert new.is_current
    assert not old.is_current


def test_a_new_original_retires_the_translation_of_the_old_one(case: Case, world: World) -> None:
    item = case.checklist.get(document_code=TRANSLATED)
    original = _upload(case, item, world, "diploma.pdf", language="other")
    translation = _upload(case, item, world, "de.pdf", language="de", translation_of=original)
    _upload(case, item, world, "diploma-v2.pdf", language="other")
    translation.refresh_from_db()
    assert not translation.is_current
    assert _status(case, TRANSLATED).translation is None  # type: ignore[attr-defined]


def test_a_translation_of_a_translation_or_of_another_item_is_refused(
    case: Case, world: World
) -> None:
    item = case.checklist.get(document_code=TRANSLATED)
    original = _upload(case, item, world, "diploma.pdf", language="other")
    translation = _upload(case, item, world, "de.pdf", language="de", translation_of=original)
    with pytest.raises(ValidationError):
        _upload(case, item, world, "de-de.pdf", language="de", translation_of=translation)
    other = case.checklist.get(document_code="transcript")
    with pytest.raises(ValidationError):
        _upload(case, other, world, "x.pdf", language="de", translation_of=original)


def _unzip(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_the_sealed_file_holds_every_original_and_its_translation_linked(
    case: Case, world: World
) -> None:
    advisor = world.users[Role.CHAMBER_ADVISOR]
    pairs = {}
    for code in (TRANSLATED, "transcript"):
        item = case.checklist.get(document_code=code)
        original = _upload(case, item, world, f"{code}.pdf", language="other")
        translation = _upload(case, item, world, f"{code}-de.pdf", language="de",
                              translation_of=original)  # fmt: skip
        pairs[code] = (original, translation)
    case = forward(case, world)
    sealed = SealedFile.objects.get(case=case, number=0)
    files = _unzip(sealed_file_read(sealed=sealed, actor=advisor))
    manifest = json.loads(files["manifest.json"])
    by_id = {entry["id"]: entry for entry in manifest["documents"]}
    for original, translation in pairs.values():
        assert original.pk in by_id, "the original is missing from the sealed file"
        assert translation.pk in by_id, "the translation is missing from the sealed file"
        assert by_id[translation.pk]["translation_of"] == original.pk
        assert by_id[original.pk]["translation_of"] is None
        assert by_id[original.pk]["translations"] == [translation.pk]
        assert by_id[original.pk]["path"] in files
        assert by_id[translation.pk]["path"] in files
    assert len(manifest["documents"]) == len(set(by_id))


def test_the_worker_page_uploads_a_translation_without_replacing_the_original(
    case: Case, world: World
) -> None:
    from django.core.cache import cache
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client
    from django.urls import reverse

    from lotse.documents.services import upload_link_create

    cache.clear()
    item = case.checklist.get(document_code=TRANSLATED)
    original = _upload(case, item, world, "diploma.pdf", language="other")
    _link, token = upload_link_create(case=case, actor=world.users[Role.CHAMBER_ADVISOR])
    url = reverse("documents:worker", args=[token])
    page = Client().get(url).content.decode()
    assert 'name="translation_of"' in page
    assert f'value="{original.pk}"' in page
    response = Client().post(url, {"item": item.pk, "language": "de",
                                   "translation_of": original.pk,
                                   "file": SimpleUploadedFile("de.pdf", good_pdf(), "application/pdf")})  # fmt: skip
    assert response.status_code == 302
    original.refresh_from_db()
    translation = Document.objects.get(filename="de.pdf")
    assert original.is_current
    assert translation.translation_of == original


def test_the_company_page_refuses_a_translation_of_a_document_of_another_item(
    case: Case, world: World, client_for: object
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    item = case.checklist.get(document_code=TRANSLATED)
    other = _upload(case, case.checklist.get(document_code="transcript"), world, "t.pdf")
    client = client_for(world.users[Role.COMPANY_HR])  # type: ignore[operator]
    response = client.post(reverse("documents:upload", args=[case.pk, item.pk]),
                           {"translation_of": other.pk, "language": "de",
                            "file": SimpleUploadedFile("de.pdf", good_pdf(), "application/pdf")})  # fmt: skip
    assert response.status_code == 302
    assert not Document.objects.filter(filename="de.pdf").exists()
    original = _upload(case, item, world, "diploma.pdf", language="other")
    response = client.post(reverse("documents:upload", args=[case.pk, item.pk]),
                           {"translation_of": original.pk, "language": "de",
                            "file": SimpleUploadedFile("de.pdf", good_pdf(), "application/pdf")})  # fmt: skip
    assert Document.objects.get(filename="de.pdf").translation_of == original


def test_an_uploaded_translation_is_needed_by_the_gate_even_if_the_language_was_not_stated(
    case: Case, world: World
) -> None:
    advisor = world.users[Role.CHAMBER_ADVISOR]
    item = case.checklist.get(document_code=TRANSLATED)
    original = _upload(case, item, world, "diploma.pdf")  # language not stated
    translation = _upload(case, item, world, "de.pdf", language="de", translation_of=original)
    document_review(document=original, actor=advisor, accept=True)
    assert not _status(case, TRANSLATED).complete  # type: ignore[attr-defined]
    document_review(document=translation, actor=advisor, accept=True)
    assert _status(case, TRANSLATED).complete  # type: ignore[attr-defined]
