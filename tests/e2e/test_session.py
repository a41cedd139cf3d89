"""The page warns before the session ends, and "stay signed in" keeps the user signed in."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from playwright.sync_api import Page, expect
from pytest_django.fixtures import Settings as SettingsWrapper

SABINE = "sabine.berger@weber-maschinenbau.example"


def test_the_warning_appears_before_the_end_and_stay_signed_in_hides_it(
    page: Page,
    live_server: Any,
    demo_world: str,
    login: Callable[[str, str], None],
    settings: SettingsWrapper,
    axe_check: Callable[[str], list[dict[str, Any]]],
) -> None:
    settings.SESSION_COOKIE_AGE = 302  # the warning comes 300 s before the end: after 2 s
    login(SABINE, demo_world)
    warning = page.get_by_test_id("session-warning")
    expect(warning).to_be_visible(timeout=10_000)
    expect(page.get_by_test_id("session-stay")).to_be_focused()
    assert axe_check("session warning") == []
    settings.SESSION_COOKIE_AGE = 3600
    with page.expect_response("**/session/keepalive/") as answer:
        page.get_by_test_id("session-stay").click()
    assert answer.value.status == 200
    expect(warning).to_be_hidden()
    page.reload()
    expect(page.get_by_role("button", name="Abmelden")).to_be_visible()
