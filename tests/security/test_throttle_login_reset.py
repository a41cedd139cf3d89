"""Sign-in is throttled per account, per client address and over the whole system; password
reset per address and per client address, answering alike whether the account exists."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lotse.accounts.identity import password_reset_request
from lotse.accounts.models import Role
from lotse.audit.models import AuditEvent
from lotse.notifications.models import OutboundMail
from tests.conftest import PASSWORD, World

pytestmark = pytest.mark.django_db


def _login(email: str, password: str, ip: str) -> int:
    response = Client().post(
        reverse("accounts:login"), {"username": email, "password": password}, REMOTE_ADDR=ip
    )
    return response.status_code


@override_settings(AXES_ENABLED=False)
def test_a_spray_of_30_user_names_from_one_address_is_refused(world: World) -> None:
    statuses = [_login(f"guess{n}@example.org", "Sommer2026!", "198.51.100.7") for n in range(30)]
    assert statuses[:20] == [200] * 20
    assert statuses[20:] == [429] * 10
    # Even a right password from that address waits; another address is not affected.
    assert _login(world.users[Role.COMPANY_HR].email, PASSWORD, "198.51.100.7") == 429
    assert _login(world.users[Role.COMPANY_HR].email, PASSWORD, "192.0.2.1") == 302


@override_settings(AXES_ENABLED=False, LOTSE_LOGIN_FAILURES_PER_ACCOUNT=5)
def test_one_account_attacked_from_many_addresses_is_throttled(world: World) -> None:
    email = world.users[Role.ABH_LEAD].email
    statuses = [_login(email, "wrong", f"198.51.100.{n}") for n in range(1, 8)]
    assert statuses == [200] * 5 + [429] * 2


@override_settings(AXES_ENABLED=False, LOTSE_LOGIN_FAILURES_GLOBAL_PER_MINUTE=10)
def test_failures_over_the_whole_system_are_throttled(world: World) -> None:
    statuses = [_login(f"p{n}@example.org", "wrong", f"203.0.113.{n}") for n in range(1, 13)]
    assert statuses == [200] * 10 + [429] * 2


def _shape(sql: str) -> str:
    """The statement without its values: the same shape means the same work."""
    return re.sub(r"'[^']*'|\b\d+\b|%s|\"s\d+_x\d+\"", "?", sql)


def test_password_reset_does_the_same_work_whether_the_account_exists_or_not(
    world: World,
) -> None:
    known = world.users[Role.COMPANY_HR].email
    with CaptureQueriesContext(connection) as for_known:
        password_reset_request(email=known)
    with CaptureQueriesContext(connection) as for_unknown:
        password_reset_request(email="nobody@example.org")
    assert [_shape(q["sql"]) for q in for_known.captured_queries] == [
        _shape(q["sql"]) for q in for_unknown.captured_queries
    ]
    mails = OutboundMail.objects.order_by("pk")
    assert [m.to for m in mails] == [known, "nobody@example.org"]
    assert "/accounts/password-reset/" in mails[0].body
    assert "/accounts/password-reset/" not in mails[1].body
    assert AuditEvent.objects.filter(action="account.password_reset_requested").count() == 2


def test_the_reset_page_answers_alike_for_known_and_unknown_addresses(world: World) -> None:
    url = reverse("accounts:password_reset")
    known = Client().post(url, {"email": world.users[Role.COMPANY_HR].email})
    unknown = Client().post(url, {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]


def test_password_reset_is_throttled_per_address_and_per_client_address(world: World) -> None:
    url = reverse("accounts:password_reset")
    email = world.users[Role.COMPANY_HR].email
    for n in range(5):
        response = Client().post(url, {"email": email}, REMOTE_ADDR=f"192.0.2.{n + 1}")
        assert response.status_code == 302
    # Three mails an hour to one address, whoever asks; the page does not say so.
    assert OutboundMail.objects.filter(to=email).count() == 3
    statuses = [
        Client().post(url, {"email": f"x{n}@example.org"}, REMOTE_ADDR="198.51.100.9").status_code
        for n in range(12)
    ]
    assert statuses == [302] * 10 + [429] * 2
