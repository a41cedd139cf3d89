"""Translation catalogues: one ``locale/de`` per app, compiled without GNU gettext.

polib writes the .mo files so that a newcomer's machine needs no gettext tools to run Lotse;
only extracting new strings (``make messages``) needs xgettext.
"""

from __future__ import annotations

from pathlib import Path

import polib

PACKAGE_DIR = Path(__file__).resolve().parent.parent


def catalogues() -> list[Path]:
    return sorted(PACKAGE_DIR.glob("*/locale/*/LC_MESSAGES/django.po"))


def untranslated(po_path: Path) -> list[str]:
    catalogue = polib.pofile(str(po_path))
    problems = [entry.msgid for entry in catalogue.untranslated_entries()]
    problems += [f"(fuzzy) {entry.msgid}" for entry in catalogue.fuzzy_entries()]
    return problems


def compile_all() -> list[Path]:
    written = []
    for po_path in catalogues():
        mo_path = po_path.with_suffix(".mo")
        polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
        written.append(mo_path)
    return written
