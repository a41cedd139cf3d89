"""The worker's upload link: public by design, bound to one case, expiring, revocable, limited."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django.fixtures import Settings as SettingsWrapper

from lotse.accounts.models import Role
from lotse.audit.models import AuditEvent
from lotse.cases.models import Case
from lotse.documents.models import Document, UploadLink
from lotse.documents.services import document_review, upload_link_create, upload_link_revoke
from lotse.notifications.models import OutboundMail
from tests.conftest import World
from tests.documents.conftest import stored_files
from tests.documents.world import good_pdf
from tests.filecheck.corpus import samples

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> None:
    cache.clear()


def _link(case: Case, world: World) -> tuple[UploadLink, str]:
    link, token = upload_link_create(case=case, actor=world.users[Role.CHAMBER_ADVISOR])
    return link, reverse("documents:worker", args=[token])


def test_page_is_english_by_default_and_shows_only_the_workers_part(
    case: Case, world: World
) -> None:
    _, url = _link(case, world)
    response = Client().get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'lang="en"' in html
    assert "Your documents for the move to Germany" in html
    assert "We are collecting and checking your documents." in html
    assert "Passport (colour copy of the data page)" in html
    assert "Employment contract" not in html  # the company's documents are not the worker's
    assert "Müller-Lüdenscheid" not in html  # not even the worker's own name
    assert "L898902C3" not in html
    assert response["Referrer-Policy"] == "same-origin"


def test_page_is_complete_in_german(case: Case, world: World) -> None:
    _, url = _link(case, world)
    client = Client()
    html = client.get(url + "?lang=de").content.decode()
    assert 'lang="de"' in html
    assert "Ihre Unterlagen für den Umzug nach Deutschland" in html
    assert "Reisepass (Farbkopie der Datenseite)" in html
    # The choice is remembered.
    assert 'lang="de"' in client.get(url).content.decode()


def test_worker_uploads_and_sees_the_review(case: Case, world: World, document_dir: Path) -> None:
    link, url = _link(case, world)
    item = case.checklist.get(document_code="passport")
    client = Client()
    response = client.post(url, {"item": item.pk, "language": "en",
                                  "file": SimpleUploadedFile("pass.pdf", good_pdf(), "application/pdf")},
                           follow=True)  # fmt: skip
    assert "was received" in response.content.decode()
    document = Document.objects.get()
    assert document.uploaded_via_link == link
    assert document.uploaded_by is None
    assert len(stored_files(document_dir)) == 1
    document_review(document=document, actor=world.users[Role.CHAMBER_ADVISOR], accept=False,
                    reason="The photo is cut off.")  # fmt: skip
    html = client.get(url).content.decode()
    assert "not accepted" in html
    assert "The photo is cut off." in html


@pytest.mark.parametrize("sample", [s for s in samples() if s.expected is not None][:8],
                         ids=lambda s: s.name)  # fmt: skip
def test_worker_gets_the_refusal_in_english_and_nothing_is_stored(
    sample: object, case: Case, world: World, document_dir: Path, settings: SettingsWrapper
) -> None:
    settings.LOTSE_UPLOAD_MAX_BYTES = sample.max_bytes  # type: ignore[attr-defined]
    _, url = _link(case, world)
    item = case.checklist.get(document_code="passport")
    upload = SimpleUploadedFile(sample.filename, sample.build(), sample.declared_type or "")  # type: ignore[attr-defined]
    html = Client().post(url, {"item": item.pk, "file": upload}, follow=True).content.decode()
    assert "was not accepted" in html
    assert stored_files(document_dir) == []
    assert not Document.objects.exists()


def test_expired_revoked_and_unknown_links_do_not_open(case: Case, world: World) -> None:
    link, url = _link(case, world)
    assert Client().get(url).status_code == 200
    UploadLink.objects.filter(pk=link.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert Client().get(url).status_code == 404
    link2, url2 = _link(case, world)
    upload_link_revoke(link=link2, actor=world.users[Role.COMPANY_ADMIN])
    response = Client().get(url2)
    assert response.status_code == 404
    assert "does not work any more" in response.content.decode()
    assert Client().get(reverse("documents:worker", args=["x" * 43])).status_code == 404


def test_default_validity_is_14_days(case: Case, world: World) -> None:
    link, _ = _link(case, world)
    assert timedelta(days=13, hours=23) < link.expires_at - link.created_at <= timedelta(days=14)


def test_uploads_are_rate_limited(case: Case, world: World, settings: SettingsWrapper) -> None:
    settings.LOTSE_UPLOAD_LINK_UPLOADS_PER_HOUR = 2
    _, url = _link(case, world)
    item = case.checklist.get(document_code="passport")
    client = Client()
    statuses = [
        client.post(url, {"item": item.pk,
                          "file": SimpleUploadedFile("p.pdf", good_pdf(), "application/pdf")}).status_code
        for _ in range(3)
    ]  # fmt: skip
    assert statuses == [302, 302, 429]


def test_link_cannot_upload_to_another_cases_item(case: Case, world: World) -> None:
    from tests.documents.world import foreign_case

    other = foreign_case(world)
    _, url = _link(case, world)
    item = other.checklist.get(document_code="passport")
    Client().post(url, {"item": item.pk,
                        "file": SimpleUploadedFile("p.pdf", good_pdf(), "application/pdf")})  # fmt: skip
    assert not Document.objects.exists()


def test_the_worker_chooses_arabic_the_page_is_rtl_and_the_mails_follow(
    case: Case, world: World
) -> None:
    _, url = _link(case, world)
    client = Client()
    html = client.get(url + "?lang=ar").content.decode()
    assert '<html lang="ar" dir="rtl"' in html
    assert "مستنداتك للانتقال إلى ألمانيا" in html
    assert "جواز السفر (نسخة ملوّنة من صفحة البيانات)" in html  # the item's title
    assert Case.objects.get(pk=case.pk).worker_language == "ar"
    event = AuditEvent.objects.get(action="case.worker_language_chosen")
    assert event.after["worker_language"] == "ar"
    # Remembered without ?lang, and offered in all six languages.
    html = client.get(url).content.decode()
    assert 'dir="rtl"' in html
    for code in ("en", "de", "fr", "es", "tr"):
        assert f'href="?lang={code}"' in html
    # A rejected upload reaches the worker in Arabic.
    item = case.checklist.get(document_code="passport")
    client.post(url, {"item": item.pk, "language": "other",
                      "file": SimpleUploadedFile("p.pdf", good_pdf(), "application/pdf")})  # fmt: skip
    document_review(document=Document.objects.get(), actor=world.users[Role.CHAMBER_ADVISOR],
                    accept=False, reason="unscharf")  # fmt: skip
    mail = OutboundMail.objects.get(to=case.worker_email, subject__contains="رُفض")
    assert "جواز السفر" in mail.subject
    assert "السبب الذي ذكرته الغرفة: unscharf" in mail.body
    assert "Reason" not in mail.body
    assert "Grund" not in mail.body


def test_an_unknown_language_falls_back_to_the_stored_one(case: Case, world: World) -> None:
    _, url = _link(case, world)
    Case.objects.filter(pk=case.pk).update(worker_language="es")
    html = Client().get(url + "?lang=xx").content.decode()
    assert 'lang="es"' in html
    assert 'dir="ltr"' in html
    assert "Sus documentos para su traslado a Alemania" in html
    assert not AuditEvent.objects.filter(action="case.worker_language_chosen").exists()


def test_an_upload_refusal_is_explained_in_turkish(case: Case, world: World) -> None:
    _, url = _link(case, world)
    client = Client()
    client.get(url + "?lang=tr")
    item = case.checklist.get(document_code="passport")
    response = client.post(url, {"item": item.pk, "file": SimpleUploadedFile("p.pdf", b"", "application/pdf")},
                           follow=True)  # fmt: skip
    assert "Dosya boş (0 bayt). Lütfen doğru dosyayı seçin." in response.content.decode()
