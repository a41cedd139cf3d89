"""Second factor: required for staff of chambers and authorities (LOTSE_REQUIRE_2FA), optional
for companies unless their administrator requires it; enrolment with a QR code, recovery codes,
an audited reset by the administrator."""

from __future__ import annotations

import re

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from lotse.accounts.models import Role, User
from lotse.audit.models import AuditEvent
from tests.conftest import PASSWORD, World

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("_no_lockout")]
REQUIRED = override_settings(LOTSE_REQUIRE_2FA=True)


@pytest.fixture
def _no_lockout(settings: object) -> None:
    settings.AXES_ENABLED = False  # type: ignore[attr-defined]


def _code(device: TOTPDevice, offset: int = 0) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=offset):06d}"


def _sign_in(user: User) -> Client:
    client = Client()
    response = client.post(
        reverse("accounts:login"), {"username": user.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    return client


def _enrol(client: Client, user: User) -> list[str]:
    page = client.get(reverse("accounts:second_factor"))
    assert page.status_code == 200
    assert "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(reverse("accounts:second_factor"), {"token": _code(device)})
    assert response.status_code == 200
    return re.findall(r'<code class="lotse-secret">([^<]+)</code>', response.content.decode())


@REQUIRED
def test_authority_staff_must_enrol_before_anything_else(world: World) -> None:
    user = world.users[Role.ABH_CASEWORKER]
    client = _sign_in(user)
    response = client.get(reverse("web:dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:second_factor"))
    api = client.get("/api/v1/me")
    assert api.status_code == 403
    assert api.json()["code"] == "second_factor_required"
    codes = _enrol(client, user)
    assert len(codes) == 10
    assert client.get(reverse("web:dashboard")).status_code == 200
    assert AuditEvent.objects.filter(
        action="account.second_factor_enrolled", object_id=str(user.pk)
    ).exists()


@REQUIRED
def test_a_chamber_advisor_signs_in_with_password_and_code(world: World) -> None:
    user = world.users[Role.CHAMBER_ADVISOR]
    _enrol(_sign_in(user), user)
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    client = _sign_in(user)
    assert client.get(reverse("web:dashboard"))["Location"].startswith(
        reverse("accounts:second_factor_verify")
    )
    wrong = client.post(reverse("accounts:second_factor_verify"), {"token": "000000"})
    assert wrong.status_code == 200
    assert AuditEvent.objects.filter(action="account.second_factor_failed").count() == 1
    # django-otp throttles after a failure; the next code is accepted once the delay is over.
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)
    right = client.post(reverse("accounts:second_factor_verify"), {"token": _code(device, 1)})
    assert right.status_code == 302
    assert client.get(reverse("web:dashboard")).status_code == 200


@REQUIRED
def test_a_recovery_code_works_once_and_is_audited(world: World) -> None:
    user = world.users[Role.ABH_LEAD]
    codes = _enrol(_sign_in(user), user)
    client = _sign_in(user)
    assert (
        client.post(reverse("accounts:second_factor_verify"), {"token": codes[0]}).status_code
        == 302
    )
    event = AuditEvent.objects.get(action="account.recovery_code_used")
    assert event.after == {"recovery_codes_left": 9}
    again = _sign_in(user)
    assert (
        again.post(reverse("accounts:second_factor_verify"), {"token": codes[0]}).status_code == 200
    )


@REQUIRED
def test_company_users_may_go_without_unless_their_organisation_requires_it(
    world: World,
) -> None:
    hr = world.users[Role.COMPANY_HR]
    assert _sign_in(hr).get(reverse("web:dashboard")).status_code == 200
    client = Client()
    client.force_login(world.users[Role.COMPANY_ADMIN])
    response = client.post(
        reverse("accounts:second_factor_policy", args=[world.company.pk]), {"required": "1"}
    )
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="account.second_factor_policy_changed").exists()
    blocked = _sign_in(hr).get(reverse("web:dashboard"))
    assert blocked["Location"].startswith(reverse("accounts:second_factor"))


def test_the_administrator_resets_a_lost_second_factor_and_it_is_audited(world: World) -> None:
    hr = world.users[Role.COMPANY_HR]
    _enrol(_sign_in(hr), hr)
    admin = Client()
    admin.force_login(world.users[Role.COMPANY_ADMIN])
    response = admin.post(reverse("accounts:member_second_factor_reset", args=[hr.pk]))
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=hr).exists()
    event = AuditEvent.objects.get(action="account.second_factor_removed")
    assert event.actor == world.users[Role.COMPANY_ADMIN]
    assert event.after == {"devices": 1, "by_administrator": True}
    # Not someone else's colleague.
    foreign = admin.post(
        reverse(
            "accounts:member_second_factor_reset", args=[world.foreign_users[Role.COMPANY_HR].pk]
        )
    )
    assert foreign.status_code == 404


@REQUIRED
def test_staff_cannot_switch_off_a_required_second_factor(world: World) -> None:
    user = world.users[Role.ABH_CASEWORKER]
    client = _sign_in(user)
    _enrol(client, user)
    client.post(reverse("accounts:second_factor_remove"))
    assert TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def test_client_for_signs_in_a_person_with_a_second_factor(
    world: World, client_for: object
) -> None:
    user = world.users[Role.ABH_CASEWORKER]
    TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    client = client_for(user)  # type: ignore[operator]
    assert client.get(reverse("web:dashboard")).status_code == 200
