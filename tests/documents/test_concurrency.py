"""Twenty parallel uploads to one checklist item leave exactly one current document.

Only meaningful on PostgreSQL (row locks; SQLite serialises whole transactions). Run with
DATABASE_URL=postgresql://postgres@127.0.0.1/lotse_docs.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

import pytest
from django.db import IntegrityError, connection, connections, transaction

from lotse.accounts.models import Role
from lotse.documents.models import Document
from lotse.documents.services import document_upload
from tests.conftest import World
from tests.documents.conftest import make_case
from tests.documents.world import good_pdf, tagged_pdf

if TYPE_CHECKING:
    from lotse.cases.models import ChecklistItem

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="LOUD SKIP: the concurrency test needs PostgreSQL (DATABASE_URL=postgresql://…); "
        "it did not run on SQLite",
    ),
]
PARALLEL = 20


def _race(item: ChecklistItem, world: World, **kwargs: object) -> list[object]:
    barrier = threading.Barrier(PARALLEL)
    results: list[object] = [None] * PARALLEL

    def run(index: int) -> None:
        try:
            barrier.wait(timeout=20)
            results[index] = document_upload(
                case=item.case, item=item, data=tagged_pdf(str(index)),
                filename=f"upload-{index}.pdf", declared_type="application/pdf",
                actor=world.users[Role.COMPANY_HR], **kwargs,  # type: ignore[arg-type]
            )  # fmt: skip
        except Exception as exc:
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(PARALLEL)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


@pytest.mark.django_db(transaction=True)
def test_twenty_parallel_uploads_leave_one_current_document(world: World) -> None:
    case = make_case(world)
    item = case.checklist.get(document_code="cv")
    results = _race(item, world)
    assert all(isinstance(r, Document) for r in results), results
    current = list(Document.objects.filter(item=item).current())
    assert len(current) == 1
    assert Document.objects.filter(item=item).count() == PARALLEL
    # Every replaced upload points to the one that replaced it: a single chain.
    assert Document.objects.filter(item=item, superseded_by__isnull=True).count() == 1


@pytest.mark.django_db(transaction=True)
def test_twenty_parallel_translations_leave_one_current_translation(world: World) -> None:
    case = make_case(world)
    item = case.checklist.get(document_code="qualification_certificate")
    original = document_upload(case=case, item=item, data=good_pdf(), filename="o.pdf",
                               declared_type="application/pdf", language="other",
                               actor=world.users[Role.COMPANY_HR])  # fmt: skip
    results = _race(item, world, translation_of=original, language="de")
    assert all(isinstance(r, Document) for r in results), results
    assert Document.objects.filter(translation_of=original).current().count() == 1
    assert Document.objects.filter(pk=original.pk).current().exists()


@pytest.mark.django_db(transaction=True)
def test_the_database_refuses_a_second_current_original(world: World) -> None:
    """The partial unique index holds even for a write that bypasses the service."""
    case = make_case(world)
    item = case.checklist.get(document_code="cv")
    first = document_upload(case=case, item=item, data=good_pdf(), filename="a.pdf",
                            declared_type="application/pdf", actor=world.users[Role.COMPANY_HR])  # fmt: skip
    blob = first.blob
    blob.pk = None
    blob.name = blob.name + "-copy"
    blob.save()
    with pytest.raises(IntegrityError), transaction.atomic():
        Document.objects.create(case=case, item=item, blob=blob, filename="b.pdf",
                                mime_type=first.mime_type, size=first.size, sha256=first.sha256,
                                page_count=first.page_count)  # fmt: skip
