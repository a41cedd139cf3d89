"""Migration 0003 repairs items that parallel uploads left with several current documents."""

from __future__ import annotations

from lotse.accounts.models import Role
from lotse.documents.models import Document
from lotse.documents.services import document_upload
from tests.conftest import Migrator, World
from tests.documents.conftest import make_case
from tests.documents.world import good_pdf

BEFORE = [("documents", "0002_uploadlink_document_sealedfile_and_more")]
AFTER = [("documents", "0005_acceptance_reason")]


def test_three_current_uploads_become_one(world: World, migrator: Migrator) -> None:
    case = make_case(world)
    item = case.checklist.get(document_code="cv")
    first = document_upload(case=case, item=item, data=good_pdf(), filename="a.pdf",
                            declared_type=None, actor=world.users[Role.COMPANY_HR])  # fmt: skip
    old = migrator.migrate(BEFORE)
    OldDocument = old.get_model("documents", "Document")  # noqa: N806
    OldBlob = old.get_model("documents", "StoredBlob")  # noqa: N806
    template = OldDocument.objects.get(pk=first.pk)
    for name in ("b.pdf", "c.pdf"):  # what the race left behind: three "current" rows
        blob = OldBlob.objects.create(kind="document", name=f"race-{name}", key_id="k",
                                      sha256="0" * 64, size=1)  # fmt: skip
        OldDocument.objects.create(case_id=case.pk, item_id=item.pk, blob=blob, filename=name,
                                   mime_type=template.mime_type, size=1, sha256="0" * 64,
                                   page_count=1)  # fmt: skip
    assert OldDocument.objects.filter(superseded_by__isnull=True).count() == 3
    migrator.migrate(AFTER)
    migrator.newest()
    current = list(Document.objects.filter(item=item).current())
    assert [d.filename for d in current] == ["c.pdf"]
    older = Document.objects.exclude(pk=current[0].pk)
    assert all(d.superseded_by_id == current[0].pk for d in older)
