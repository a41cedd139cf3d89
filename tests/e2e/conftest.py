"""Browser tests: Playwright driving Debian's /usr/bin/chromium (never a downloaded browser).

Without /usr/bin/chromium every e2e test is skipped, and the run says so in one loud line.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page

CHROMIUM = Path("/usr/bin/chromium")
# Screenshots of a test run go to var/screenshots; `LOTSE_SCREENSHOTS=docs make pytest` refreshes
# the ones the documentation shows, on purpose rather than as a side effect of every run.
SCREENSHOTS = Path(
    os.environ.get("LOTSE_SCREENSHOTS", Path(__file__).resolve().parents[2] / "var" / "screenshots")
)
SCREENSHOTS.mkdir(parents=True, exist_ok=True)
AXE = Path(__file__).resolve().parents[2] / "assets" / "axe" / "axe.min.js"
SKIP_REASON = (
    "LOUD SKIP: /usr/bin/chromium is missing (apt-get install chromium); browser tests did not run"
)

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)
            if not CHROMIUM.exists():
                item.add_marker(pytest.mark.skip(reason=SKIP_REASON))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    # The flags keep Chromium from reaching for Google's hosts on this closed network.
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_context_args, "locale": "de-DE", "viewport": {"width": 1280, "height": 900}}


@pytest.fixture
def axe_check(page: Page) -> Callable[[str], list[dict[str, Any]]]:
    """Run axe-core on the current page; return serious and critical violations.

    page.evaluate runs outside the page's CSP, so the check works with the real policy in place.
    """
    source = AXE.read_text(encoding="utf-8")

    def check(context: str) -> list[dict[str, Any]]:
        page.evaluate(source + "\n;0")
        result: dict[str, Any] = page.evaluate(
            "async () => await axe.run(document, {resultTypes: ['violations']})"
        )
        return [
            {
                "page": context,
                "id": v["id"],
                "impact": v["impact"],
                "help": v["help"],
                "nodes": [n["target"] for n in v["nodes"]][:5],
            }
            for v in result["violations"]
            if v["impact"] in ("serious", "critical")
        ]

    return check


@pytest.fixture
def login(page: Page, live_server: Any) -> Callable[[str, str], None]:
    def sign_in(email: str, password: str) -> None:
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("E-Mail-Adresse").fill(email)
        page.get_by_label("Passwort").fill(password)
        page.get_by_role("button", name="Anmelden").click()
        page.wait_for_load_state("networkidle")

    return sign_in


@pytest.fixture
def demo_world(transactional_db: None) -> str:
    from lotse.organisations.demo import demo_world_load

    password = "Demo-Passwort-2026!"
    demo_world_load(password=password)
    return password
