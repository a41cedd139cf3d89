from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from django.apps.registry import Apps
from django.core.cache import cache
from django.db import connection
from django.db.backends.sqlite3.base import DatabaseOperations
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY, devices_for_user
from django_otp.plugins.otp_totp.models import TOTPDevice

from lotse.accounts.models import Role, User
from lotse.core import evidence
from lotse.organisations.models import Organisation
from lotse.organisations.services import company_create, directory_sync, site_create
from tests.api.openapi_validation import check_response
from tests.factories import UserFactory

# Playwright's sync API runs an event loop in the test thread; Django must allow ORM calls there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True, scope="session")
def _flush_lifts_the_evidence_guards() -> Iterator[None]:
    """Transactional tests end with a flush; on SQLite that is DELETE, which the guards refuse."""
    original = DatabaseOperations.execute_sql_flush

    def flush(self: DatabaseOperations, sql_list: list[str]) -> None:
        evidence.sqlite_flush_lifting_guards(
            self.connection, sql_list, lambda sql: original(self, sql)
        )

    DatabaseOperations.execute_sql_flush = flush  # type: ignore[method-assign]
    yield
    DatabaseOperations.execute_sql_flush = original  # type: ignore[method-assign]


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """Each test starts with an empty cache: the workbench counters (lotse.cases.counters) are
    invalidated on commit, which a test's rolled-back transaction never reaches."""
    cache.clear()


@pytest.fixture(autouse=True)
def _api_responses_match_the_openapi_document(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every API response in the suite must be what the OpenAPI document says for its status.

    A test that sends deliberately what the document cannot describe (a raw WSGI call, a test of
    the checker itself) opts out with ``@pytest.mark.no_response_validation``.
    """
    if request.node.get_closest_marker("no_response_validation"):
        return
    original = Client.request

    def checked(self: Client, **environ: object) -> object:
        response = original(self, **environ)
        check_response(environ, response)
        return response

    monkeypatch.setattr(Client, "request", checked)


@dataclass
class World:
    """Two of everything, so that every access test has an own and a foreign object."""

    ihk: Organisation
    hwk: Organisation
    lra: Organisation
    stadt_ludwigsburg: Organisation
    company: Organisation  # IHK member in Asperg
    other_company: Organisation  # HWK member in Murr: IHK staff must not see it
    users: dict[str, User]  # role -> user of the "own" side
    foreign_users: dict[str, User]  # role -> user of another organisation of the same kind


@pytest.fixture
def world(db: None) -> World:
    directory_sync()
    ihk = Organisation.objects.get(kind="chamber", code="ihk-region-stuttgart")
    hwk = Organisation.objects.get(kind="chamber", code="hwk-region-stuttgart")
    lra = Organisation.objects.get(kind="authority", code="lra-ludwigsburg")
    stadt = Organisation.objects.get(kind="authority", code="stadt-ludwigsburg")
    company = company_create(
        actor=None, name="Weber Maschinenbau GmbH", legal_form="GmbH", chamber_membership="ihk"
    )
    site_create(
        company=company,
        actor=None,
        label="Werk",
        street="Eglosheimer Str. 20",
        postcode="71679",
        municipality="Asperg",
    )
    other = company_create(
        actor=None, name="SHK Yilmaz GmbH", legal_form="GmbH", chamber_membership="hwk"
    )
    site_create(
        company=other,
        actor=None,
        label="Betrieb",
        street="Hauptstr. 12",
        postcode="71711",
        municipality="Murr",
    )
    own_org = {
        Role.COMPANY_ADMIN: company,
        Role.COMPANY_HR: company,
        Role.CHAMBER_ADVISOR: ihk,
        Role.CHAMBER_LEAD: ihk,
        Role.ABH_CASEWORKER: lra,
        Role.ABH_LEAD: lra,
        Role.PLATFORM_ADMIN: None,
    }
    foreign_org = {
        Role.COMPANY_ADMIN: other,
        Role.COMPANY_HR: other,
        Role.CHAMBER_ADVISOR: hwk,
        Role.CHAMBER_LEAD: hwk,
        Role.ABH_CASEWORKER: stadt,
        Role.ABH_LEAD: stadt,
    }
    users = {
        role: UserFactory(role=role, organisation=org, email=f"{role}@own.example")
        for role, org in own_org.items()
    }
    foreign = {
        role: UserFactory(role=role, organisation=org, email=f"{role}@foreign.example")
        for role, org in foreign_org.items()
    }
    return World(ihk, hwk, lra, stadt, company, other, users, foreign)


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> None:
    """Rate-limit counters live in the cache (local memory in tests): none carries over."""
    cache.clear()


def verified_login(client: Client, user: User) -> Client:
    """Signed in as after password and second factor (when the person has one)."""
    client.force_login(user)
    # Any confirmed device: authenticator app, security key (WebAuthnCredential), recovery codes.
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or next(
        iter(devices_for_user(user, confirmed=True)), None
    )
    if device is not None:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


@pytest.fixture
def client_for(client: Client) -> Callable[[User], Client]:
    def login(user: User) -> Client:
        return verified_login(Client(), user)

    return login


class Migrator:
    """Moves the test database to an older migration state and on to another one."""

    def __init__(self) -> None:
        self.executor = MigrationExecutor(connection)

    def migrate(self, targets: list[tuple[str, str]]) -> Apps:
        """Migrate to ``targets`` and return the historical models of that state."""
        self.executor = MigrationExecutor(connection)
        self.executor.loader.build_graph()
        self.executor.migrate(targets)
        return self.executor.loader.project_state(targets).apps

    def newest(self) -> None:
        self.executor = MigrationExecutor(connection)
        self.executor.loader.build_graph()
        self.executor.migrate(self.executor.loader.graph.leaf_nodes())


@pytest.fixture
def migrator(transactional_db: None) -> Iterator[Migrator]:
    """A migration test's executor. Afterwards, passed or failed, every app is back at its newest
    migration: the transactional tests after it share the schema (a migration test that stopped at
    its own target once left later tests without a column added since)."""
    found = Migrator()
    try:
        yield found
    finally:
        found.newest()
