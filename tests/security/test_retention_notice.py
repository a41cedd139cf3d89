"""The privacy notices name controller, purposes, legal bases and the retention from the settings:
the company sign-up in German, the worker's page in each of the worker's six languages."""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from lotse.accounts.models import Role, User
from lotse.documents.services import upload_link_create
from tests.conftest import World
from tests.documents.conftest import make_case

pytestmark = pytest.mark.django_db

SETTINGS = {
    "LOTSE_PRIVACY_CONTROLLER": "Landratsamt Ludwigsburg, Hindenburgstraße 40",
    "LOTSE_PRIVACY_CONTACT": "datenschutz@landkreis-ludwigsburg.de",
    "LOTSE_RETENTION_DAYS_CLOSED": 401,
    "LOTSE_RETENTION_DAYS_WITHDRAWN": 202,
    "LOTSE_RETENTION_DAYS_REFUSED": 203,
}


def _assert_notice(html: str) -> None:
    assert 'data-testid="privacy-notice"' in html
    assert SETTINGS["LOTSE_PRIVACY_CONTROLLER"] in html
    assert SETTINGS["LOTSE_PRIVACY_CONTACT"] in html
    # The worker's page speaks the worker's language; staff pages German.
    assert "Art. 6 Abs. 1 lit. c und e DSGVO" in html or "Art. 6 (1) (c) and (e) GDPR" in html
    assert "§ 81a" in html
    for days in ("401", "202", "203"):
        assert days in html


@override_settings(**SETTINGS)
def test_the_company_sign_up_names_them_too(
    world: World, client_for: Callable[[User], Client]
) -> None:
    response = client_for(world.users[Role.CHAMBER_ADVISOR]).get(
        reverse("organisations:company_register")
    )
    assert response.status_code == 200
    _assert_notice(response.content.decode())


# --- The worker's page, in each of the worker's languages (ADR 0014) -----------------------------

WORKER_LANGUAGE_CODES = ("en", "de", "fr", "es", "tr", "ar")


def _worker_page(world: World, language: str) -> str:
    case = make_case(world)
    _link, token = upload_link_create(case=case, actor=world.users[Role.CHAMBER_ADVISOR])
    cache.clear()
    response = Client().get(reverse("documents:worker", args=[token]) + f"?lang={language}")
    assert response.status_code == 200
    return response.content.decode()


def _section(page: str) -> str:
    start = page.index('data-testid="privacy-notice"')
    return page[start : page.index("</section>", start)]


@override_settings(**SETTINGS)
@pytest.mark.parametrize("language", WORKER_LANGUAGE_CODES)
def test_the_worker_page_names_controller_purposes_legal_bases_and_configured_retention(
    world: World, language: str
) -> None:
    notice = _section(_worker_page(world, language))
    assert SETTINGS["LOTSE_PRIVACY_CONTROLLER"] in notice
    assert SETTINGS["LOTSE_PRIVACY_CONTACT"] in notice
    retention = notice[notice.index('data-testid="privacy-retention"') :]
    for days in ("401", "202", "203"):
        assert days in retention.split("</dd>")[0]
    with translation.override(language):
        for msgid in (
            "Controller",
            "Why we use your data",
            "Legal basis",
            "Art. 6 (1) (c) and (e) GDPR in conjunction with § 81a of the Residence Act "
            "(AufenthG).",
            "How long it is kept",
        ):
            assert gettext(msgid) in html.unescape(notice), (language, msgid)
    # The German legal citation is there in every language, next to the explanation.
    if language != "en":
        assert "Art. 6 Abs. 1 lit. c und e DSGVO" in notice
    assert "§ 81a" in notice


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_without_a_configured_controller_the_worker_reads_who_it_is_in_their_language(
    world: World, language: str, settings: Any
) -> None:
    settings.LOTSE_PRIVACY_CONTROLLER = ""
    settings.LOTSE_RETENTION_DAYS_CLOSED = 500
    notice = _section(_worker_page(world, language))
    assert "Ausländerbehörde" in notice
    assert "immigration office competent" not in notice
    assert "500" in notice
