"""A Nachforderung in the browser: the ABH asks on the case page (htmx), the deadline halts, the
company answers with an upload, the request is answered and the deadline runs again."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect
from pytest_django.fixtures import Settings as SettingsWrapper

from lotse.accounts.models import Role
from lotse.cases import deadlines
from lotse.cases.models import Case
from tests.conftest import PASSWORD, World
from tests.documents.conftest import make_case
from tests.documents.world import good_pdf
from tests.e2e.conftest import SCREENSHOTS


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


def _sign_in(page: Page, base: str, email: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("E-Mail-Adresse").fill(email)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_load_state("networkidle")


def test_abh_requests_company_answers_by_upload_and_the_clock_resumes(
    transactional_db: None,
    world: World,
    documents_dir: Path,
    live_server: Any,
    page: Page,
    axe_check: Callable[[str], list[dict[str, Any]]],
) -> None:
    today = timezone.localdate()
    case = make_case(world)
    Case.objects.filter(pk=case.pk).update(forwarded_at=timezone.now(), state="forwarded")
    case = Case.objects.get(pk=case.pk)
    deadlines.apply_events(case, [("recognition_file_complete", today)])
    base = live_server.url
    detail = f"{base}{reverse('cases:detail', args=[case.pk])}"
    clock_row = page.locator('tr[data-clock="recognition_decision"]')

    _sign_in(page, base, world.users[Role.ABH_CASEWORKER].email)
    page.goto(detail)
    form = page.get_by_test_id("request-form")
    form.get_by_label("Im Auftrag von").select_option("recognition_body")
    form.get_by_label(case.checklist.get(document_code="cv").label_de).check()
    form.get_by_label("Begründung").fill("Die Anerkennungsstelle braucht den Lebenslauf lückenlos.")
    form.get_by_label("Frist bis").fill((today + dt.timedelta(days=14)).isoformat())
    form.get_by_test_id("send-request").click()
    request = page.get_by_test_id("document-request")
    expect(request).to_have_attribute("data-state", "open")
    page.screenshot(path=str(SCREENSHOTS / "conversation-request.png"), full_page=True)
    assert axe_check("case page with a Nachforderung") == []
    page.reload()
    expect(clock_row).to_have_attribute("data-state", "suspended")
    due_cell = clock_row.locator("td").nth(2)
    expect(due_cell).to_have_text("–")  # halted: no due date while the documents are awaited

    _sign_in(page, base, world.users[Role.COMPANY_HR].email)
    page.goto(detail)
    expect(page.locator("li[data-kind=request]")).to_contain_text("Lebenslauf lückenlos")
    page.goto(f"{base}{reverse('documents:case', args=[case.pk])}")
    cv = documents_dir / "lebenslauf.pdf"
    cv.write_bytes(good_pdf())
    page.get_by_test_id("file-cv").set_input_files(str(cv))
    page.get_by_test_id("upload-cv").click()
    page.wait_for_load_state("networkidle")
    page.goto(detail)
    expect(page.get_by_test_id("document-request")).to_have_attribute("data-state", "answered")
    # The clock runs again: it has a due date (the day of the answer itself still counts as
    # halted, both ends of a suspension are included: docs/deadlines.md).
    expect(due_cell).not_to_have_text("–")
