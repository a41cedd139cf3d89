"""Every identity event is an audit event; the idle time is a setting and the page warns first.

One place that names each audited identity event of issue 11 (sign-in, failed sign-in, denied
access, password reset requested and completed, every second-factor change), so that a code
that stops being written is noticed here. The warning itself is shown by lotse.js; the browser
test tests/e2e/test_session.py sees it appear and "stay signed in" work.
"""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client, override_settings
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from lotse.accounts.models import Role, User
from lotse.audit.models import AuditEvent
from lotse.notifications.models import OutboundMail
from tests.conftest import PASSWORD, World

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("_no_lockout")]


@pytest.fixture
def _no_lockout(settings: object) -> None:
    settings.AXES_ENABLED = False  # type: ignore[attr-defined]


def _events(user: User) -> list[str]:
    return list(
        AuditEvent.objects.filter(object_id=str(user.pk), action__startswith="account.")
        .order_by("pk")
        .values_list("action", flat=True)
    )


def _sign_in(user: User, password: str = PASSWORD) -> Client:
    client = Client()
    client.post(reverse("accounts:login"), {"username": user.email, "password": password})
    return client


def test_a_password_reset_is_audited_when_asked_for_and_when_completed(world: World) -> None:
    user = world.users[Role.COMPANY_HR]
    Client().post(reverse("accounts:password_reset"), {"email": user.email})
    body = OutboundMail.objects.get(to=user.email).body
    path = re.search(r"/accounts/password-reset/[^/\s]+/[^/\s]+/", body)
    assert path is not None, body
    client = Client()
    form = client.get(path.group(0), follow=True)
    assert form.status_code == 200
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "Ein-neues-Passwort-2026", "new_password2": "Ein-neues-Passwort-2026"},
    )
    assert done.status_code == 302
    assert done["Location"] == reverse("accounts:password_reset_complete")
    assert {"account.password_reset_requested", "account.password_reset_completed"} <= set(
        _events(user)
    )
    assert mail.outbox == []  # mails leave through the outbox only


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_every_second_factor_change_is_audited(world: World) -> None:
    hr = world.users[Role.COMPANY_HR]
    client = _sign_in(hr)
    client.get(reverse("accounts:second_factor"))
    pending = TOTPDevice.objects.get(user=hr, confirmed=False)
    enrolled = client.post(reverse("accounts:second_factor"), {"token": _code(pending)})
    codes = re.findall(r'<code class="lotse-secret">([^<]+)</code>', enrolled.content.decode())
    renewed = client.post(reverse("accounts:second_factor_recovery_codes"))
    assert renewed.status_code == 200
    codes = re.findall(r'<code class="lotse-secret">([^<]+)</code>', renewed.content.decode())
    second = _sign_in(hr)
    second.post(reverse("accounts:second_factor_verify"), {"token": "000000"})
    # django-otp throttles every device of the person after a wrong code; the delay is over.
    TOTPDevice.objects.filter(user=hr).update(throttling_failure_count=0)
    StaticDevice.objects.filter(user=hr).update(throttling_failure_count=0)
    second.post(reverse("accounts:second_factor_verify"), {"token": codes[0]})
    assert second.post(reverse("accounts:second_factor_remove")).status_code == 302
    admin = Client()
    admin.force_login(world.users[Role.COMPANY_ADMIN])
    admin.post(reverse("accounts:second_factor_policy", args=[world.company.pk]), {"required": "1"})
    assert _events(hr) == [
        "account.login",
        "account.second_factor_enrolled",
        "account.recovery_codes_renewed",
        "account.login",
        "account.second_factor_failed",
        "account.recovery_code_used",
        "account.second_factor_removed",
    ]
    policy = AuditEvent.objects.get(action="account.second_factor_policy_changed")
    assert policy.actor == world.users[Role.COMPANY_ADMIN]
    assert policy.after == {"required": True}


@override_settings(LOTSE_AUTHORITY_SESSION_IDLE_MINUTES=10)
def test_the_idle_time_is_a_setting_and_the_page_carries_the_warning_before_it(
    world: World, client_for: object
) -> None:
    caseworker = client_for(world.users[Role.ABH_CASEWORKER])  # type: ignore[operator]
    page = caseworker.get(reverse("web:dashboard")).content.decode()
    assert caseworker.session.get_expiry_age() == 10 * 60
    box = re.search(r"<div[^>]*data-session-warning[^>]*>", page)
    assert box is not None
    seconds = int(re.search(r'data-session-seconds="(\d+)"', box.group(0)).group(1))  # type: ignore[union-attr]
    warn = int(re.search(r'data-warn-seconds="(\d+)"', box.group(0)).group(1))  # type: ignore[union-attr]
    assert seconds == 600
    assert 0 < warn < seconds  # the warning comes before the end, not after it
    assert " hidden" in box.group(0)
    assert "data-session-stay" in page
