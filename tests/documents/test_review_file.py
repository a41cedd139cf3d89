"""The chamber reviews a whole file in one view: server-rendered previews, decisions, bulk accept;
the company uploads several files in one form; every page action has its API twin."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from lotse.accounts.models import Role, User
from lotse.audit.models import AuditEvent
from lotse.documents.models import Document, ReviewState
from lotse.documents.services import document_upload
from tests.conftest import World
from tests.documents.test_checks import SPECIMEN
from tests.documents.world import foreign_case, good_pdf
from tests.filecheck.corpus import samples

if TYPE_CHECKING:
    from lotse.cases.models import Case

pytestmark = pytest.mark.django_db

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def _sample(name: str) -> bytes:
    return next(s for s in samples() if s.name == name).build()


def _doc(case: Case, world: World, code: str, data: bytes, filename: str) -> Document:
    return document_upload(case=case, item=case.checklist.get(document_code=code), data=data,
                           filename=filename, declared_type=None,
                           actor=world.users[Role.COMPANY_HR])  # fmt: skip


@pytest.fixture
def advisor(world: World, client_for: Callable[[User], Client]) -> Client:
    return client_for(world.users[Role.CHAMBER_ADVISOR])


@pytest.mark.parametrize(("name", "filename"), [("pdf_scan", "scan.pdf"), ("tiff", "z.tif"),
                                                ("jpeg", "pass.jpg")])  # fmt: skip
def test_every_page_is_a_png_rendered_on_the_server(
    name: str, filename: str, case: Case, world: World, advisor: Client
) -> None:
    document = _doc(case, world, "cv", _sample(name), filename)
    for page in range(1, document.page_count + 1):
        response = advisor.get(reverse("documents:preview", args=[document.pk, page]))
        assert response.status_code == 200
        assert response["Content-Type"] == "image/png"
        assert response.content.startswith(PNG_MAGIC)
        with Image.open(io.BytesIO(response.content)) as image:
            assert image.format == "PNG"
            assert image.width <= 900
    beyond = advisor.get(reverse("documents:preview", args=[document.pk, document.page_count + 1]))
    assert beyond.status_code == 404
    assert AuditEvent.objects.filter(action="document.previewed").count() == 1


def test_previews_of_another_organisations_document_are_not_found(
    world: World, client_for: Callable[[User], Client]
) -> None:
    other = foreign_case(world)
    document = document_upload(case=other, item=other.checklist.get(document_code="cv"),
                               data=good_pdf(), filename="cv.pdf", declared_type=None,
                               actor=world.foreign_users[Role.CHAMBER_ADVISOR])  # fmt: skip
    client = client_for(world.users[Role.CHAMBER_ADVISOR])
    assert client.get(reverse("documents:preview", args=[document.pk, 1])).status_code == 404
    api = client.get(f"/api/v1/documents/{document.pk}/pages/1")
    assert api.status_code == 404


def test_the_review_view_shows_every_document_with_its_pages(
    case: Case, world: World, advisor: Client
) -> None:
    cv = _doc(case, world, "cv", good_pdf(), "cv.pdf")
    scan = _doc(case, world, "passport", _sample("pdf_scan"), "pass.pdf")
    response = advisor.get(reverse("documents:review_file", args=[case.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert reverse("documents:preview", args=[cv.pk, 1]) in html
    for page in (1, 2, 3):
        assert reverse("documents:preview", args=[scan.pk, page]) in html
    assert f'value="{cv.pk}" form="bulk-accept"' in html
    for active in ("<embed", "<iframe", "<object"):
        assert active not in html


def test_a_decision_without_leaving_the_page_htmx_and_without_js(
    case: Case, world: World, advisor: Client
) -> None:
    cv = _doc(case, world, "cv", good_pdf(), "cv.pdf")
    url = reverse("documents:decide", args=[cv.pk])
    refused = advisor.post(url, {f"d{cv.pk}-decision": "reject", f"d{cv.pk}-reason": ""},
                           HTTP_HX_REQUEST="true")  # fmt: skip
    assert refused.status_code == 200
    assert f'id="doc-{cv.pk}"' in refused.content.decode()
    assert "<html" not in refused.content.decode()  # only the card is swapped
    assert "kern-error" in refused.content.decode()
    no_js = advisor.post(url, {f"d{cv.pk}-decision": "reject", f"d{cv.pk}-reason": ""})
    assert no_js.status_code == 422
    assert "<html" in no_js.content.decode()
    accepted = advisor.post(url, {f"d{cv.pk}-decision": "accept"}, HTTP_HX_REQUEST="true")
    assert accepted.status_code == 200
    cv.refresh_from_db()
    assert cv.review_state == ReviewState.ACCEPTED
    rejected = advisor.post(url, {f"d{cv.pk}-decision": "reject",
                                  f"d{cv.pk}-reason": "Unleserlich"})  # fmt: skip
    assert rejected.status_code == 302
    assert rejected["Location"].endswith(f"#doc-{cv.pk}")
    cv.refresh_from_db()
    assert cv.rejection_reason == "Unleserlich"


def test_bulk_accept_accepts_the_ticked_documents_of_this_case_only(
    case: Case, world: World, advisor: Client
) -> None:
    cv = _doc(case, world, "cv", good_pdf(), "cv.pdf")
    contract = _doc(case, world, "employment_contract", good_pdf(), "vertrag.pdf")
    other = foreign_case(world)
    foreign = document_upload(case=other, item=other.checklist.get(document_code="cv"),
                              data=good_pdf(), filename="x.pdf", declared_type=None,
                              actor=world.foreign_users[Role.CHAMBER_ADVISOR])  # fmt: skip
    url = reverse("documents:review_bulk", args=[case.pk])
    sneaky = advisor.post(url, {"documents": [cv.pk, foreign.pk]})
    assert sneaky.status_code == 422
    assert not Document.objects.filter(review_state=ReviewState.ACCEPTED).exists()
    ok = advisor.post(url, {"documents": [cv.pk, contract.pk]})
    assert ok.status_code == 302
    assert set(
        Document.objects.filter(review_state=ReviewState.ACCEPTED).values_list("pk", flat=True)
    ) == {cv.pk, contract.pk}
    assert AuditEvent.objects.filter(action="document.accepted").count() == 2


def test_bulk_accept_refuses_a_passport_with_an_open_mrz_problem(
    case: Case, world: World, advisor: Client
) -> None:
    from lotse.documents.services import document_metadata_update

    cv = _doc(case, world, "cv", good_pdf(), "cv.pdf")
    passport = _doc(case, world, "passport", good_pdf(), "pass.pdf")
    document_metadata_update(document=passport, actor=world.users[Role.CHAMBER_ADVISOR],
                             mrz_line1=SPECIMEN[0], mrz_line2=SPECIMEN[1][:9] + "7" + SPECIMEN[1][10:])  # fmt: skip
    response = advisor.post(reverse("documents:review_bulk", args=[case.pk]),
                            {"documents": [cv.pk, passport.pk]})  # fmt: skip
    assert response.status_code == 422
    assert not Document.objects.filter(review_state=ReviewState.ACCEPTED).exists()


def test_the_company_uploads_several_files_in_one_form(
    case: Case, world: World, client_for: Callable[[User], Client]
) -> None:
    company = client_for(world.users[Role.COMPANY_HR])
    cv = case.checklist.get(document_code="cv")
    contract = case.checklist.get(document_code="employment_contract")
    other_item = foreign_case(world).checklist.get(document_code="cv")
    response = company.post(reverse("documents:upload_many", args=[case.pk]), {
        f"file_{cv.pk}": SimpleUploadedFile("cv.pdf", good_pdf(), "application/pdf"),
        f"language_{cv.pk}": "de",
        f"file_{contract.pk}": SimpleUploadedFile("vertrag.pdf", good_pdf(), "application/pdf"),
        f"file_{other_item.pk}": SimpleUploadedFile("x.pdf", good_pdf(), "application/pdf"),
    })  # fmt: skip
    assert response.status_code == 302
    stored = {d.filename: d for d in Document.objects.all()}
    assert set(stored) == {"cv.pdf", "vertrag.pdf"}  # the other case's item id is ignored
    assert stored["cv.pdf"].language == "de"
    assert stored["vertrag.pdf"].case == case


def test_api_bulk_review_and_batch_upload(
    case: Case, world: World, client_for: Callable[[User], Client]
) -> None:
    company = client_for(world.users[Role.COMPANY_HR])
    batch = company.post(f"/api/v1/cases/{case.pk}/documents/batch", {
        "files": [SimpleUploadedFile("cv.pdf", good_pdf(), "application/pdf"),
                  SimpleUploadedFile("bad.pdf", b"MZ not a pdf" * 50, "application/pdf"),
                  SimpleUploadedFile("vertrag.pdf", good_pdf(), "application/pdf")],
        "items": ["cv", "passport", "employment_contract"],
    })  # fmt: skip
    assert batch.status_code == 200, batch.content
    body = batch.json()
    assert (body["stored"], body["refused"]) == (2, 1)
    assert [r["stored"] for r in body["results"]] == [True, False, True]
    assert body["results"][1]["code"]
    ids = [r["document"]["id"] for r in body["results"] if r["stored"]]
    mismatch = company.post(f"/api/v1/cases/{case.pk}/documents/batch", {
        "files": [SimpleUploadedFile("cv.pdf", good_pdf(), "application/pdf")],
        "items": ["cv", "passport"]})  # fmt: skip
    assert mismatch.status_code == 422
    advisor = client_for(world.users[Role.CHAMBER_ADVISOR])
    forbidden = company.post(f"/api/v1/cases/{case.pk}/documents/review",
                             {"documents": ids, "decision": "accept"},
                             content_type="application/json")  # fmt: skip
    assert forbidden.status_code == 403
    reviewed = advisor.post(f"/api/v1/cases/{case.pk}/documents/review",
                            {"documents": ids, "decision": "accept"},
                            content_type="application/json")  # fmt: skip
    assert reviewed.status_code == 200, reviewed.content
    assert {d["review_state"] for d in reviewed.json()["documents"]} == {"accepted"}
    unknown = advisor.post(f"/api/v1/cases/{case.pk}/documents/review",
                           {"documents": [ids[0], 999999], "decision": "accept"},
                           content_type="application/json")  # fmt: skip
    assert unknown.status_code == 422
    preview = advisor.get(f"/api/v1/documents/{ids[0]}/pages/1")
    assert preview.status_code == 200
    assert preview.content.startswith(PNG_MAGIC)
