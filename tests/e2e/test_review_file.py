"""The chamber reviews two documents in one view: previews as images, decisions without leaving it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect
from pytest_django.fixtures import Settings as SettingsWrapper

from lotse.accounts.models import Role
from lotse.documents.models import Document, ReviewState
from lotse.documents.services import document_upload
from tests.conftest import World
from tests.documents.conftest import make_case
from tests.documents.world import good_pdf
from tests.e2e.conftest import SCREENSHOTS
from tests.e2e.test_documents import _sign_in
from tests.filecheck.corpus import samples


@pytest.fixture
def documents_dir(tmp_path: Path, settings: SettingsWrapper) -> Path:
    root = tmp_path / "documents"
    root.mkdir()
    settings.STORAGES = {
        **settings.STORAGES,
        "documents": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": root},
        },
    }
    return root


def test_advisor_reviews_two_documents_in_one_view(
    transactional_db: None,
    world: World,
    documents_dir: Path,
    live_server: Any,
    page: Page,
    axe_check: Callable[[str], list[dict[str, Any]]],
) -> None:
    case = make_case(world)
    company = world.users[Role.COMPANY_HR]
    scan = next(s for s in samples() if s.name == "pdf_scan").build()
    cv = document_upload(case=case, item=case.checklist.get(document_code="cv"), data=good_pdf(),
                         filename="lebenslauf.pdf", declared_type=None, actor=company)  # fmt: skip
    contract = document_upload(case=case, item=case.checklist.get(document_code="employment_contract"),
                               data=scan, filename="vertrag.pdf", declared_type=None, actor=company)  # fmt: skip
    base = live_server.url
    _sign_in(page, base, world.users[Role.CHAMBER_ADVISOR].email)
    page.goto(base + reverse("documents:case", args=[case.pk]))
    page.get_by_test_id("review-file").click()
    url = base + reverse("documents:review_file", args=[case.pk])
    expect(page).to_have_url(url)
    # Every page is an image rendered on the server; the PDF itself is not in the page.
    for document in (cv, contract):
        for number in range(1, document.page_count + 1):
            image = page.get_by_test_id(f"preview-{document.pk}-{number}")
            image.scroll_into_view_if_needed()
            expect(image).to_be_visible()
            page.wait_for_function(
                "el => el.complete && el.naturalWidth > 0", arg=image.element_handle()
            )
    assert page.locator("embed, iframe, object").count() == 0
    assert axe_check("file review") == []
    page.screenshot(path=str(SCREENSHOTS / "documents-review-file.png"), full_page=True)

    # Reject the contract without a reason: the card says what is missing, the page stays.
    card = page.get_by_test_id(f"review-card-{contract.pk}")
    card.get_by_label("Ablehnen").check()
    card.get_by_test_id(f"decide-submit-{contract.pk}").click()
    expect(page.get_by_test_id(f"review-card-{contract.pk}").locator(".kern-error")).to_be_visible()
    expect(page).to_have_url(url)
    # With a reason the rejection is saved, in place (htmx swaps only the card).
    card = page.get_by_test_id(f"review-card-{contract.pk}")
    card.get_by_label("Ablehnen").check()
    card.get_by_role("textbox").fill("Seite 2 fehlt; bitte vollständig scannen.")
    card.get_by_test_id(f"decide-submit-{contract.pk}").click()
    expect(page.get_by_test_id(f"review-card-{contract.pk}")).to_contain_text("abgelehnt")
    expect(page).to_have_url(url)

    # Accept the CV with the bulk form (the checkbox belongs to it by its form attribute).
    page.get_by_test_id(f"bulk-{cv.pk}").check()
    page.get_by_test_id("bulk-accept-submit").click()
    expect(page.get_by_role("status").first).to_contain_text("1 Unterlage wurde angenommen")
    expect(page.get_by_test_id(f"review-card-{cv.pk}")).to_contain_text("angenommen")
    page.screenshot(path=str(SCREENSHOTS / "documents-review-file-decided.png"), full_page=True)
    states = dict(Document.objects.values_list("pk", "review_state"))
    assert states == {cv.pk: ReviewState.ACCEPTED, contract.pk: ReviewState.REJECTED}
