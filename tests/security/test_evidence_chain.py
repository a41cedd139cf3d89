"""The audit trail is a hash chain; ``lotse audit verify`` names the first broken link."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from lotse.audit import chain
from lotse.audit.models import AuditEvent
from lotse.audit.selectors import audit_chain_verify
from lotse.core import evidence
from lotse.organisations.services import site_create
from tests.conftest import World

pytestmark = pytest.mark.django_db


@contextmanager
def guards_lifted(table: str) -> Iterator[None]:
    """What an attacker with the database owner's rights does: switch the trigger off."""
    executor = evidence.CursorExecutor(connection)
    if connection.vendor == "postgresql":
        # Superuser only: ordinary triggers do not fire for a replication session.
        executor.execute("SET LOCAL session_replication_role = replica")
    else:
        evidence.uninstall(executor, [table])
    try:
        yield
    finally:
        if connection.vendor == "postgresql":
            executor.execute("SET LOCAL session_replication_role = origin")
        else:
            evidence.install(executor, [table])


def _some_events(world: World) -> list[AuditEvent]:
    for label in ("Lager", "Werk 2", "Werk 3"):
        site_create(
            company=world.company,
            actor=world.users["company_admin"],
            label=label,
            street="Weg 1",
            postcode="71679",
            municipality="Asperg",
        )
    return list(AuditEvent.objects.order_by("id"))


def test_each_event_links_to_the_one_before(world: World) -> None:
    events = _some_events(world)
    assert events[0].prev_hash == chain.GENESIS
    for before, after in itertools.pairwise(events):
        assert after.prev_hash == before.hash
    assert audit_chain_verify() == (len(events), None)
    call_command("audit", "verify")


@pytest.mark.parametrize(
    ("column", "value"),
    [("action", "'organisation.site_deleted'"), ("object_repr", "'Someone else'")],
)
def test_a_row_changed_below_the_application_breaks_the_chain_there(
    world: World, column: str, value: str
) -> None:
    events = _some_events(world)
    victim = events[len(events) // 2]
    with guards_lifted("audit_auditevent"), connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE audit_auditevent SET {column} = {value} WHERE id = %s",  # noqa: S608
            [victim.pk],
        )
    _checked, broken = audit_chain_verify()
    assert broken is not None
    assert broken.event_id == victim.pk
    with pytest.raises(CommandError, match=f"event {victim.pk}"):
        call_command("audit", "verify")


def test_a_deleted_row_breaks_the_chain_at_its_successor(world: World) -> None:
    events = _some_events(world)
    victim, successor = events[-3], events[-2]
    with (
        guards_lifted("audit_auditeventconcern"),
        guards_lifted("audit_auditevent"),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM audit_auditeventconcern WHERE event_id = %s", [victim.pk])
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [victim.pk])
    _checked, broken = audit_chain_verify()
    assert broken is not None
    assert broken.event_id == successor.pk


def test_the_chain_cannot_fork(world: World) -> None:
    events = _some_events(world)
    last = events[-1]
    with pytest.raises(Exception), transaction.atomic():  # noqa: B017, PT011 -- vendor's IntegrityError
        AuditEvent.objects.create(
            action="organisation.site_created",
            object_type="x",
            object_id="1",
            object_repr="x",
            prev_hash=last.prev_hash,
            hash="f" * 64,
            personal_sha256="0" * 64,
        )
