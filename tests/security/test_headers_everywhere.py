"""``Cache-Control: no-store`` and ``Permissions-Policy`` on every kind of personal answer.

tests/security/test_headers_privacy.py checks one page of each kind; this walks the kinds an
attacker with a shared computer or a caching proxy would look for: signed-in pages and their
refusals, API answers to a session and to a token (also errors), downloads of documents, letters
and the export of a worker's data, and the worker's own page behind the link (ASVS 8.2.1, 14.4).
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.core.cache import cache
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse

from lotse.accounts.models import Role, User
from lotse.accounts.services import api_token_create
from lotse.documents.services import upload_link_create
from tests.conftest import World
from tests.documents import world as docs

pytestmark = pytest.mark.django_db


def _private(response: HttpResponse, what: str) -> None:
    assert "no-store" in response.get("Cache-Control", ""), what
    policy = response.get("Permissions-Policy", "")
    for feature in ("camera=()", "microphone=()", "geolocation=()"):
        assert feature in policy, what


def test_signed_in_pages_and_their_refusals(
    world: World, client_for: Callable[[User], Client]
) -> None:
    client = client_for(world.users[Role.CHAMBER_ADVISOR])
    case = docs.own_case(world)
    for url, status in (
        (reverse("web:dashboard"), 200),
        (reverse("cases:detail", args=[case.pk]), 200),
        (reverse("accounts:tokens"), 200),
        (reverse("accounts:second_factor"), 200),
        (reverse("cases:detail", args=[999_999]), 404),
    ):
        response = client.get(url)
        assert response.status_code == status, url
        _private(response, url)


def test_api_answers_to_sessions_and_tokens_also_errors(
    world: World, client_for: Callable[[User], Client]
) -> None:
    session = client_for(world.users[Role.COMPANY_HR])
    token = api_token_create(user=world.users[Role.COMPANY_HR], name="t").secret
    bearer = {"Authorization": f"Bearer {token}"}
    answers = {
        "session": session.get("/api/v1/me"),
        "token": Client().get("/api/v1/cases", headers=bearer),
        "not found": Client().get("/api/v1/cases/999999", headers=bearer),
        "invalid": Client().post(
            "/api/v1/tokens", {"expires_on": "x"}, content_type="application/json", headers=bearer
        ),
        "no token": Client().get("/api/v1/cases"),
    }
    assert [a.status_code for a in answers.values()] == [200, 200, 404, 422, 401]
    for what, response in answers.items():
        _private(response, what)


def test_downloads_of_documents_letters_and_the_export(
    world: World, client_for: Callable[[User], Client]
) -> None:
    document = docs.own_document(world)
    company = client_for(world.users[Role.COMPANY_HR])
    advisor = client_for(world.users[Role.CHAMBER_ADVISOR])
    downloads = {
        "document": company.get(reverse("documents:download", args=[document.pk])),
        "document via API": company.get(f"/api/v1/documents/{document.pk}/content"),
        "export": advisor.get(reverse("privacy:worker_export", args=[document.case.pk])),
        "export via API": advisor.get(f"/api/v1/cases/{document.case.pk}/personal-data"),
    }
    for what, response in downloads.items():
        assert response.status_code == 200, what
        assert response.has_header("Content-Disposition"), what
        _private(response, what)


def test_the_workers_page_and_letter_behind_the_link(world: World) -> None:
    case = docs.own_case(world)
    _link, token = upload_link_create(case=case, actor=world.users[Role.CHAMBER_ADVISOR])
    cache.clear()
    page = Client().get(reverse("documents:worker", args=[token]))
    letter = Client().get(reverse("documents:worker_letter", args=[token, "vollmacht"]))
    assert (page.status_code, letter.status_code) == (200, 200)
    _private(page, "worker page")
    _private(letter, "worker letter")


def test_the_browser_hardening_headers_on_staff_and_worker_pages(
    world: World, client_for: Callable[[User], Client]
) -> None:
    case = docs.own_case(world)
    _link, token = upload_link_create(case=case, actor=world.users[Role.CHAMBER_ADVISOR])
    cache.clear()
    pages = {
        "staff": client_for(world.users[Role.CHAMBER_ADVISOR]).get(reverse("web:dashboard")),
        "worker": Client().get(reverse("documents:worker", args=[token])),
        "login": Client().get(reverse("accounts:login")),
    }
    for what, response in pages.items():
        assert response.status_code == 200, what
        csp = response["Content-Security-Policy"]
        for directive in ("object-src 'none'", "frame-ancestors 'none'", "base-uri 'self'"):
            assert directive in csp, (what, directive)
        # django-csp adds a nonce only to a page that uses one; never 'unsafe-inline'.
        assert re.search(r"script-src 'self'( 'nonce-[^']+')?;", csp + ";"), (what, csp)
        nonce = re.search(r"'nonce-([^']+)'", csp)
        assert "unsafe-inline" not in csp
        assert response["X-Frame-Options"] == "DENY"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"
        assert response["Cross-Origin-Opener-Policy"] == "same-origin"
        # No inline script runs without the page's nonce.
        for tag in re.findall(r"<script\b[^>]*>", response.content.decode()):
            assert " src=" in tag or (nonce and f'nonce="{nonce.group(1)}"' in tag), (what, tag)
