"""Objects of the documents area for the access matrix (tests/test_access_matrix.py)."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from django.utils import timezone
from pypdf import PdfWriter

from lotse.accounts.models import Role
from lotse.documents.models import Document, UploadLink
from lotse.documents.sealing import case_file_seal
from lotse.documents.services import document_review, document_upload, upload_link_create
from tests.conftest import World
from tests.documents.conftest import make_case
from tests.filecheck.corpus import samples

if TYPE_CHECKING:
    from lotse.cases.models import Case


def good_pdf() -> bytes:
    return next(s for s in samples() if s.name == "pdf").build()


def tagged_pdf(tag: str) -> bytes:
    """A valid PDF whose bytes differ by `tag` (its title).

    Appending bytes after %%EOF would make it a suspected polyglot (lotse.filecheck.uploads).
    """
    writer = PdfWriter(clone_from=io.BytesIO(good_pdf()))
    writer.add_metadata({"/Title": tag})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def own_case(world: World) -> Case:
    return make_case(world)


def foreign_case(world: World) -> Case:
    from lotse.cases.services import case_create

    return case_create(
        actor=world.foreign_users[Role.CHAMBER_ADVISOR],
        company=world.other_company,
        site=world.other_company.sites.get(),
        worker={
            "worker_surname": "Rojas",
            "worker_given_names": "Carlos",
            "worker_birth_date": "1990-05-05",
            "worker_birth_place": "Bogotá",
            "worker_nationality": "COL",
            "worker_passport_number": "AB123456",
            "worker_passport_expiry": "2035-01-01",
        },
        title="18a",
        recognition_kind="equivalence",
    )


def own_document(world: World) -> Document:
    case = own_case(world)
    return document_upload(
        case=case,
        item=case.checklist.get(document_code="cv"),
        data=good_pdf(),
        filename="cv.pdf",
        declared_type="application/pdf",
        actor=world.users[Role.COMPANY_HR],
    )


def foreign_document(world: World) -> Document:
    case = foreign_case(world)
    return document_upload(
        case=case,
        item=case.checklist.get(document_code="cv"),
        data=good_pdf(),
        filename="cv.pdf",
        declared_type="application/pdf",
        actor=world.foreign_users[Role.CHAMBER_ADVISOR],
    )


def own_link(world: World) -> UploadLink:
    link, _token = upload_link_create(case=own_case(world), actor=world.users[Role.COMPANY_HR])
    return link


def forwarded_case(world: World) -> Case:
    """A case forwarded to the LRA with its sealed file (number 0)."""
    from lotse.cases.models import Case

    document = own_document(world)
    case = document.case
    Case.objects.filter(pk=case.pk).update(forwarded_at=timezone.now(), state="forwarded")
    case = Case.objects.get(pk=case.pk)
    case_file_seal(case=case, actor=world.users[Role.CHAMBER_ADVISOR])
    return case


def forwarded_case_with_new_document(world: World) -> Case:
    """A forwarded case with one document accepted after sealing (the next supplement)."""
    case = forwarded_case(world)
    document = document_upload(
        case=case,
        item=case.checklist.get(document_code="passport"),
        data=good_pdf(),
        filename="pass.pdf",
        declared_type="application/pdf",
        actor=world.users[Role.COMPANY_HR],
    )
    document_review(document=document, actor=world.users[Role.CHAMBER_ADVISOR], accept=True)
    return case
