"""An advisor runs a Quick-Check, reads the result in German and English, downloads the record."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, expect
from pypdf import PdfReader

from tests.e2e.conftest import SCREENSHOTS

ADVISOR = "keller@ihk-ludwigsburg.example"
TITLE_DE = "Fachkraft mit Berufsausbildung (§ 18a AufenthG)"
TITLE_EN = "Skilled worker with vocational training (section 18a AufenthG)"


def fill_typical_profile(page: Page) -> None:
    page.get_by_label("Unternehmen", exact=True).select_option(label="Weber Maschinenbau GmbH")
    # The place of business follows the company's main site (htmx).
    expect(page.get_by_label("Wo wird die Person arbeiten?")).to_have_value("Asperg")
    page.get_by_label("Geburtsdatum", exact=True).fill("1992-04-12")
    page.get_by_label("Deutschkenntnisse", exact=True).select_option("B1")
    details = page.get_by_test_id("qualification-details")
    expect(details).to_be_hidden()
    page.get_by_label("Berufsausbildung (mindestens so lang wie ein Ausbildungsberuf)").check()
    expect(details).to_be_visible()
    expect(page.get_by_test_id("degree-details")).to_be_hidden()
    occupation = page.get_by_label("Deutscher Referenzberuf")
    occupation.fill("Industriemechanikerin")
    expect(page.locator("#occupation-hint")).to_contain_text("IHK FOSA")
    page.get_by_label("Dauer der Ausbildung oder des Studiums in Jahren").fill("3")
    page.locator("#field-state_recognised").get_by_label("Ja").check()
    page.get_by_label("Jahre Berufserfahrung im Beruf in den letzten 5 Jahren").fill("4")
    page.get_by_label("Bruttojahresgehalt in Euro").fill("48000")


def test_advisor_runs_a_quickcheck_in_german_and_english_and_downloads_the_record(
    page: Page,
    demo_world: str,
    login: Callable[[str, str], None],
    axe_check: Callable[[str], list[dict[str, Any]]],
) -> None:
    login(ADVISOR, demo_world)
    page.get_by_role("navigation", name="Hauptnavigation").get_by_role(
        "link", name="Quick-Check"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Quick-Check: Welcher Aufenthaltstitel passt?"
    )
    assert axe_check("quick-check form") == []

    fill_typical_profile(page)
    assert axe_check("quick-check form, filled") == []
    page.screenshot(path=str(SCREENSHOTS / "quickcheck-form.png"), full_page=True)

    # The result is calculated without reloading the page (htmx).
    page.evaluate("window.__same_page = true")
    page.get_by_test_id("quickcheck-submit").click()
    result = page.get_by_test_id("quickcheck-result")
    expect(result).to_be_visible()
    assert page.evaluate("window.__same_page === true")
    expect(page.locator("#result-heading")).to_be_focused()
    recommended = page.get_by_test_id("recommended")
    expect(recommended).to_contain_text("Unsere Empfehlung")
    expect(recommended).to_contain_text(TITLE_DE)
    expect(recommended).to_contain_text("IHK FOSA (Foreign Skills Approval) prüft")
    expect(page.get_by_test_id("options-table").locator("tbody tr")).to_have_count(7)
    expect(page.get_by_test_id("fees-table")).to_contain_text("411")
    expect(page.get_by_test_id("steps-table")).to_contain_text("innerhalb von 3 Werktagen")
    assert axe_check("quick-check result") == []
    result.screenshot(path=str(SCREENSHOTS / "quickcheck-result.png"))

    # An invalid answer: a specific message at the field, and everything else stays.
    page.get_by_label("Geburtsdatum", exact=True).fill("2027-01-01")
    page.get_by_test_id("quickcheck-submit").click()
    errors = page.get_by_test_id("quickcheck-errors")
    expect(errors).to_be_focused()
    expect(errors).to_contain_text("Das Geburtsdatum muss vor dem Datum der Entscheidung liegen.")
    expect(page.get_by_label("Deutscher Referenzberuf")).to_have_value("Industriemechanikerin")
    assert axe_check("quick-check errors") == []
    page.get_by_label("Geburtsdatum", exact=True).fill("1992-04-12")
    page.get_by_test_id("quickcheck-submit").click()
    expect(page.get_by_test_id("recommended")).to_contain_text(TITLE_DE)

    # Save the advisory record.
    page.get_by_label("Bezeichnung für das Protokoll").fill("Industriemechaniker Bogotá")
    page.get_by_label("Beratungsvermerke").fill(
        "Arbeitsvertrag liegt vor; Zeugnisse werden übersetzt."
    )
    page.get_by_test_id("quickcheck-save").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Weber Maschinenbau GmbH")
    expect(page.get_by_test_id("recommended")).to_contain_text(TITLE_DE)

    # The same record in English.
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_test_id("recommended")).to_contain_text("Our recommendation")
    expect(page.get_by_test_id("recommended")).to_contain_text(TITLE_EN)
    expect(page.get_by_test_id("recommended")).to_contain_text("checks whether the qualification")
    assert axe_check("advisory record (en)") == []

    # Check again in English from the record: the answers come back, the result is English.
    page.get_by_role("link", name="Check again with these answers").click()
    expect(page.get_by_label("German reference occupation")).to_have_value("Industriemechanikerin")
    page.get_by_test_id("quickcheck-submit").click()
    expect(page.get_by_test_id("recommended")).to_contain_text(TITLE_EN)
    expect(page.get_by_test_id("fees-table")).to_contain_text("€411")
    assert axe_check("quick-check result (en)") == []
    page.go_back()

    # The PDF for the company's file: German, with the recommended title.
    with page.expect_download() as download_info:
        page.get_by_test_id("record-pdf").click()
    download = download_info.value
    assert re.fullmatch(r"Beratungsprotokoll-BP-\d{4}-\d{5}\.pdf", download.suggested_filename)
    data = Path(download.path()).read_bytes()
    assert data.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(data))
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert TITLE_DE in text
    assert "Arbeitsvertrag liegt vor" in text
    assert f"Seite 1 von {len(reader.pages)}" in text

    page.get_by_role("button", name="Deutsch").click()
    expect(page.locator("html")).to_have_attribute("lang", "de")
