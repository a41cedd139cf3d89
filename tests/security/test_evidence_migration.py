"""Migration audit 0003 chains the events that existed before it."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from lotse.audit.models import AuditEvent
from lotse.audit.selectors import audit_chain_verify
from lotse.core import evidence
from tests.conftest import World

BEFORE = [("audit", "0002_append_only_trigger")]
AFTER = [("audit", "0003_hash_chain")]


@pytest.mark.django_db(transaction=True)
def test_existing_events_are_chained(world: World) -> None:
    count = AuditEvent.objects.count()
    assert count > 0
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    assert old.get_model("audit", "AuditEvent").objects.count() == count
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert audit_chain_verify() == (count, None)
    assert all(event.hash for event in AuditEvent.objects.all())
    assert evidence.installed(connection, "audit_auditevent")
