"""The worker reads their page in Arabic (right to left) and uploads a document there (issue 9).

`LOTSE_SCREENSHOTS=docs` refreshes docs/worker-page-ar.png.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.urls import reverse
from playwright.sync_api import Page, expect

from lotse.accounts.models import Role
from lotse.cases.models import Case
from lotse.documents.models import Document
from lotse.documents.services import upload_link_create
from tests.conftest import World
from tests.documents.conftest import make_case
from tests.documents.world import good_pdf
from tests.e2e.conftest import SCREENSHOTS
from tests.e2e.test_documents import documents_dir  # noqa: F401 -- the fixture


def test_worker_switches_to_arabic_sees_rtl_and_uploads(
    transactional_db: None,
    world: World,
    documents_dir: Path,  # noqa: F811
    live_server: Any,
    page: Page,
    tmp_path: Path,
    axe_check: Callable[[str], list[dict[str, Any]]],
) -> None:
    case = make_case(world)
    _link, token = upload_link_create(case=case, actor=world.users[Role.CHAMBER_ADVISOR])
    page.goto(live_server.url + reverse("documents:worker", args=[token]))
    expect(page.locator("html")).to_have_attribute("dir", "ltr")

    # The switch is a plain link: it works without JavaScript.
    page.get_by_test_id("worker-language-ar").click()
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.get_by_role("heading", level=1)).to_have_text("مستنداتك للانتقال إلى ألمانيا")
    # Right to left for real: the heading starts at the right edge of the main column.
    heading = page.get_by_role("heading", level=1).bounding_box()
    main = page.locator("main").bounding_box()
    assert heading is not None
    assert main is not None
    assert abs((heading["x"] + heading["width"]) - (main["x"] + main["width"])) < 40
    assert page.evaluate("getComputedStyle(document.querySelector('h1')).direction") == "rtl"
    assert axe_check("worker page (ar)") == []

    scan = tmp_path / "passport.pdf"
    scan.write_bytes(good_pdf())
    page.get_by_test_id("worker-file-passport").set_input_files(str(scan))
    page.get_by_test_id("worker-upload-passport").click()
    expect(page.get_by_role("status").first).to_contain_text("شكرًا لك")
    expect(page.get_by_test_id("worker-status-passport")).to_contain_text("تم الاستلام، قيد الفحص")
    assert Document.objects.get(case=case).item.document_code == "passport"
    assert Case.objects.get(pk=case.pk).worker_language == "ar"
    page.screenshot(path=str(SCREENSHOTS / "worker-page-ar.png"), full_page=True)
