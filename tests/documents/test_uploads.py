"""Uploads through the real service: the bad-file corpus is refused and leaves no trace."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from pytest_django.fixtures import Settings as SettingsWrapper

from lotse.accounts.models import Role
from lotse.audit.models import AuditEvent
from lotse.documents.models import Document, ReviewState, StoredBlob
from lotse.documents.selectors import document_gaps, item_statuses
from lotse.documents.services import document_review, document_upload
from lotse.filecheck.uploads import UploadRefused, check_upload
from tests.conftest import World
from tests.documents.conftest import stored_files
from tests.filecheck.corpus import Sample, samples

if TYPE_CHECKING:
    from lotse.cases.models import Case

pytestmark = pytest.mark.django_db

BAD = [s for s in samples() if s.expected is not None]
GOOD = [s for s in samples() if s.expected is None]


def _item(case: Case, code: str = "cv") -> object:
    return case.checklist.get(document_code=code)


@pytest.mark.parametrize("sample", BAD, ids=lambda s: s.name)
def test_bad_file_is_refused_with_its_message_and_leaves_no_trace(
    sample: Sample, case: Case, world: World, document_dir: Path, settings: SettingsWrapper
) -> None:
    settings.LOTSE_UPLOAD_MAX_BYTES = sample.max_bytes
    before = stored_files(document_dir)
    with pytest.raises(UploadRefused) as refused:
        document_upload(
            case=case,
            item=case.checklist.get(document_code="cv"),
            data=sample.build(),
            filename=sample.filename,
            declared_type=sample.declared_type,
            actor=world.users[Role.COMPANY_HR],
        )
    assert refused.value.code == sample.expected
    assert refused.value.message("de")
    assert refused.value.message("en") != refused.value.message("de")
    assert stored_files(document_dir) == before
    assert not Document.objects.exists()
    assert not StoredBlob.objects.exists()
    event = AuditEvent.objects.get(action="document.upload_refused")
    assert event.after["code"] == sample.expected


@pytest.mark.parametrize("sample", GOOD, ids=lambda s: s.name)
def test_good_file_is_stored_encrypted_with_its_metadata(
    sample: Sample, case: Case, world: World, document_dir: Path
) -> None:
    data = sample.build()
    document = document_upload(
        case=case,
        item=case.checklist.get(document_code="passport"),
        data=data,
        filename=sample.filename,
        declared_type=sample.declared_type,
        actor=world.users[Role.COMPANY_HR],
    )
    assert document.page_count == sample.pages
    # What is stored is the checked copy (an image re-encoded, ADR 0017).
    expected = check_upload(data, filename=sample.filename, declared_type=sample.declared_type)
    assert (document.size, document.sha256) == (expected.size, expected.sha256)
    assert document.uploaded_by == world.users[Role.COMPANY_HR]
    [path] = stored_files(document_dir)
    assert data[:64] not in path.read_bytes()
    assert AuditEvent.objects.filter(
        action="document.uploaded", object_id=str(document.pk)
    ).exists()


def test_new_upload_supersedes_and_keeps_the_old_one(case: Case, world: World) -> None:
    good = GOOD[0]
    item = case.checklist.get(document_code="cv")
    first = document_upload(case=case, item=item, data=good.build(), filename="a.pdf",
                            declared_type=None, actor=world.users[Role.COMPANY_HR])  # fmt: skip
    second = document_upload(case=case, item=item, data=good.build(), filename="b.pdf",
                             declared_type=None, actor=world.users[Role.COMPANY_HR])  # fmt: skip
    first.refresh_from_db()
    assert first.superseded_by == second
    assert list(Document.objects.filter(item=item).current()) == [second]
    [status] = [s for s in item_statuses(case) if s.item == item]
    assert status.document == second
    assert status.history == [first]


def test_gate_lists_exactly_what_is_missing_until_accepted(case: Case, world: World) -> None:
    advisor = world.users[Role.CHAMBER_ADVISOR]
    item = case.checklist.get(document_code="cv")
    gaps = {g.item.document_code: g.code for g in document_gaps(case)}
    assert gaps["cv"] == "missing"
    document = document_upload(case=case, item=item, data=GOOD[0].build(), filename="cv.pdf",
                               declared_type=None, actor=world.users[Role.COMPANY_HR])  # fmt: skip
    assert {g.item.document_code: g.code for g in document_gaps(case)}["cv"] == "not_reviewed"
    document_review(document=document, actor=advisor, accept=False, reason="unleserlich")
    assert {g.item.document_code: g.code for g in document_gaps(case)}["cv"] == "rejected"
    document = document_upload(case=case, item=item, data=GOOD[0].build(), filename="cv2.pdf",
                               declared_type=None, actor=world.users[Role.COMPANY_HR])  # fmt: skip
    document_review(document=document, actor=advisor, accept=True)
    assert "cv" not in {g.item.document_code for g in document_gaps(case)}
    assert Document.objects.get(pk=document.pk).review_state == ReviewState.ACCEPTED
