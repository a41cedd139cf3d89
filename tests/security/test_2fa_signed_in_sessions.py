"""A change of the second-factor rule or of a person's factors reaches sessions that are already
signed in, at their next request, without a query per request to find out.

The answer "verify / enrol / neither" is remembered in the session; it is remembered together
with a stamp that every such change renews (lotse.accounts.stamps), so an old answer is not used
after the change.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from lotse.accounts.models import Role, User
from lotse.accounts.services import api_token_create
from tests.conftest import PASSWORD, World, verified_login

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("_no_lockout")]
REQUIRED = override_settings(LOTSE_REQUIRE_2FA=True)


@pytest.fixture
def _no_lockout(settings: object) -> None:
    settings.AXES_ENABLED = False  # type: ignore[attr-defined]


def _sign_in(user: User) -> Client:
    client = Client()
    response = client.post(
        reverse("accounts:login"), {"username": user.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    return client


def _enrol(client: Client, user: User) -> None:
    assert client.get(reverse("accounts:second_factor")).status_code == 200
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    response = client.post(reverse("accounts:second_factor"), {"token": f"{code:06d}"})
    assert response.status_code == 200


def _path(response: object) -> str:
    return str(response["Location"]).split("?")[0]  # type: ignore[index]


@pytest.fixture
def committed(django_capture_on_commit_callbacks: Callable[..., Any]) -> Callable[..., Any]:
    """Around a change: its after-commit work runs, as it does outside the test's transaction."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def _switch_policy(world: World, committed: Callable[..., Any], *, required: bool) -> None:
    # The administrator has a second factor: once the rule is on, it applies to them too.
    admin_user = world.users[Role.COMPANY_ADMIN]
    TOTPDevice.objects.get_or_create(user=admin_user, name="app", confirmed=True)
    admin = verified_login(Client(), admin_user)
    with committed():
        response = admin.post(
            reverse("accounts:second_factor_policy", args=[world.company.pk]),
            {"required": "1" if required else "0"},
        )
    assert response.status_code == 302
    assert _path(response) == reverse("accounts:team")  # the change was made, not refused


def test_a_signed_in_member_is_sent_to_enrolment_once_the_policy_requires_it(
    world: World, committed: Callable[..., Any]
) -> None:
    hr = world.users[Role.COMPANY_HR]
    member = _sign_in(hr)
    assert member.get(reverse("web:dashboard")).status_code == 200
    token = api_token_create(user=hr, name="HR-System").secret
    _switch_policy(world, committed, required=True)  # by the administrator, in another session
    response = member.get(reverse("cases:list"))
    assert response.status_code == 302
    assert _path(response) == reverse("accounts:second_factor")
    api = member.get("/api/v1/me")
    assert api.status_code == 403
    assert api.json()["code"] == "second_factor_required"
    # An API token is not a browser session: its use is unaffected (docs/security.md).
    with_token = Client().get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert with_token.status_code == 200


def test_a_signed_in_member_is_let_go_once_the_policy_is_switched_off(
    world: World, committed: Callable[..., Any]
) -> None:
    _switch_policy(world, committed, required=True)
    member = _sign_in(world.users[Role.COMPANY_HR])
    assert _path(member.get(reverse("web:dashboard"))) == reverse("accounts:second_factor")
    _switch_policy(world, committed, required=False)
    assert member.get(reverse("web:dashboard")).status_code == 200


def test_enrolling_in_one_session_makes_the_persons_other_sessions_ask_for_the_code(
    world: World, committed: Callable[..., Any]
) -> None:
    hr = world.users[Role.COMPANY_HR]
    phone = _sign_in(hr)
    assert phone.get(reverse("web:dashboard")).status_code == 200
    laptop = _sign_in(hr)
    with committed():
        _enrol(laptop, hr)
    assert laptop.get(reverse("web:dashboard")).status_code == 200
    response = phone.get(reverse("web:dashboard"))
    assert response.status_code == 302
    assert _path(response) == reverse("accounts:second_factor_verify")


@REQUIRED
def test_a_factor_reset_by_the_administrator_sends_the_member_to_enrolment(
    world: World, committed: Callable[..., Any]
) -> None:
    member = world.users[Role.ABH_CASEWORKER]
    client = _sign_in(member)
    _enrol(client, member)
    assert client.get(reverse("web:dashboard")).status_code == 200
    lead = world.users[Role.ABH_LEAD]
    TOTPDevice.objects.create(user=lead, name="app", confirmed=True)
    admin = verified_login(Client(), lead)
    with committed():
        reset = admin.post(reverse("accounts:member_second_factor_reset", args=[member.pk]))
    assert reset.status_code == 302
    assert not TOTPDevice.objects.filter(user=member).exists()
    response = client.get(reverse("web:dashboard"))
    assert response.status_code == 302
    assert _path(response) == reverse("accounts:second_factor")


def test_the_remembered_answer_costs_no_query_per_request(world: World) -> None:
    member = _sign_in(world.users[Role.COMPANY_HR])
    member.get(reverse("web:dashboard"))
    with CaptureQueriesContext(connection) as queries:
        assert member.get(reverse("web:dashboard")).status_code == 200
    asked = [
        q["sql"]
        for q in queries.captured_queries
        if re.search(r"otp_|secondfactorpolicy", q["sql"], re.IGNORECASE)
    ]
    assert asked == []


def test_new_recovery_codes_make_a_session_signed_in_with_an_old_one_ask_again(
    world: World, committed: Callable[..., Any]
) -> None:
    hr = world.users[Role.COMPANY_HR]
    laptop = _sign_in(hr)
    _enrol(laptop, hr)
    old_code = StaticToken.objects.filter(device__user=hr).values_list("token", flat=True)[0]
    phone = _sign_in(hr)
    verified = phone.post(reverse("accounts:second_factor_verify"), {"token": old_code})
    assert verified.status_code == 302
    assert phone.get(reverse("web:dashboard")).status_code == 200
    with committed():
        renewed = laptop.post(reverse("accounts:second_factor_recovery_codes"))
    assert renewed.status_code == 200
    # The phone's factor (the old set of codes) is gone: it must not stay verified on its stamp.
    response = phone.get(reverse("web:dashboard"))
    assert response.status_code == 302
    assert _path(response) == reverse("accounts:second_factor_verify")
    assert laptop.get(reverse("web:dashboard")).status_code == 200
