"""Parallel audited transactions append to one chain: no fork, no gap (PostgreSQL row of issue 11)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from lotse.audit.models import AuditEvent
from lotse.audit.selectors import audit_chain_verify
from lotse.organisations.services import site_create
from tests.conftest import World

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="parallel writers need PostgreSQL (SQLite has a single writer by design)",
    ),
]

WRITERS = 8


@pytest.mark.django_db(transaction=True)
def test_parallel_writers_do_not_fork_the_chain(world: World) -> None:
    before = AuditEvent.objects.count()
    barrier = threading.Barrier(WRITERS)
    errors: list[BaseException] = []

    def write(index: int) -> None:
        try:
            barrier.wait(timeout=10)
            site_create(
                company=world.company,
                actor=world.users["company_admin"],
                label=f"Halle {index}",
                street="Weg 1",
                postcode="71679",
                municipality="Asperg",
            )
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(i,)) for i in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert AuditEvent.objects.count() == before + WRITERS
    checked, broken = audit_chain_verify()
    assert broken is None
    assert checked == before + WRITERS
