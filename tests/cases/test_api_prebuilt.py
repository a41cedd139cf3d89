"""``GET /api/v1/cases`` answers its pages without django-ninja validating them against the
schema again (``lotse.cases.api._render_page``); the bytes must be exactly those of ninja's
validated path, which the reference below restores (the page handed back to ninja as a dict),
over a seeded volume, for every role, both languages, every way to reach a page.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db.models import Count
from django.test import Client

from lotse.accounts.models import User
from lotse.cases import api as cases_api
from lotse.cases import volume
from lotse.cases.models import Case

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded() -> list[User]:
    volume.seed_volume(cases=160, seed=7)
    users = User.objects.filter(email__endswith=volume.EMAIL_DOMAIN)

    def busiest(field: str) -> int:
        row = (
            Case.objects.filter(**{f"{field}__isnull": False})
            .values(field)
            .annotate(n=Count("id"))
            .order_by("-n", field)
            .first()
        )
        assert row is not None
        return int(row[field])

    # What JSON must escape or encode, in the values a page shows.
    case = Case.objects.exclude(advisor=None).order_by("id").first()
    assert case is not None
    Case.objects.filter(pk=case.pk).update(
        worker_surname='O\'Brien "<b>" \\ Müller', job_title="Schweißer\tin\n"
    )
    return [
        users.get(organisation_id=busiest(field))
        for field in ("chamber_id", "authority_id", "company_id")
    ]


# A cursor is signed with the second it was handed out (django.core.signing): compared
# without that timestamp and its signature.
SIGNED = re.compile(rb'(_cursor": "[^":]+):[^":]+:[^":]+"')


def _answer(client: Client, url: str, language: str) -> tuple[int, bytes, str]:
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    return response.status_code, SIGNED.sub(rb'\1"', response.content), response["Content-Type"]


def _urls(client: Client, language: str) -> list[str]:
    first = client.get("/api/v1/cases?limit=7", HTTP_ACCEPT_LANGUAGE=language).json()
    urls = [
        "/api/v1/cases",
        "/api/v1/cases?limit=7",
        "/api/v1/cases?limit=7&offset=7",
        "/api/v1/cases?limit=50&overdue=true",
        "/api/v1/cases?state=collecting_documents",
        "/api/v1/cases?q=a",
        "/api/v1/cases?cursor=nonsense",
        "/api/v1/cases?limit=0",
    ]
    if first["next_cursor"]:
        urls.append(f"/api/v1/cases?limit=7&cursor={first['next_cursor']}")
        second = client.get(urls[-1], HTTP_ACCEPT_LANGUAGE=language).json()
        if second["prev_cursor"]:
            urls.append(f"/api/v1/cases?limit=7&before={second['prev_cursor']}")
    return urls


def _reference(request: Any, page: dict[str, Any]) -> Any:
    # Before _render_page: ninja validated the page against the paged CaseOut schema.
    return page


@pytest.mark.parametrize("language", ["en", "de"])
def test_pages_are_the_bytes_of_the_validated_path(
    seeded: list[User], language: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    compared = 0
    for user in seeded:
        client = Client()
        client.force_login(user)
        urls = _urls(client, language)
        fast = [_answer(client, url, language) for url in urls]
        with monkeypatch.context() as patch:
            patch.setattr(cases_api, "_render_page", _reference)
            reference = [_answer(client, url, language) for url in urls]
        assert fast == reference
        compared += sum(1 for status, body, _type in fast if status == 200 and b'"id"' in body)
    # The comparison covered pages with cases in them, not only empty ones.
    assert compared >= 10
