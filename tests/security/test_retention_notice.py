"""The privacy notices name controller, purposes, legal bases and the retention from the settings."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from lotse.accounts.models import Role, User
from tests.conftest import World

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
