"""Security keys and passkeys (WebAuthn) as a second factor, server side, with a software
authenticator: enrolment, sign-in, and each way an answer must be refused."""

from __future__ import annotations

import html
import json
import os
import re
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.conf import settings
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from lotse.accounts.models import Role, User, WebAuthnCredential
from lotse.accounts.selectors import second_factor_user_ids
from lotse.audit.models import AuditEvent
from tests.conftest import PASSWORD, World
from tests.security.soft_authenticator import SoftAuthenticator

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("_no_lockout")]
REQUIRED = override_settings(LOTSE_REQUIRE_2FA=True)
KEYS = reverse("accounts:security_keys")
VERIFY = reverse("accounts:second_factor_verify")


@pytest.fixture
def _no_lockout(settings: Any) -> None:
    settings.AXES_ENABLED = False


def _key() -> SoftAuthenticator:
    return SoftAuthenticator(
        rp_id=settings.LOTSE_WEBAUTHN_RP_ID, origin=settings.LOTSE_WEBAUTHN_ORIGINS[0]
    )


def _sign_in(user: User) -> Client:
    client = Client()
    response = client.post(
        reverse("accounts:login"), {"username": user.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    return client


def _options(page: Any, ceremony: str) -> dict[str, Any]:
    content = page.content.decode()
    found = re.search(rf'data-webauthn="{ceremony}" data-webauthn-options="([^"]+)"', content)
    assert found, f"no {ceremony} form on the page"
    options: dict[str, Any] = json.loads(html.unescape(found.group(1)))
    return options


def _add(client: Client, key: SoftAuthenticator, name: str = "Blue key", **answer: Any) -> Any:
    options = _options(client.get(KEYS), "register")
    credential = key.register(options, **answer)
    return client.post(KEYS, {"name": name, "credential": json.dumps(credential)})


def _verify(client: Client, key: SoftAuthenticator, **answer: Any) -> Any:
    options = _options(client.get(VERIFY), "authenticate")
    credential = key.sign(options, **answer)
    return client.post(VERIFY, {"method": "security_key", "credential": json.dumps(credential)})


def _enrolled(user: User) -> SoftAuthenticator:
    key = _key()
    response = _add(_sign_in(user), key)
    assert response.status_code == 200, response.content.decode()[:500]
    return key


def _actions() -> list[str]:
    return list(AuditEvent.objects.order_by("pk").values_list("action", flat=True))


@REQUIRED
def test_authority_staff_enrol_a_security_key_as_their_second_factor(world: World) -> None:
    user = world.users[Role.ABH_CASEWORKER]
    client = _sign_in(user)
    assert client.get(reverse("web:dashboard"))["Location"].startswith(
        reverse("accounts:second_factor")
    )
    enrol_page = client.get(reverse("accounts:second_factor")).content.decode()
    assert KEYS in enrol_page  # the app's enrolment offers the key instead
    key = _key()
    response = _add(client, key, name="YubiKey am Schlüsselbund")
    assert response.status_code == 200
    codes = re.findall(r'<code class="lotse-secret">([^<]+)</code>', response.content.decode())
    assert len(codes) == 10
    assert client.get(reverse("web:dashboard")).status_code == 200
    stored = WebAuthnCredential.objects.get(user=user)
    assert stored.name == "YubiKey am Schlüsselbund"
    assert stored.transports == ["usb", "nfc"]
    event = AuditEvent.objects.get(action="account.security_key_added")
    assert event.after["key"] == "YubiKey am Schlüsselbund"
    assert event.after["recovery_codes"] == 10


@REQUIRED
def test_the_sign_in_offers_the_key_first_and_accepts_its_signature(world: World) -> None:
    user = world.users[Role.CHAMBER_ADVISOR]
    key = _enrolled(user)
    client = _sign_in(user)
    assert client.get(reverse("web:dashboard"))["Location"].startswith(VERIFY)
    page = client.get(VERIFY).content.decode()
    # The key's form comes before the code form, which still works without JavaScript.
    assert page.index('data-webauthn="authenticate"') < page.index('name="token"')
    assert "<script>" not in page  # CSP: the ceremony is a static file, no inline script
    assert "accounts/webauthn.js" in page
    response = _verify(client, key)
    assert response.status_code == 302
    assert client.get(reverse("web:dashboard")).status_code == 200
    stored = WebAuthnCredential.objects.get(user=user)
    assert stored.sign_count == 1
    assert stored.last_used_at is not None
    assert "account.security_key_used" in _actions()


@REQUIRED
def test_an_answer_for_another_origin_is_refused(world: World) -> None:
    user = world.users[Role.ABH_LEAD]
    phished = _add(_sign_in(user), _key(), origin="https://lotse.example.evil")
    assert phished.status_code == 200
    assert 'data-testid="error-summary"' in phished.content.decode()
    assert not WebAuthnCredential.objects.filter(user=user).exists()
    key = _enrolled(user)
    client = _sign_in(user)
    assert _verify(client, key, origin="https://lotse.example.evil").status_code == 200
    assert client.get(reverse("web:dashboard")).status_code == 302
    failed = AuditEvent.objects.filter(action="account.security_key_failed")
    assert failed.count() == 2
    assert "origin" in failed.last().after["reason"]  # type: ignore[union-attr]


@REQUIRED
def test_an_answer_for_another_relying_party_is_refused(world: World) -> None:
    user = world.users[Role.ABH_LEAD]
    key = _enrolled(user)
    client = _sign_in(user)
    assert _verify(client, key, rp_id="evil.example").status_code == 200
    assert client.get(reverse("web:dashboard")).status_code == 302


@REQUIRED
def test_a_signature_over_another_challenge_is_refused(world: World) -> None:
    user = world.users[Role.ABH_CASEWORKER]
    key = _enrolled(user)
    client = _sign_in(user)
    response = _verify(client, key, challenge="AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
    assert response.status_code == 200
    assert client.get(reverse("web:dashboard")).status_code == 302
    assert "account.security_key_failed" in _actions()


@REQUIRED
def test_a_challenge_is_answered_once(world: World) -> None:
    user = world.users[Role.ABH_CASEWORKER]
    key = _enrolled(user)
    key.counting = False  # so that only the challenge can stop the replay
    WebAuthnCredential.objects.filter(user=user).update(sign_count=0)
    first = _sign_in(user)
    options = _options(first.get(VERIFY), "authenticate")
    answer = json.dumps(key.sign(options))
    assert first.post(VERIFY, {"method": "security_key", "credential": answer}).status_code == 302
    # The same answer again, in a second sign-in that took its own challenge meanwhile.
    second = _sign_in(user)
    second.get(VERIFY)
    replay = second.post(VERIFY, {"method": "security_key", "credential": answer})
    assert replay.status_code == 200
    assert second.get(reverse("web:dashboard")).status_code == 302


@REQUIRED
def test_a_challenge_is_used_up_by_a_failed_answer_too(world: World) -> None:
    user = world.users[Role.ABH_CASEWORKER]
    key = _enrolled(user)
    client = _sign_in(user)
    options = _options(client.get(VERIFY), "authenticate")
    wrong = key.sign(options, origin="https://evil.example")
    right = key.sign(options)  # a good answer to the same challenge, sent afterwards
    client.post(VERIFY, {"method": "security_key", "credential": json.dumps(wrong)})
    late = client.post(VERIFY, {"method": "security_key", "credential": json.dumps(right)})
    assert late.status_code == 200
    assert client.get(reverse("web:dashboard")).status_code == 302
    assert AuditEvent.objects.filter(action="account.security_key_failed").count() == 2


@REQUIRED
def test_a_challenge_expires(world: World) -> None:
    user = world.users[Role.ABH_CASEWORKER]
    key = _enrolled(user)
    client = _sign_in(user)
    options = _options(client.get(VERIFY), "authenticate")
    answer = json.dumps(key.sign(options))
    later = timezone.now() + timedelta(seconds=settings.LOTSE_WEBAUTHN_CHALLENGE_SECONDS + 5)
    with time_machine.travel(later):
        late = client.post(VERIFY, {"method": "security_key", "credential": answer})
    assert late.status_code == 200
    assert client.get(reverse("web:dashboard")).status_code == 302


@REQUIRED
def test_a_counter_that_goes_back_reveals_a_copied_key_and_is_refused(world: World) -> None:
    user = world.users[Role.ABH_LEAD]
    key = _enrolled(user)
    copy = key.clone()
    for _round in range(3):
        assert _verify(_sign_in(user), key).status_code == 302
    assert WebAuthnCredential.objects.get(user=user).sign_count == 3
    client = _sign_in(user)
    response = _verify(client, copy)  # the copy signs with counter 1
    assert response.status_code == 200
    assert client.get(reverse("web:dashboard")).status_code == 302
    event = AuditEvent.objects.get(action="account.security_key_counter_regressed")
    assert event.after["reason"] == "counter 1 after 3"
    assert WebAuthnCredential.objects.get(user=user).sign_count == 3


@REQUIRED
def test_a_key_without_a_counter_keeps_working(world: World) -> None:
    user = world.users[Role.ABH_LEAD]
    key = _key()
    key.counting = False
    assert _add(_sign_in(user), key).status_code == 200
    for _round in range(2):
        assert _verify(_sign_in(user), key).status_code == 302


@REQUIRED
def test_someone_elses_key_does_not_confirm_my_sign_in(world: World) -> None:
    mine, theirs = world.users[Role.ABH_CASEWORKER], world.users[Role.ABH_LEAD]
    _enrolled(mine)
    their_key = _enrolled(theirs)
    client = _sign_in(mine)
    response = _verify(client, their_key)
    assert response.status_code == 200
    assert client.get(reverse("web:dashboard")).status_code == 302
    failed = AuditEvent.objects.get(action="account.security_key_failed")
    assert failed.object_id == str(mine.pk)
    assert failed.after == {"reason": "unknown key"}


@REQUIRED
def test_a_malformed_answer_is_a_clear_refusal_not_a_server_error(world: World) -> None:
    user = world.users[Role.ABH_CASEWORKER]
    key = _enrolled(user)
    client = _sign_in(user)
    client.get(VERIFY)
    for bad in ("", "not json", "[]", '{"id": 1}', json.dumps({"rawId": "%%%"})):
        client.get(VERIFY)
        response = client.post(VERIFY, {"method": "security_key", "credential": bad})
        assert response.status_code == 200
        assert 'data-testid="security-key-error"' in response.content.decode()
    fresh = _sign_in(world.users[Role.CHAMBER_LEAD])
    for bad in ("", "not json", '{"response": {}}'):
        fresh.get(KEYS)
        response = fresh.post(KEYS, {"name": "x", "credential": bad})
        assert response.status_code == 200
        assert 'data-testid="error-summary"' in response.content.decode()
    assert not WebAuthnCredential.objects.filter(user=world.users[Role.CHAMBER_LEAD]).exists()
    assert _verify(client, key).status_code == 302


@REQUIRED
def test_the_same_key_is_not_registered_twice(world: World) -> None:
    user = world.users[Role.CHAMBER_ADVISOR]
    key = _enrolled(user)
    client = _sign_in(user)
    assert _verify(client, key).status_code == 302
    options = _options(client.get(KEYS), "register")
    # The browser is told which keys exist, so that it does not offer them again.
    assert [c["id"] for c in options["excludeCredentials"]] == [
        WebAuthnCredential.objects.get(user=user).credential_id
    ]
    again = client.post(KEYS, {"name": "again", "credential": json.dumps(key.register(options))})
    assert again.status_code == 200
    assert WebAuthnCredential.objects.filter(user=user).count() == 1


@REQUIRED
def test_a_password_alone_cannot_add_a_key(world: World) -> None:
    user = world.users[Role.ABH_CASEWORKER]
    _enrolled(user)
    thief = _sign_in(user)  # knows the password, has not passed the second factor
    assert thief.get(KEYS)["Location"].startswith(VERIFY)
    response = thief.post(KEYS, {"name": "thief", "credential": "{}"})
    assert response.status_code == 302
    assert WebAuthnCredential.objects.filter(user=user).count() == 1
    api = thief.post("/api/v1/me/security-keys/registration-options")
    assert api.status_code == 403


@REQUIRED
def test_the_last_factor_cannot_be_removed_where_one_is_required(world: World) -> None:
    user = world.users[Role.ABH_CASEWORKER]
    key = _enrolled(user)
    client = _sign_in(user)
    assert _verify(client, key).status_code == 302
    stored = WebAuthnCredential.objects.get(user=user)
    response = client.post(reverse("accounts:security_key_remove", args=[stored.pk]), follow=True)
    assert WebAuthnCredential.objects.filter(pk=stored.pk).exists()
    assert 'data-testid="security-keys"' in response.content.decode()
    assert AuditEvent.objects.filter(action="account.security_key_removed").count() == 0
    # With a second key the first one may go.
    second = _key()
    assert _add(client, second, name="Spare").status_code == 302
    assert client.post(reverse("accounts:security_key_remove", args=[stored.pk])).status_code == 302
    assert not WebAuthnCredential.objects.filter(pk=stored.pk).exists()
    assert AuditEvent.objects.filter(action="account.security_key_removed").count() == 1


def test_without_a_requirement_removing_the_last_key_also_ends_the_recovery_codes(
    world: World,
) -> None:
    user = world.users[Role.COMPANY_HR]
    key = _enrolled(user)
    client = _sign_in(user)
    assert _verify(client, key).status_code == 302
    stored = WebAuthnCredential.objects.get(user=user)
    assert client.post(reverse("accounts:security_key_remove", args=[stored.pk])).status_code == 302
    assert not StaticDevice.objects.filter(user=user).exists()
    event = AuditEvent.objects.get(action="account.security_key_removed")
    assert event.after["recovery_codes_removed"] is True
    # No factor left: the next sign-in asks for none.
    assert _sign_in(user).get(reverse("web:dashboard")).status_code == 200


@REQUIRED
def test_nobody_removes_someone_elses_key(world: World, client_for: Any) -> None:
    owner = world.users[Role.COMPANY_HR]
    _enrolled(owner)
    stored = WebAuthnCredential.objects.get(user=owner)
    admin = client_for(world.users[Role.COMPANY_ADMIN])
    response = admin.post(reverse("accounts:security_key_remove", args=[stored.pk]))
    assert response.status_code == 404
    assert WebAuthnCredential.objects.filter(pk=stored.pk).exists()


@REQUIRED
def test_the_administrators_reset_removes_the_keys_too(world: World) -> None:
    hr = world.users[Role.COMPANY_HR]
    _enrolled(hr)
    admin = Client()
    admin.force_login(world.users[Role.COMPANY_ADMIN])
    assert (
        admin.post(reverse("accounts:member_second_factor_reset", args=[hr.pk])).status_code == 302
    )
    assert not WebAuthnCredential.objects.filter(user=hr).exists()
    assert not StaticDevice.objects.filter(user=hr).exists()


@REQUIRED
def test_key_and_authenticator_app_work_side_by_side_with_one_set_of_recovery_codes(
    world: World,
) -> None:
    user = world.users[Role.ABH_CASEWORKER]
    key = _enrolled(user)
    codes_before = set(
        StaticDevice.objects.get(user=user).token_set.values_list("token", flat=True)
    )
    client = _sign_in(user)
    assert _verify(client, key).status_code == 302
    state = client.get(reverse("accounts:second_factor")).content.decode()
    assert 'data-testid="security-key-state"' in state
    page = client.get(reverse("accounts:second_factor") + "?app=1")
    assert page.status_code == 200
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    done = client.post(reverse("accounts:second_factor") + "?app=1", {"token": code})
    assert done.status_code == 302  # no new codes: the person keeps the ones they hold
    assert TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    codes_after = set(StaticDevice.objects.get(user=user).token_set.values_list("token", flat=True))
    assert codes_after == codes_before
    # A recovery code still stands in for the key.
    recovery = _sign_in(user)
    response = recovery.post(VERIFY, {"token": sorted(codes_before)[0]})
    assert response.status_code == 302


def test_the_pages_allow_security_keys_for_this_site_only(client: Client) -> None:
    policy = client.get(reverse("accounts:login"))["Permissions-Policy"]
    assert "publickey-credentials-get=(self)" in policy
    assert "publickey-credentials-create=(self)" in policy
    assert "camera=()" in policy


def _settings_of(**env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("LOTSE_", "DJANGO_"))}
    clean.update(env)
    script = (
        "from django.conf import settings as s; "
        "print(s.LOTSE_WEBAUTHN_RP_ID, ' '.join(s.LOTSE_WEBAUTHN_ORIGINS))"
    )
    return subprocess.run(
        [str(Path(sys.executable).with_name("lotse")), "shell", "--no-imports", "-c", script],
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_relying_party_and_origin_follow_the_site_address_unless_set() -> None:
    result = _settings_of(LOTSE_SITE_URL="https://Lotse.Example.de:8443/pfad")
    assert result.stdout.split() == ["lotse.example.de", "https://lotse.example.de:8443"]
    # An origin that is not the relying party or below it cannot work: Lotse does not start.
    wrong = _settings_of(
        LOTSE_WEBAUTHN_RP_ID="lotse.example", LOTSE_WEBAUTHN_ORIGINS="https://x.example"
    )
    assert wrong.returncode != 0
    assert "LOTSE_WEBAUTHN_ORIGINS" in wrong.stderr
    below = _settings_of(
        LOTSE_WEBAUTHN_RP_ID="lotse.example", LOTSE_WEBAUTHN_ORIGINS="https://abh.lotse.example"
    )
    assert below.stdout.split() == ["lotse.example", "https://abh.lotse.example"]


def test_the_team_page_counts_a_security_key_as_a_second_factor(world: World) -> None:
    hr = world.users[Role.COMPANY_HR]
    _enrolled(hr)
    assert hr.pk in second_factor_user_ids(organisation=world.company)


def test_the_continue_link_after_the_first_key_stays_on_this_site(world: World) -> None:
    client = _sign_in(world.users[Role.COMPANY_HR])
    options = _options(client.get(KEYS), "register")
    answer = json.dumps(_key().register(options))
    response = client.post(
        KEYS, {"name": "Key", "credential": answer, "next": "javascript:alert(1)"}
    )
    assert response.status_code == 200
    assert "javascript:" not in response.content.decode()
