"""Every demo login reaches its dashboard, the language switch works, and axe finds nothing serious."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from lotse.organisations.demo import USERS
from tests.e2e.conftest import SCREENSHOTS


def test_login_page_is_german_and_accessible(
    page: Page, live_server: Any, axe_check: Callable[[str], list[dict[str, Any]]]
) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(page.get_by_role("heading", level=1)).to_have_text("Bei Lotse anmelden")
    assert axe_check("login") == []


def test_wrong_password_gives_a_clear_message(
    page: Page, live_server: Any, demo_world: str
) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("E-Mail-Adresse").fill(USERS[1].email)
    page.get_by_label("Passwort").fill("falsch")
    page.get_by_role("button", name="Anmelden").click()
    expect(page.get_by_role("alert")).to_contain_text("E-Mail-Adresse oder Passwort stimmen nicht")


@pytest.mark.parametrize("demo_user", USERS, ids=lambda u: u.role)
def test_every_demo_login_reaches_its_dashboard(
    page: Page,
    demo_world: str,
    login: Callable[[str, str], None],
    axe_check: Callable[[str], list[dict[str, Any]]],
    demo_user: Any,
) -> None:
    login(demo_user.email, demo_world)
    expect(page.get_by_role("navigation", name="Hauptnavigation")).to_be_visible()
    expect(page.get_by_role("link", name="Übersicht")).to_have_attribute("aria-current", "page")
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_be_visible()
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"dashboard-{demo_user.role}.png"), full_page=True)
    assert axe_check(f"dashboard {demo_user.role}") == []

    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("link", name="Overview")).to_be_visible()
    assert axe_check(f"dashboard {demo_user.role} (en)") == []
    page.get_by_role("button", name="Deutsch").click()
    expect(page.locator("html")).to_have_attribute("lang", "de")


def test_skip_link_moves_focus_to_main(
    page: Page, demo_world: str, login: Callable[[str, str], None]
) -> None:
    login(USERS[1].email, demo_world)
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Zum Hauptinhalt springen")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()


def test_no_page_breaks_its_own_content_security_policy(
    page: Page, live_server: Any, demo_world: str, login: Callable[[str, str], None]
) -> None:
    # htmx injects a <style> element for its indicators unless told not to; the CSP
    # (style-src 'self') blocks it and every page logged a violation in the console.
    errors: list[str] = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    login(USERS[1].email, demo_world)
    page.goto(f"{live_server.url}/open-statistics/")
    page.wait_for_load_state("load")
    assert errors == []
