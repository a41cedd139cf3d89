"""Every user-facing string is translated: the German catalogues are complete and current."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

from lotse.core.i18n import PACKAGE_DIR, catalogues, untranslated

APPS = sorted(p.parent.name for p in PACKAGE_DIR.glob("*/apps.py"))


def test_there_is_a_german_catalogue_for_every_app_with_strings() -> None:
    with_catalogue = {p.parents[3].name for p in catalogues()}
    assert {"accounts", "organisations", "web", "audit", "api"} <= with_catalogue


@pytest.mark.parametrize("po_path", catalogues(), ids=lambda p: p.parents[3].name)
def test_catalogue_has_no_untranslated_or_fuzzy_entry(po_path: Path) -> None:
    assert untranslated(po_path) == []


@pytest.mark.parametrize("po_path", catalogues(), ids=lambda p: p.parents[3].name)
def test_catalogue_defines_each_message_once(po_path: Path) -> None:
    # gettext's msgfmt and makemessages refuse a catalogue with a message defined twice (polib and
    # our compiler take the last one silently), so a merge that doubles an entry breaks `make messages`.
    keys = [(entry.msgctxt, entry.msgid) for entry in polib.pofile(str(po_path))]
    assert sorted({k for k in keys if keys.count(k) > 1}, key=str) == []


def _extract(app: str, workdir: Path) -> set[str]:
    """Run makemessages on a copy of the app and return the msgids it finds."""
    copy = workdir / app
    shutil.copytree(
        PACKAGE_DIR / app,
        copy,
        ignore=shutil.ignore_patterns("locale", "__pycache__", "migrations"),
    )
    (copy / "locale").mkdir()
    subprocess.run(
        # The console script, not `python -m`: the copy has modules (selectors.py) that would
        # shadow the standard library if the working directory were on sys.path.
        [str(Path(sys.executable).with_name("lotse")), "makemessages", "-l", "de", "--no-location"],
        cwd=copy,
        check=True,
        capture_output=True,
    )
    po = copy / "locale" / "de" / "LC_MESSAGES" / "django.po"
    return {entry.msgid for entry in polib.pofile(str(po))} if po.exists() else set()


@pytest.mark.parametrize("app", APPS)
def test_every_string_in_the_code_is_in_the_catalogue(app: str, tmp_path: Path) -> None:
    if shutil.which("xgettext") is None:
        pytest.skip(
            "LOUD SKIP: xgettext (Debian package gettext) is missing; install it to check extraction"
        )
    found = _extract(app, tmp_path)
    po_path = PACKAGE_DIR / app / "locale" / "de" / "LC_MESSAGES" / "django.po"
    known = {entry.msgid for entry in polib.pofile(str(po_path))} if po_path.exists() else set()
    missing = sorted(found - known)
    assert not missing, (
        f"run `make messages`, translate and commit; new strings in {app}: {missing}"
    )
