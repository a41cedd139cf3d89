"""The whole journey in the browser: Quick-Check → case → checklist → forward → ABH steps →
pre-approval, and the company sees every step on its timeline. Saves the workbench screenshots
to docs/ (docs/workbench-company.png, -chamber.png, -abh.png)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from playwright.sync_api import Page, expect

from lotse.cases.demo import demo_cases_load
from tests.e2e.conftest import SCREENSHOTS
from tests.rules.profiles import VOCATIONAL

SABINE = "sabine.berger@weber-maschinenbau.example"
KELLER = "keller@ihk-ludwigsburg.example"
VOGEL = "vogel@landkreis-ludwigsburg.example"


def _logout(page: Page) -> None:
    page.get_by_role("button", name="Abmelden").click()
    page.wait_for_load_state("networkidle")


def _step(page: Page, name: str, fields: dict[str, str] | None = None) -> None:
    """Open the step's panel on the case page, fill its fields, record it."""
    panel = page.locator(f'details[data-step="{name}"]')
    panel.locator("summary").click()
    for field, value in (fields or {}).items():
        panel.locator(f"#id_{name}-{field}").fill(value)
    panel.get_by_test_id(f"step-{name}").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator(".kern-alert--success")).to_contain_text("Erfasst")


def _fits(page: Page, context: str) -> None:
    """No horizontal page scroll: nothing is wider than the viewport."""
    widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    wide = page.evaluate(
        """() => [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5
                    && !e.closest('.lotse-table-wrap'))
            .slice(0, 8).map(e => e.tagName + '.' + e.className + ' ' + e.getBoundingClientRect().right)"""
    )
    assert widths[0] <= widths[1], f"{context}: {widths[0]} px wide at {widths[1]} px: {wide}"


