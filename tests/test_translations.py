"""Every user-facing string is translated: the German catalogues are complete and current."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import polib
import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation

from lotse.accounts.models import Role
from lotse.cases.models import Case, PreApproval, WorkerLanguage
from lotse.conversations.services import message_post
from lotse.core.i18n import PACKAGE_DIR, catalogues, untranslated
from lotse.documents.models import Document
from lotse.documents.services import document_review, upload_link_create
from lotse.documents.worker import WORKER_DOCUMENTS, WORKER_STEPS, worker_step
from lotse.documents.worker_texts import DOCUMENT_TITLES, REFUSALS, WORKER_LANGUAGES
from lotse.notifications.models import Kind, Notification, Party
from lotse.notifications.rendering import body, subject
from lotse.notifications.services import missing_items
from tests.conftest import World
from tests.documents.conftest import make_case
from tests.documents.world import good_pdf

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


# --- The worker's languages ----------------------------------------------------------------------
# The worker's page and mails speak French, Spanish, Turkish and Arabic too; the staff interface
# does not. Those catalogues therefore hold only the strings the worker sees, which are found two
# ways: xgettext over the worker's templates (every branch, whether rendered here or not), and the
# gettext lookups made while the page, its upload answers and the worker's mails are rendered in
# each language (strings from Python: steps, reasons, titles, subjects). Every Lotse string found
# must be translated in every worker language; a missing one would fall back to German.

WORKER_ONLY_LANGUAGES = ("fr", "es", "tr", "ar")
WORKER_TEMPLATES = (
    "documents/templates/documents/worker_base.html",
    "documents/templates/documents/worker.html",
    "documents/templates/documents/worker_invalid.html",
    "documents/templates/documents/worker_limited.html",
    "documents/templates/documents/email/worker_link.txt",
    "conversations/templates/conversations/_worker_messages.html",
    "privacy/templates/privacy/_notice_worker.html",
    "notifications/templates/notifications/email/notification.txt",
)
_PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def _catalogue_entries(language: str) -> dict[str, polib.POEntry]:
    entries: dict[str, polib.POEntry] = {}
    for po_path in sorted(PACKAGE_DIR.glob(f"*/locale/{language}/LC_MESSAGES/django.po")):
        for entry in polib.pofile(str(po_path)):
            if entry.translated() and "fuzzy" not in entry.flags:
                entries.setdefault(entry.msgid, entry)
    return entries


def _template_msgids(workdir: Path) -> set[str]:
    copy = workdir / "worker_templates"
    for relative in WORKER_TEMPLATES:
        target = copy / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(PACKAGE_DIR / relative, target)
    (copy / "locale").mkdir()
    subprocess.run(
        [str(Path(sys.executable).with_name("lotse")), "makemessages", "-l", "de",
         "--no-location", "-e", "html,txt"],
        cwd=copy, check=True, capture_output=True,
    )  # fmt: skip
    po = copy / "locale" / "de" / "LC_MESSAGES" / "django.po"
    return {entry.msgid for entry in polib.pofile(str(po))}


def test_worker_languages_are_the_case_choices() -> None:
    assert {code for code, _name in WORKER_LANGUAGES} == set(WorkerLanguage.values)


@pytest.mark.parametrize("language", WORKER_ONLY_LANGUAGES)
def test_worker_catalogue_placeholders_match(language: str) -> None:
    for msgid, entry in _catalogue_entries(language).items():
        expected = set(_PLACEHOLDER.findall(msgid))
        translations = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        for text in translations:
            assert set(_PLACEHOLDER.findall(text)) <= expected | set(
                _PLACEHOLDER.findall(entry.msgid_plural or "")
            ), (language, msgid, text)
            if not entry.msgid_plural:
                assert set(_PLACEHOLDER.findall(text)) == expected, (language, msgid, text)


class LookUps:
    """The msgids of the gettext calls made while ``recording`` (the worker's side only)."""

    def __init__(self) -> None:
        self.seen: set[str] = set()
        self.on = False

    @contextmanager
    def recording(self) -> Iterator[None]:
        self.on = True
        try:
            yield
        finally:
            self.on = False


@pytest.fixture
def looked_up(monkeypatch: pytest.MonkeyPatch) -> LookUps:
    lookups = LookUps()
    trans = translation._trans  # the one place every gettext call passes
    for name in ("gettext", "ngettext", "pgettext", "npgettext"):
        original = getattr(trans, name)

        def recording(*args: Any, _original: Any = original, _name: str = name) -> Any:
            if lookups.on:
                lookups.seen.add(str(args[1] if _name.startswith("p") else args[0]))
            return _original(*args)

        monkeypatch.setattr(trans, name, recording)
    return lookups


def _worker_strings(world: World, tmp_path: Path, settings: Any, looked_up: LookUps) -> set[str]:
    settings.STORAGES = {
        **settings.STORAGES,
        "documents": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "documents"},
        },
    }
    advisor = world.users[Role.CHAMBER_ADVISOR]
    case = make_case(world)
    _link, token = upload_link_create(case=case, actor=advisor)
    url = reverse("documents:worker", args=[token])
    passport = case.checklist.get(document_code="passport")
    cv = case.checklist.get(document_code="cv")
    message_post(case=case, audience="worker", body="Bitte den Pass neu.", actor=advisor,
                 attachments=[])  # fmt: skip
    for language in ("en", *WORKER_ONLY_LANGUAGES):
        cache.clear()
        client = Client()
        with looked_up.recording():
            client.post(url + f"?lang={language}", {"item": passport.pk, "language": "other",
                        "file": SimpleUploadedFile("p.pdf", good_pdf(), "application/pdf")})  # fmt: skip
            client.post(url, {"item": cv.pk,
                              "file": SimpleUploadedFile("cv.pdf", b"", "application/pdf")})  # fmt: skip
            client.post(url, {"item": "", "language": ""})
            client.get(url)  # the messages of the three posts
            client.get(reverse("documents:worker", args=["no-such-token"]))
    document = Document.objects.filter(item=passport).current().get()
    document_review(document=document, actor=advisor, accept=False, reason="unscharf")
    Case.objects.filter(pk=case.pk).update(state="preapproval_issued")
    case = Case.objects.get(pk=case.pk)
    PreApproval.objects.create(case=case, issued_on=date(2027, 1, 4),
                               valid_until=date(2027, 7, 4), mission="Neu-Delhi")  # fmt: skip
    for language in WORKER_ONLY_LANGUAGES:
        with looked_up.recording():
            Client().get(url + f"?lang={language}")
        for kind in (Kind.DOCUMENT_REJECTED, Kind.DOCUMENTS_MISSING, Kind.PREAPPROVAL_ISSUED,
                     Kind.MESSAGE):  # fmt: skip
            notification = Notification(
                kind=kind, case=case, party=Party.WORKER, language=language,
                context={"document_code": "passport", "document_de": "Pass", "document_en": "Pass",
                         "reason": "unscharf", "missing": missing_items(case),
                         "mission": "Neu-Delhi", "valid_until": "2027-07-04"},
            )  # fmt: skip
            with looked_up.recording():
                subject(notification)
                body(notification, name="Priya")
        with translation.override(language), looked_up.recording():
            for text in (*WORKER_DOCUMENTS.values(), *DOCUMENT_TITLES.values(),
                         *REFUSALS.values(), *(t for _s, t in WORKER_STEPS), worker_step(case)):  # fmt: skip
                str(text)
    return looked_up.seen


