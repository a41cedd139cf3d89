"""A security key in a real browser: Chromium's virtual authenticator (DevTools protocol) adds a
key on the security-key page and confirms the next sign-in with it, under the real CSP."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from playwright.sync_api import Page, expect
from pytest_django.fixtures import Settings as SettingsWrapper

from lotse.accounts.models import User, WebAuthnCredential
from lotse.audit.models import AuditEvent
from tests.e2e.conftest import SCREENSHOTS

SABINE = "sabine.berger@weber-maschinenbau.example"


def test_a_person_adds_a_security_key_and_signs_in_with_it(
    page: Page,
    live_server: Any,
    demo_world: str,
    login: Callable[[str, str], None],
    settings: SettingsWrapper,
    axe_check: Callable[[str], list[dict[str, Any]]],
) -> None:
    settings.LOTSE_WEBAUTHN_RP_ID = "localhost"
    settings.LOTSE_WEBAUTHN_ORIGINS = [live_server.url.replace("127.0.0.1", "localhost")]
    base = settings.LOTSE_WEBAUTHN_ORIGINS[0]
    devtools = page.context.new_cdp_session(page)
    devtools.send("WebAuthn.enable")
    devtools.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "usb",
                "hasResidentKey": False,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    login_page = f"{base}/accounts/login/"
    page.goto(login_page)
    page.get_by_label("E-Mail-Adresse").fill(SABINE)
    page.get_by_label("Passwort").fill(demo_world)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_load_state("networkidle")

    page.goto(f"{base}/accounts/second-factor/security-keys/")
    page.get_by_label("Name des Schlüssels").fill("Virtueller USB-Schlüssel")
    page.get_by_test_id("security-key-add").click()
    expect(page.get_by_test_id("recovery-codes")).to_be_visible()
    user = User.objects.get(email=SABINE)
    key = WebAuthnCredential.objects.get(user=user)
    assert key.name == "Virtueller USB-Schlüssel"
    assert "usb" in key.transports

    page.get_by_role("button", name="Abmelden").click()
    page.goto(login_page)
    page.get_by_label("E-Mail-Adresse").fill(SABINE)
    page.get_by_label("Passwort").fill(demo_world)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_load_state("networkidle")
    page.goto(f"{base}/")
    # The sign-in step offers the key first; the code form stays below it.
    use_key = page.get_by_test_id("security-key-use")
    expect(use_key).to_be_visible()
    assert axe_check("second factor with a security key") == []
    page.screenshot(path=str(SCREENSHOTS / "second-factor-webauthn.png"))
    use_key.click()
    # The verify page has a sign-out button too: wait for the script's navigation to the target
    # (a check right after the click raced it once in a full run).
    expect(page).not_to_have_url(re.compile(r"/accounts/second-factor/"))
    expect(page.get_by_role("button", name="Abmelden")).to_be_visible()
    assert AuditEvent.objects.filter(action="account.security_key_used").count() == 1
    key.refresh_from_db()
    assert key.last_used_at is not None