def test_the_whole_journey(
    page: Page,
    live_server: Any,
    demo_world: str,
    login: Callable[[str, str], None],
    axe_check: Callable[[str], list[dict[str, Any]]],
) -> None:
    demo_cases_load()  # other cases in the workbenches, as in the demo
    today = dt.date.today().isoformat()
    profile = {**VOCATIONAL, "decision_date": today}

    # 1. The company starts a case from a Quick-Check result.
    login(SABINE, demo_world)
    page.goto(f"{live_server.url}/cases/new/?quickcheck_input={quote(json.dumps(profile))}")
    expect(page.get_by_test_id("from-quickcheck")).to_be_visible()
    # What the Quick-Check asked is carried over, not typed again.
    expect(page.locator("#id_worker_birth_date")).to_have_value("1990-05-01")
    expect(page.locator("#id_job_title")).to_have_value("Industriemechaniker/in")
    # Every problem at once, in a summary that takes focus.
    page.get_by_test_id("case-create-submit").click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_test_id("error-summary")).to_be_focused()
    expect(page.get_by_test_id("error-summary").locator("a")).to_have_count(5)
    assert axe_check("create page with errors") == []
    for field, value in {
        "worker_surname": "ROJAS", "worker_given_names": "CARLOS",
        "worker_birth_place": "Bogotá", "worker_passport_number": "AV7654321",
        "worker_passport_expiry": "2034-02-28", "worker_email": "carlos.rojas@example.org",
    }.items():  # fmt: skip
        page.locator(f"#id_{field}").fill(value)
    # The nationality is chosen by its name; the case keeps the ISO code.
    page.locator("#id_worker_nationality").select_option(label="Kolumbien")
    page.get_by_test_id("case-create-submit").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator(".kern-alert--success")).to_contain_text("wurde angelegt")
    heading = page.get_by_test_id("case-heading").inner_text()
    reference = heading.split(" · ")[0]
    case_url = page.url
    expect(page.get_by_test_id("now")).to_contain_text("die Kammer")
    expect(page.get_by_test_id("case-facts")).to_contain_text("Kolumbien (COL)")
    # The company mails the upload link to the worker and can copy it.
    page.get_by_test_id("send-upload-link").click()
    page.wait_for_load_state("networkidle")
    sent = page.get_by_test_id("sent-upload-link").input_value()
    worker_url = live_server.url + "/u/" + sent.split("/u/", 1)[1]
    expect(page.get_by_test_id("copy-upload-link")).to_be_visible()
    assert axe_check("case page, company") == []
    _logout(page)

    # 2. The chamber advisor works the checklist and forwards.
    login(KELLER, demo_world)
    page.goto(f"{live_server.url}/cases/")
    expect(page.get_by_role("link", name=reference)).to_be_visible()
    page.get_by_role("link", name=reference).click()
    _step(page, "start_collecting")
    _step(page, "submit_for_check")
    forward_guard = page.locator('details[data-step="record_powers_signed"]')
    expect(forward_guard).to_be_visible()
    # Every mandatory original seen on paper (htmx swaps the checklist in place).
    missing = page.locator('tr[data-mandatory="yes"][data-complete="no"]')
    codes = [missing.nth(i).get_attribute("data-document") for i in range(missing.count())]
    assert codes
    for code in codes:
        page.locator(f'tr[data-document="{code}"]').get_by_test_id("paper").click()
        expect(page.locator(f'tr[data-document="{code}"]')).to_have_attribute(
            "data-complete", "yes"
        )
    expect(page.get_by_test_id("checklist")).to_contain_text("Alle Pflichtunterlagen liegen vor")
    page.reload()
    _step(page, "record_powers_signed", {"power_of_attorney_signed_on": today,
                                         "sub_power_of_attorney_signed_on": today})  # fmt: skip
    _step(page, "forward")
    expect(page.get_by_test_id("case-state")).to_contain_text(
        "An die Ausländerbehörde weitergeleitet"
    )
    page.goto(f"{live_server.url}/cases/")
    page.screenshot(path=str(SCREENSHOTS / "workbench-chamber.png"), full_page=True)
    assert axe_check("chamber inbox") == []
    _logout(page)

    # 3. The immigration office records the external steps and issues the pre-approval.
    login(VOGEL, demo_world)
    expect(page.get_by_test_id("case-table")).to_contain_text(reference)
    page.screenshot(path=str(SCREENSHOTS / "workbench-abh.png"), full_page=True)
    assert axe_check("abh dashboard") == []
    page.goto(case_url)
    _step(page, "accept_intake")
    _step(page, "conclude_agreement", {"fee_paid_on": today})
    _step(page, "recognition_initiate", {"reference": "FOSA-2026-4711"})
    _step(page, "recognition_confirm_receipt")
    _step(page, "recognition_file_complete")
    _step(page, "recognition_decide_full", {"reference": "Bescheid 2026/118"})
    _step(page, "record_employer_invited")
    _step(page, "ba_request", {"reference": "BA-LB-0815"})
    _step(page, "ba_approve")
    _step(page, "issue_preapproval", {"reference": "LRA 32.1-118", "mission": "Botschaft Bogotá"})
    expect(page.get_by_test_id("case-state")).to_contain_text("Vorabzustimmung erteilt")
    assert axe_check("case page, abh") == []
    _logout(page)

    # 4. The worker, on a phone (390 × 844): the pre-approval, forms to sign, contacts, privacy.
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(worker_url)
    preapproval = page.get_by_test_id("worker-preapproval")
    expect(preapproval).to_contain_text("Botschaft Bogotá")
    expect(preapproval).to_contain_text("LRA 32.1-118")
    expect(page.get_by_test_id("worker-form-vollmacht")).to_be_visible()
    expect(page.get_by_test_id("worker-contact").first).to_contain_text(SABINE)
    expect(page.get_by_test_id("worker-privacy")).to_contain_text("Art. 6")
    _fits(page, "worker page")
    page.screenshot(path=str(SCREENSHOTS / "worker-page-390.png"), full_page=True)
    assert axe_check("worker page, 390 px") == []
    login(SABINE, demo_world)
    for url, name in ((case_url, "case page"), (case_url + "documents/", "documents page")):
        page.goto(url)
        _fits(page, f"{name}, 390 px")
        assert axe_check(f"{name}, 390 px") == []
    page.screenshot(path=str(SCREENSHOTS / "documents-390.png"), full_page=True)
    _logout(page)
    page.set_viewport_size({"width": 1280, "height": 900})

    # 5. The company sees every step on its timeline.
    login(SABINE, demo_world)
    page.goto(case_url)
    timeline = page.get_by_test_id("timeline")
    for key in ("advice", "collecting_documents", "completeness_check", "powers_signed",
                "forwarded", "intake_accepted", "agreement_concluded", "recognition", "ba",
                "preapproval_issued"):  # fmt: skip
        expect(timeline.locator(f'li[data-step="{key}"]')).to_have_attribute("data-status", "done")
    expect(timeline.locator('li[data-step="visa_appointment_requested"]')).to_have_attribute(
        "data-status", "current"
    )
    expect(timeline).to_contain_text("Eingang von der Stelle bestätigt")
    expect(page.get_by_test_id("history")).to_contain_text("Vorabzustimmung erteilt")
    page.screenshot(path=str(SCREENSHOTS / "workbench-company.png"), full_page=True)
    page.get_by_role("button", name="English").click()
    expect(page.get_by_test_id("timeline")).to_contain_text("Pre-approval issued")
    assert axe_check("case page, company (en)") == []
