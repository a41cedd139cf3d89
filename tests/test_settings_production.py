"""Production refuses to start half-configured, and passes Django's deployment checks."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

LOTSE = str(Path(sys.executable).with_name("lotse"))


def _run(args: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("LOTSE_", "DJANGO_SETTINGS", "DJANGO_ALLOW"))
    }
    clean.update(env)
    return subprocess.run(
        [LOTSE, *args], env=clean, capture_output=True, text=True, timeout=120, check=False
    )


def test_production_without_secret_key_names_the_variable() -> None:
    result = _run(["check"], LOTSE_ENV="production", LOTSE_ALLOWED_HOSTS="lotse.example")
    assert result.returncode != 0
    assert "LOTSE_SECRET_KEY" in result.stderr


def test_production_without_allowed_hosts_names_the_variable() -> None:
    result = _run(["check"], LOTSE_ENV="production", LOTSE_SECRET_KEY="x" * 60)
    assert result.returncode != 0
    assert "LOTSE_ALLOWED_HOSTS" in result.stderr


def test_production_refuses_debug() -> None:
    result = _run(
        ["check"],
        LOTSE_ENV="production",
        LOTSE_SECRET_KEY="x" * 60,
        LOTSE_ALLOWED_HOSTS="lotse.example",
        LOTSE_DEBUG="true",
    )
    assert result.returncode != 0
    assert "LOTSE_DEBUG" in result.stderr


def test_check_deploy_passes_in_production_mode(tmp_path: Path) -> None:
    key = tmp_path / "secret"
    key.write_text("k" * 20 + "Zq8#mP2$vL9!xR4&" + "n" * 30, encoding="utf-8")
    result = _run(
        ["check", "--deploy", "--fail-level", "WARNING"],
        LOTSE_ENV="production",
        LOTSE_SECRET_KEY_FILE=str(key),
        LOTSE_ALLOWED_HOSTS="lotse.example",
        LOTSE_VAR_DIR=str(tmp_path),
        LOTSE_STORAGE_KEYS=STORAGE_KEYS,
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


# A valid entry for LOTSE_STORAGE_KEYS (id:base64 of 32 bytes), used only by these tests.
STORAGE_KEYS = "k2026:" + "A" * 43 + "="


def test_production_without_storage_keys_names_the_variable() -> None:
    result = _run(
        ["check"],
        LOTSE_ENV="production",
        LOTSE_SECRET_KEY="x" * 60,
        LOTSE_ALLOWED_HOSTS="lotse.example",
    )
    assert result.returncode != 0
    assert "LOTSE_STORAGE_KEYS" in result.stderr


def test_production_with_malformed_storage_keys_names_the_variable() -> None:
    result = _run(
        ["check"],
        LOTSE_ENV="production",
        LOTSE_SECRET_KEY="x" * 60,
        LOTSE_ALLOWED_HOSTS="lotse.example",
        LOTSE_STORAGE_KEYS="k1:c2hvcnQ=",
    )
    assert result.returncode != 0
    assert "LOTSE_STORAGE_KEYS" in result.stderr
    assert "c2hvcnQ" not in result.stderr  # key material never appears in a message
