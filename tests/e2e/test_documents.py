"""The documents journey in a browser: worker uploads, advisor reviews, file sealed, ABH downloads.

Screenshots of the worker page and the advisor's review go to test-results/ for a human look.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect
from pytest_django.fixtures import Settings as SettingsWrapper

from lotse.accounts.models import Role
from lotse.documents.services import upload_link_create
from tests.conftest import PASSWORD, World
from tests.documents.conftest import make_case
from tests.documents.flow import complete_checklist, step
from tests.documents.world import good_pdf
from tests.e2e.conftest import SCREENSHOTS

# Not test-results/: pytest-playwright empties that folder at the start of every run.
WORKER_UPLOADS = ("passport", "cv")


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
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("E-Mail-Adresse").fill(email)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_load_state("networkidle")


def test_worker_uploads_advisor_reviews_file_is_sealed_and_abh_downloads_it(
    transactional_db: None,
    world: World,
    documents_dir: Path,
    live_server: Any,
    page: Page,
    tmp_path: Path,
    axe_check: Callable[[str], list[dict[str, Any]]],
) -> None:
    from lotse.cases.models import Case

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    base = live_server.url
    case = step(make_case(world), "start_collecting", world)
    # Everything but the worker's two documents is already collected and accepted.
    complete_checklist(case, world)
    case.documents.filter(item__document_code__in=WORKER_UPLOADS).delete()
    _link, token = upload_link_create(case=case, actor=world.users[Role.CHAMBER_ADVISOR])

    # 1. The worker opens the link (English by default, whatever the browser says) and uploads.
    worker_page = page
    worker_page.set_viewport_size({"width": 420, "height": 900})
    worker_page.goto(base + reverse("documents:worker", args=[token]))
    expect(worker_page.locator("html")).to_have_attribute("lang", "en")
    expect(worker_page.get_by_role("heading", level=1)).to_have_text(
        "Your documents for the move to Germany"
    )
    assert "Müller" not in worker_page.content()
    assert axe_check("worker page") == []
    scan = tmp_path / "passport-scan.pdf"
    scan.write_bytes(good_pdf())
    for code in WORKER_UPLOADS:
        worker_page.get_by_test_id(f"worker-file-{code}").set_input_files(str(scan))
        worker_page.get_by_test_id(f"worker-upload-{code}").click()
        expect(worker_page.get_by_role("status").first).to_contain_text("was received")
        expect(worker_page.get_by_test_id(f"worker-status-{code}")).to_contain_text(
            "received, being checked"
        )
    worker_page.screenshot(path=str(SCREENSHOTS / "documents-worker-en.png"), full_page=True)
    worker_page.get_by_test_id("worker-language-de").click()
    expect(worker_page.get_by_role("heading", level=1)).to_have_text(
        "Ihre Unterlagen für den Umzug nach Deutschland"
    )
    assert axe_check("worker page (de)") == []
    worker_page.screenshot(path=str(SCREENSHOTS / "documents-worker-de.png"), full_page=True)
    page.context.clear_cookies()
    page.set_viewport_size({"width": 1280, "height": 900})

    # 2. The advisor reviews both uploads; the gate turns green.
    _sign_in(page, base, world.users[Role.CHAMBER_ADVISOR].email)
    documents_url = base + reverse("documents:case", args=[case.pk])
    page.goto(documents_url)
    expect(page.get_by_test_id("gate")).to_contain_text("noch nicht weitergeleitet")
    assert axe_check("case documents") == []
    page.screenshot(path=str(SCREENSHOTS / "documents-advisor-checklist.png"), full_page=True)
    for code in WORKER_UPLOADS:
        page.get_by_test_id(f"review-{code}").click()
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        if code == "passport":
            page.screenshot(path=str(SCREENSHOTS / "documents-advisor-review.png"), full_page=True)
            assert axe_check("document review") == []
        page.get_by_label("Annehmen").check()
        page.get_by_test_id("save-review").click()
        expect(page.get_by_role("status").first).to_contain_text("Die Prüfung wurde gespeichert")
    expect(page.get_by_test_id("gate")).to_contain_text("Vollständig")

    # 3. The chamber records the powers and forwards: the file is sealed.
    case = step(Case.objects.get(pk=case.pk), "submit_for_check", world)
    case = step(case, "record_powers_signed", world, power_of_attorney_signed_on="2026-11-02",
                sub_power_of_attorney_signed_on="2026-11-03")  # fmt: skip
    page.goto(base + reverse("cases:detail", args=[case.pk]))
    forward = page.locator("details[data-step=forward]")
    if forward.get_attribute("open") is None:
        forward.locator("summary").click()
    page.get_by_test_id("step-forward").click()
    page.wait_for_load_state("networkidle")
    assert Case.objects.get(pk=case.pk).state == "forwarded"
    page.context.clear_cookies()

    # 4. The immigration office downloads the sealed file; the hashes match.
    _sign_in(page, base, world.users[Role.ABH_CASEWORKER].email)
    page.goto(documents_url)
    with page.expect_download() as download_info:
        page.get_by_test_id("sealed-0").click()
    archive = Path(download_info.value.path()).read_bytes()
    with zipfile.ZipFile(io.BytesIO(archive)) as zipped:
        manifest = json.loads(zipped.read("manifest.json"))
        assert {"index.pdf", "manifest.json"} <= set(zipped.namelist())
        for entry in manifest["documents"]:
            assert hashlib.sha256(zipped.read(entry["path"])).hexdigest() == entry["sha256"]
    items = {entry["item"] for entry in manifest["documents"]}
    assert set(WORKER_UPLOADS) <= items
    assert manifest["case"]["reference"] == case.reference
