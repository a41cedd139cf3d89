"""The API twins of the security-key pages: list, add (options, then the answer), remove."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.test import Client, override_settings

from lotse.accounts.models import Role, WebAuthnCredential
from lotse.accounts.services import api_token_create
from lotse.audit.models import AuditEvent
from tests.conftest import World
from tests.security.soft_authenticator import SoftAuthenticator

pytestmark = pytest.mark.django_db
BASE = "/api/v1/me/security-keys"


def _key() -> SoftAuthenticator:
    return SoftAuthenticator(
        rp_id=settings.LOTSE_WEBAUTHN_RP_ID, origin=settings.LOTSE_WEBAUTHN_ORIGINS[0]
    )


def _add(client: Client, key: SoftAuthenticator, name: str = "Laptop") -> Any:
    options = client.post(f"{BASE}/registration-options")
    assert options.status_code == 200
    return client.post(
        BASE,
        {"name": name, "credential": key.register(options.json()["options"])},
        content_type="application/json",
    )


def test_a_key_is_added_listed_and_removed_through_the_api(world: World, client_for: Any) -> None:
    user = world.users[Role.COMPANY_ADMIN]
    client = client_for(user)
    created = _add(client, _key())
    assert created.status_code == 201
    body = created.json()
    assert body["name"] == "Laptop"
    assert len(body["recovery_codes"]) == 10
    assert body["transports"] == ["usb", "nfc"]
    # The session that added its first key counts as having passed it.
    listed = client.get(BASE)
    assert listed.status_code == 200
    assert [k["name"] for k in listed.json()] == ["Laptop"]
    second = _add(client, _key(), name="Spare")
    assert second.status_code == 201
    assert second.json()["recovery_codes"] == []
    removed = client.post(f"{BASE}/{body['id']}/remove")
    assert removed.status_code == 200
    assert [k["name"] for k in client.get(BASE).json()] == ["Spare"]
    assert AuditEvent.objects.filter(action="account.security_key_added").count() == 2
    assert AuditEvent.objects.filter(action="account.security_key_removed").count() == 1


def test_a_wrong_answer_is_a_422_with_the_reason(world: World, client_for: Any) -> None:
    client = client_for(world.users[Role.COMPANY_HR])
    options = client.post(f"{BASE}/registration-options").json()["options"]
    answer = _key().register(options, origin="https://evil.example")
    response = client.post(
        BASE, {"name": "x", "credential": answer}, content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["field_errors"][0]["field"] == "credential"
    # Without options first (or a second time) there is no challenge to answer.
    again = client.post(BASE, {"name": "x", "credential": answer}, content_type="application/json")
    assert again.status_code == 422
    assert not WebAuthnCredential.objects.exists()


def test_the_last_required_factor_stays(world: World, client_for: Any) -> None:
    user = world.users[Role.ABH_CASEWORKER]
    client = client_for(user)
    created = _add(client, _key())
    assert created.status_code == 201
    with override_settings(LOTSE_REQUIRE_2FA=True):
        refused = client.post(f"{BASE}/{created.json()['id']}/remove")
    assert refused.status_code == 422
    assert WebAuthnCredential.objects.filter(user=user).count() == 1


def test_an_api_token_cannot_add_a_key(world: World) -> None:
    user = world.users[Role.COMPANY_ADMIN]
    secret = api_token_create(user=user, name="hr system").secret
    client = Client(headers={"Authorization": f"Bearer {secret}"})
    refused = client.post(f"{BASE}/registration-options")
    assert refused.status_code == 403
    assert refused.json()["code"] == "session_required"
    assert client.get(BASE).status_code == 200