@pytest.mark.django_db
def test_every_string_the_worker_sees_is_translated_in_every_worker_language(
    world: World, tmp_path: Path, settings: Any, looked_up: LookUps
) -> None:
    if shutil.which("xgettext") is None:
        pytest.skip("LOUD SKIP: xgettext (Debian package gettext) is missing")
    lotse_strings = {
        entry.msgid for po_path in PACKAGE_DIR.glob("*/locale/de/LC_MESSAGES/django.po")
        for entry in polib.pofile(str(po_path))
    }  # fmt: skip
    seen = _worker_strings(world, tmp_path, settings, looked_up) | _template_msgids(tmp_path)
    wanted = seen & lotse_strings
    assert "Messages for you" in wanted
    assert "Your employer" in wanted
    missing = {
        language: sorted(wanted - set(_catalogue_entries(language)))
        for language in WORKER_ONLY_LANGUAGES
    }
    assert missing == {language: [] for language in WORKER_ONLY_LANGUAGES}


@pytest.mark.django_db
@pytest.mark.parametrize("language", WORKER_ONLY_LANGUAGES)
def test_worker_page_renders_in_the_language(world: World, language: str) -> None:
    case = make_case(world)
    _link, token = upload_link_create(case=case, actor=world.users[Role.CHAMBER_ADVISOR])
    cache.clear()
    html = Client().get(reverse("documents:worker", args=[token]) + f"?lang={language}")
    text = html.content.decode()
    assert f'lang="{language}"' in text
    assert ('dir="rtl"' in text) == (language == "ar")
    with translation.override(language):
        assert str(DOCUMENT_TITLES["passport"]) in text
    assert "Your documents for the move to Germany" not in text
    assert "Ihre Unterlagen" not in text  # no German fallback
