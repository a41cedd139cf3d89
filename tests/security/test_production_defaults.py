"""What production does when the operator sets nothing: the safe choice (ASVS 14.1, 14.3).

The settings are read in a fresh process with LOTSE_ENV=production and only the variables
production refuses to start without.
"""

from __future__ import annotations

import base64

from tests.settings_probe import settings_say

PRODUCTION = {
    "LOTSE_ENV": "production",
    "LOTSE_SECRET_KEY": "x" * 60,
    "LOTSE_ALLOWED_HOSTS": "lotse.example",
    "LOTSE_STORAGE_KEYS": "k1:" + base64.b64encode(b"k" * 32).decode(),
}


def _settings_say(code: str, **env: str) -> str:
    return settings_say(code, **{**PRODUCTION, **env})


def test_the_api_docs_are_not_public_in_production_unless_the_operator_says_so() -> None:
    # With the setting false, tests/security/test_headers_privacy.py shows the 401.
    say = "print(settings.LOTSE_PUBLIC_API_DOCS)"
    assert _settings_say(say) == "False"
    assert _settings_say(say, LOTSE_PUBLIC_API_DOCS="true") == "True"


def test_production_requires_a_second_factor_of_staff_and_keeps_no_debug_page() -> None:
    say = "print(settings.LOTSE_REQUIRE_2FA, settings.DEBUG, settings.SESSION_COOKIE_SECURE)"
    assert _settings_say(say) == "True False True"
