"""Every environment variable that the settings read is documented in docs/configuration.md."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONF = ROOT / "src" / "lotse" / "conf"
# env_str("NAME" …), env_required(\n "NAME", …), os.environ.get("NAME") …
READ = re.compile(
    r"""(?:env_\w+|environ\.get|environ\.setdefault|getenv)\(\s*["']([A-Z][A-Z0-9_]+)["']"""
)


def _read_variables() -> set[str]:
    names: set[str] = set()
    for module in CONF.glob("*.py"):
        names |= set(READ.findall(module.read_text(encoding="utf-8")))
    return names


def _documented() -> set[str]:
    text = (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
    return set(re.findall(r"^\| `([A-Z][A-Z0-9_]+)` \|", text, re.MULTILINE))


def test_the_settings_read_variables_at_all() -> None:
    assert {"LOTSE_SITE_URL", "DATABASE_URL", "LOTSE_STORAGE_KEYS"} <= _read_variables()


def test_every_variable_the_settings_read_is_in_the_table() -> None:
    missing = _read_variables() - _documented()
    assert not missing, f"document these in docs/configuration.md: {sorted(missing)}"


def test_the_table_names_no_variable_that_nothing_reads() -> None:
    assert not _documented() - _read_variables()


def test_the_readme_links_the_table() -> None:
    assert "docs/configuration.md" in (ROOT / "README.md").read_text(encoding="utf-8")
