from __future__ import annotations

import re
from collections.abc import Callable
from io import StringIO
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from lotse.accounts.models import ApiToken, Invitation, Role, User
from lotse.accounts.services import api_token_authenticate, invitation_accept, invitation_create
from lotse.audit.models import AuditEvent
from tests.conftest import PASSWORD, World


def _login(client: Client, email: str, password: str) -> int:
    return client.post(
        reverse("accounts:login"), {"username": email, "password": password}
    ).status_code


def test_login_reaches_the_dashboard(world: World) -> None:
    client = Client()
    response = client.post(
        reverse("accounts:login"),
        {"username": world.users[Role.COMPANY_HR].email, "password": PASSWORD},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("web:dashboard")
    assert "Willkommen, Weber Maschinenbau GmbH" in response.content.decode()


def test_passwords_are_hashed_with_argon2_in_production_settings() -> None:
    from django.conf import settings

    from lotse.conf import settings as production_settings

    assert production_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    assert settings.SESSION_COOKIE_HTTPONLY is True


def test_repeated_failed_logins_lock_the_account_with_a_clear_message(world: World) -> None:
    client = Client()
    email = world.users[Role.COMPANY_HR].email
    for _ in range(4):
        response = client.post(reverse("accounts:login"), {"username": email, "password": "wrong"})
        assert "E-Mail-Adresse oder Passwort stimmen nicht" in response.content.decode()
    locked = client.post(reverse("accounts:login"), {"username": email, "password": "wrong"})
    assert locked.status_code == 429
    assert "Zu viele fehlgeschlagene Anmeldeversuche" in locked.content.decode()
    # Even the right password is refused while locked.
    assert _login(client, email, PASSWORD) == 429


def test_password_reset_sends_a_working_link(
    world: World, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    user = world.users[Role.COMPANY_HR]
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:password_reset"), {"email": user.email})
    assert len(mail.outbox) == 1
    link = re.search(r"http://\S+/accounts/password-reset/\S+/", mail.outbox[0].body)
    assert link is not None
    response = client.get(link.group(0), follow=True)
    new_password = "ein-ganz-neues-Passwort-42"
    client.post(
        response.redirect_chain[-1][0],
        {"new_password1": new_password, "new_password2": new_password},
    )
    user.refresh_from_db()
    assert user.check_password(new_password)


def test_company_admin_invites_a_colleague_who_then_signs_in(
    world: World, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    admin = world.users[Role.COMPANY_ADMIN]
    client = Client()
    client.force_login(admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:team"),
            {"full_name": "Neue Kollegin", "email": "Neu@Weber.example", "role": Role.COMPANY_HR},
        )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    url = re.search(r"http://\S+/accounts/invitation/\S+/", mail.outbox[0].body)
    assert url is not None
    path = url.group(0).split("8000", 1)[1]
    new = Client()
    page = new.get(path)
    assert "Neue Kollegin" in page.content.decode()
    response = new.post(
        path,
        {
            "password1": "sehr-sicheres-Passwort",
            "password2": "sehr-sicheres-Passwort",
            "language": "en",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email="neu@weber.example")
    assert (user.organisation, user.role, user.language) == (world.company, Role.COMPANY_HR, "en")
    assert new.get(path).status_code == 404  # used once only
    assert AuditEvent.objects.filter(action="account.invitation_accepted").count() == 1


def test_invitation_with_mismatched_passwords_keeps_the_page(world: World) -> None:
    issued = invitation_create(
        actor=world.users[Role.CHAMBER_LEAD],
        organisation=world.ihk,
        email="a@ihk.example",
        full_name="A",
        role=Role.CHAMBER_ADVISOR,
    )
    path = "/accounts/" + issued.url.split("/accounts/", 1)[1]
    response = Client().post(
        path, {"password1": "sehr-sicheres-Passwort", "password2": "anders", "language": "de"}
    )
    assert response.status_code == 200
    assert "Die beiden Passwörter stimmen nicht überein" in response.content.decode()
    assert not User.objects.filter(email="a@ihk.example").exists()


def test_a_lead_cannot_hand_out_roles_of_another_organisation_kind(world: World) -> None:
    from lotse.access import AccessDeniedError

    with pytest.raises(AccessDeniedError):
        invitation_create(
            actor=world.users[Role.ABH_LEAD],
            organisation=world.lra,
            email="x@x.example",
            full_name="X",
            role=Role.COMPANY_ADMIN,
        )


def test_an_accepted_or_withdrawn_invitation_cannot_be_used_again(world: World) -> None:
    issued = invitation_create(
        actor=world.users[Role.ABH_LEAD],
        organisation=world.lra,
        email="b@lra.example",
        full_name="B",
        role=Role.ABH_CASEWORKER,
    )
    secret = issued.url.rstrip("/").rsplit("/", 1)[1]
    invitation_accept(secret=secret, password="sehr-sicheres-Passwort")
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        invitation_accept(secret=secret, password="sehr-sicheres-Passwort")
    assert Invitation.objects.get(pk=issued.invitation.pk).accepted_at is not None


def test_deactivating_a_colleague_revokes_their_tokens(world: World) -> None:
    hr = world.users[Role.COMPANY_HR]
    client = Client()
    client.force_login(hr)
    client.post(reverse("accounts:tokens"), {"name": "HR-System"})
    assert ApiToken.objects.filter(user=hr, revoked_at=None).count() == 1
    admin = Client()
    admin.force_login(world.users[Role.COMPANY_ADMIN])
    admin.post(reverse("accounts:member_set_active", args=[hr.pk]), {"active": "0"})
    hr.refresh_from_db()
    assert not hr.is_active
    assert ApiToken.objects.filter(user=hr, revoked_at=None).count() == 0


def test_token_is_shown_once_stored_hashed_and_works_until_revoked(world: World) -> None:
    user = world.users[Role.CHAMBER_ADVISOR]
    client = Client()
    client.force_login(user)
    page = client.post(reverse("accounts:tokens"), {"name": "Kammer-CRM"}).content.decode()
    secret = re.search(r"lotse_[A-Za-z0-9_-]{20,}", page)
    assert secret is not None
    token = ApiToken.objects.get(user=user)
    assert secret.group(0) not in (token.token_hash, token.prefix)
    api = Client()
    assert (
        api.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {secret.group(0)}").json()["email"]
        == user.email
    )
    client.post(reverse("accounts:token_revoke", args=[token.pk]))
    assert api.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {secret.group(0)}").status_code == 401


def test_token_command_creates_and_revokes(world: World) -> None:
    user = world.users[Role.ABH_CASEWORKER]
    out = StringIO()
    call_command("token", "create", user.email, "--name", "Fachverfahren", stdout=out)
    secret = out.getvalue().strip()
    assert api_token_authenticate(secret) == user
    prefix = ApiToken.objects.get(user=user).prefix
    call_command("token", "revoke", user.email, prefix, stdout=StringIO())
    assert api_token_authenticate(secret) is None


def test_token_command_names_an_unknown_user(db: None) -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match=r"nobody@example\.org"):
        call_command("token", "create", "nobody@example.org")
