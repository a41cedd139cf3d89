"""Migration audit 0003 chains the events that existed before it."""

from __future__ import annotations

from django.db import connection

from lotse.audit.models import AuditEvent
from lotse.audit.selectors import audit_chain_verify
from lotse.core import evidence
from tests.conftest import Migrator, World

BEFORE = [("audit", "0002_append_only_trigger")]
AFTER = [("audit", "0003_hash_chain")]


def test_existing_events_are_chained(world: World, migrator: Migrator) -> None:
    count = AuditEvent.objects.count()
    assert count > 0
    old = migrator.migrate(BEFORE)
    assert old.get_model("audit", "AuditEvent").objects.count() == count
    migrator.migrate(AFTER)
    migrator.newest()
    assert audit_chain_verify() == (count, None)
    assert all(event.hash for event in AuditEvent.objects.all())
    assert evidence.installed(connection, "audit_auditevent")
