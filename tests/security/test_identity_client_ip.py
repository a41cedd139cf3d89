"""The client address behind a trusted proxy: lockouts, throttles and audit events see the
client, and nobody else's X-Forwarded-For is believed (issue 11, throttling and identity)."""

from __future__ import annotations

import pytest
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse

from lotse.accounts.models import Role
from lotse.audit.models import AuditEvent
from lotse.core.client import client_ip
from tests.conftest import PASSWORD, World

PROXY = "10.0.0.5"
BEHIND_PROXY = override_settings(LOTSE_TRUSTED_PROXIES=["10.0.0.0/24", "2001:db8::/32"])


def _ip(remote: str, forwarded: str | None = None) -> str | None:
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_ip(RequestFactory().get("/", **extra))  # type: ignore[arg-type]


def test_without_trusted_proxies_the_header_is_ignored() -> None:
    assert _ip("203.0.113.9", "198.51.100.1") == "203.0.113.9"


@BEHIND_PROXY
def test_behind_a_trusted_proxy_the_right_most_untrusted_address_is_the_client() -> None:
    assert _ip(PROXY, "198.51.100.1") == "198.51.100.1"
    # The client may have sent a forged first entry; the proxy appended the real address.
    assert _ip(PROXY, "1.2.3.4, 198.51.100.1") == "198.51.100.1"
    # Two of our own proxies in a row are skipped.
    assert _ip(PROXY, "198.51.100.1, 10.0.0.7") == "198.51.100.1"
    assert _ip(PROXY, "198.51.100.1:51234") == "198.51.100.1"
    assert _ip("2001:db8::1", "[2001:db8:1::]:443, 2a00:1450::1") == "2a00:1450::1"


@BEHIND_PROXY
def test_an_untrusted_senders_header_is_ignored() -> None:
    assert _ip("203.0.113.9", "198.51.100.1") == "203.0.113.9"


@BEHIND_PROXY
def test_a_garbled_header_falls_back_to_the_proxy() -> None:
    assert _ip(PROXY, "not-an-address") == PROXY
    assert _ip(PROXY) == PROXY


def _login(client: Client, email: str, password: str, client_address: str) -> int:
    response = client.post(
        reverse("accounts:login"),
        {"username": email, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=client_address,
    )
    return response.status_code


@BEHIND_PROXY
@pytest.mark.django_db
def test_five_wrong_passwords_from_one_client_do_not_lock_out_another(world: World) -> None:
    email = world.users[Role.ABH_CASEWORKER].email
    attacker, colleague = Client(), Client()
    statuses = [_login(attacker, email, "wrong", "198.51.100.66") for _attempt in range(5)]
    assert statuses == [200, 200, 200, 200, 429]  # the fifth failure locks this client out
    assert _login(attacker, email, PASSWORD, "198.51.100.66") == 429
    # The same account from the real owner's address still signs in.
    assert _login(colleague, email, PASSWORD, "192.0.2.10") == 302


@BEHIND_PROXY
@pytest.mark.django_db
def test_audit_events_record_the_real_client(world: World) -> None:
    user = world.users[Role.ABH_CASEWORKER]
    _login(Client(), user.email, "wrong", "198.51.100.66")
    _login(Client(), user.email, PASSWORD, "192.0.2.10")
    failed = AuditEvent.objects.get(action="account.login_failed", object_id=str(user.pk))
    signed_in = AuditEvent.objects.get(action="account.login", object_id=str(user.pk))
    assert failed.ip_address == "198.51.100.66"
    assert signed_in.ip_address == "192.0.2.10"


@BEHIND_PROXY
@pytest.mark.django_db
def test_a_forged_header_from_outside_does_not_reach_the_audit(world: World) -> None:
    user = world.users[Role.ABH_CASEWORKER]
    Client().post(
        reverse("accounts:login"),
        {"username": user.email, "password": "wrong"},
        REMOTE_ADDR="203.0.113.9",
        HTTP_X_FORWARDED_FOR="192.0.2.10",
    )
    event = AuditEvent.objects.get(action="account.login_failed", object_id=str(user.pk))
    assert event.ip_address == "203.0.113.9"
