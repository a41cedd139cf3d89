"""The seeded volume is valid for the app: its audit events continue the hash chain."""

from __future__ import annotations

import pytest

from lotse.audit.models import AuditEvent
from lotse.audit.selectors import audit_chain_verify
from lotse.cases import volume


@pytest.mark.django_db
def test_seeded_audit_events_continue_the_chain() -> None:
    volume.seed_volume(cases=30, seed=3)
    checked, broken = audit_chain_verify()
    assert broken is None
    assert checked == AuditEvent.objects.count() > 30
