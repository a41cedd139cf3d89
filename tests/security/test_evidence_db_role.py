"""The application's PostgreSQL role cannot UPDATE, DELETE or TRUNCATE evidence (lotse db_roles)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from lotse.audit.models import AuditEvent
from lotse.core.db_roles import role_statements
from lotse.organisations.services import site_create
from tests.conftest import World

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="roles and privileges are PostgreSQL's; SQLite has only the triggers",
    ),
]

ROLE = "lotse_test_app"


@contextmanager
def as_application_role() -> Iterator[None]:
    """Create the role inside the test transaction (rolled back with it) and act as it."""
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE ROLE "{ROLE}" NOLOGIN')
        for statement in role_statements(role=ROLE):
            cursor.execute(statement)
        cursor.execute(f'SET LOCAL ROLE "{ROLE}"')
        try:
            yield
        finally:
            cursor.execute("RESET ROLE")


def _refused(sql: str, params: list[object] | None = None) -> bool:
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, params)
    except DatabaseError as error:
        return any(word in str(error) for word in ("permission denied", "must be owner"))
    return False


def test_the_application_role_may_insert_and_read_but_not_rewrite(world: World) -> None:
    with as_application_role():
        site_create(
            company=world.company,
            actor=world.users["company_admin"],
            label="Lager",
            street="Weg 1",
            postcode="71679",
            municipality="Asperg",
        )
        event = AuditEvent.objects.order_by("-id").first()
        assert event is not None
        assert event.action == "organisation.site_created"
        for table in (
            "audit_auditevent",
            "audit_auditeventconcern",
            "cases_casetransition",
            "documents_sealedfile",
        ):
            # Privileges, not only the trigger: the id column is granted to nobody.
            assert _refused(f"UPDATE {table} SET id = id WHERE id = %s", [event.pk])  # noqa: S608
            assert _refused(f"DELETE FROM {table} WHERE id = %s", [event.pk])  # noqa: S608
            assert _refused(f"TRUNCATE {table} CASCADE")
            assert _refused(f"ALTER TABLE {table} DISABLE TRIGGER USER")


def test_the_command_prints_the_statements(capsys: pytest.CaptureFixture[str]) -> None:
    call_command("db_roles", "--role", "lotse_app", "--owner", "lotse_migrate")
    out = capsys.readouterr().out
    assert 'REVOKE UPDATE, DELETE, TRUNCATE ON "audit_auditevent" FROM "lotse_app";' in out
    assert 'ALTER DEFAULT PRIVILEGES FOR ROLE "lotse_migrate"' in out
