"""The settings as a fresh process loads them from the environment (no test settings)."""

from __future__ import annotations

import os
import subprocess
import sys


def settings_say(code: str, **env: str) -> str:
    """Run ``code`` after ``from django.conf import settings`` with only ``env`` as Lotse's
    environment and return what it printed; the test fails with the process's error."""
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("LOTSE_", "DJANGO_SETTINGS", "DJANGO_ALLOW"))
    }
    clean.update(env, DJANGO_SETTINGS_MODULE="lotse.conf.settings")
    result = subprocess.run(
        [sys.executable, "-c", f"from django.conf import settings; {code}"],
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()
