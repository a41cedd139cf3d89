"""Who hears what: the recipients matrix (event kind × party) and the language of each mail."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from lotse.cases.models import Case
from lotse.clocks import registry as clock_registry
from lotse.notifications.models import Kind, Notification, OutboundMail, Party
from lotse.notifications.recipients import RULES
from lotse.notifications.services import (
    NotificationOutsideTransactionError,
    notification_emit,
)
from tests.conftest import World
from tests.notifications.conftest import (
    ADV,
    AL,
    CA,
    CHR,
    CL,
    CW,
    advised_case,
    create_case,
    take,
    told,
)

C, CH, A, W = Party.COMPANY, Party.CHAMBER, Party.AUTHORITY, Party.WORKER

# The expected matrix, written out by hand (the cooperation's rule, not a copy of RULES).
EXPECTED: dict[str, set[str]] = {
    Kind.CASE_CREATED: {CH},
    Kind.DOCUMENTS_SUBMITTED: {CH},
    Kind.DOCUMENT_UPLOADED: {CH},
    Kind.DOCUMENT_REJECTED: {C, W},
    Kind.DOCUMENTS_MISSING: {C, W},
    Kind.FILE_FORWARDED: {A, C},
    Kind.SUPPLEMENT_UPLOADED: {A},
    Kind.FILE_RETURNED: {CH, C},
    Kind.AUTHORITY_QUESTION: {CH},
    Kind.PREAPPROVAL_ISSUED: {C, CH, W},
    Kind.STEP_RECORDED: {C},
    Kind.CASE_ENDED: {C, CH},
    Kind.DEADLINE_REMINDER: set(),
    Kind.STEP_OVERDUE: set(),
    Kind.MESSAGE: set(),
}


def test_every_kind_has_a_row_in_the_matrix() -> None:
    assert set(EXPECTED) == set(Kind.values) == set(RULES)


@pytest.mark.parametrize("kind", list(EXPECTED))
def test_recipients_matrix(kind: str, world: World) -> None:
    case = advised_case(world)
    Notification.objects.all().delete()
    with transaction.atomic():
        notification_emit(kind=kind, case=case, actor=None, context={"reason": "x"})
    addresses = {
        C: {world.users[CA].email, world.users[CHR].email},
        CH: {world.users[ADV].email},
        A: {world.users[CW].email},
        W: {"priya@example.org"},
    }
    expected = {party: addresses[party] for party in EXPECTED[kind]}
    assert told(kind, case) == expected
    # Nobody of another organisation hears of it.
    foreign = {u.email for u in world.foreign_users.values()}
    assert not foreign & {a for found in told(kind, case).values() for a in found}


def test_chamber_leads_hear_while_no_advisor_is_named(world: World) -> None:
    case = create_case(world)  # started by the company: no advisor yet
    assert case.advisor_id is None
    assert told(Kind.CASE_CREATED, case) == {CH: {world.users[CL].email}}


def test_authority_leads_hear_when_the_office_has_no_caseworker(world: World) -> None:
    world.users[CW].is_active = False
    world.users[CW].save()
    case = advised_case(world)
    with transaction.atomic():
        notification_emit(kind=Kind.FILE_FORWARDED, case=case, actor=None)
    assert told(Kind.FILE_FORWARDED, case)[A] == {world.users[AL].email}


def test_the_actor_is_not_told_of_their_own_act(world: World) -> None:
    case = advised_case(world)
    with transaction.atomic():
        notification_emit(kind=Kind.STEP_RECORDED, case=case, actor=world.users[CA])
    assert told(Kind.STEP_RECORDED, case) == {C: {world.users[CHR].email}}


@pytest.mark.django_db(transaction=True)
def test_emit_outside_a_transaction_is_refused(world: World) -> None:
    case = advised_case(world)
    with pytest.raises(NotificationOutsideTransactionError):
        notification_emit(kind=Kind.STEP_RECORDED, case=case, actor=None)


def test_rows_roll_back_with_the_change(world: World) -> None:
    case = advised_case(world)
    before = (Notification.objects.count(), OutboundMail.objects.count())

    def change() -> None:
        with transaction.atomic():
            notification_emit(kind=Kind.FILE_FORWARDED, case=case, actor=None)
            raise RuntimeError("the change failed")

    with pytest.raises(RuntimeError):
        change()
    assert (Notification.objects.count(), OutboundMail.objects.count()) == before


def test_a_step_writes_its_rows_in_its_transaction_and_sends_nothing_itself(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    case = advised_case(world)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        take(case, "start_collecting", world.users[ADV])
        take(case, "submit_for_check", world.users[CA])
    # Rows and outbox exist before any commit hook ran; nothing was sent by the step itself.
    assert mail.outbox == []
    assert told(Kind.DOCUMENTS_SUBMITTED, case) == {CH: {world.users[ADV].email}}
    pending = OutboundMail.objects.filter(to=world.users[ADV].email, status="pending")
    assert pending.count() == 1
    assert callbacks  # the wake-up of the worker, after the commit
    for callback in callbacks:
        callback()
    assert [m.to for m in mail.outbox] == [[world.users[ADV].email]]


def test_worker_hears_of_the_preapproval_with_mission_and_validity_in_their_language(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    case = advised_case(world)
    Case.objects.filter(pk=case.pk).update(
        state="agreement_concluded", worker_language="en", forwarded_at=timezone.now()
    )
    Case.objects.filter(pk=case.pk).update(recognition_state="decided_full", ba_state="approved")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        take(case, "issue_preapproval", world.users[CW],
             {"reference": "AZ-1", "mission": "Generalkonsulat Bangalore"})  # fmt: skip
    to_worker = [m for m in mail.outbox if m.to == ["priya@example.org"]]
    assert len(to_worker) == 1
    text = to_worker[0].body
    assert "pre-approval" in to_worker[0].subject
    assert "Generalkonsulat Bangalore" in text
    assert "Valid until" in text
    assert "PRIYA KUMAR" in text
    # No personal data of the file beyond the name and the reference.
    for private in ("Z1234567", "1996", "Kochi", "IND"):
        assert private not in text


def test_the_documentation_lists_every_kind_and_every_clock() -> None:
    text = (Path(__file__).parents[2] / "docs" / "notifications.md").read_text()
    for kind in Kind.values:
        assert f"`{kind}`" in text, kind
    for clock in clock_registry.clocks():
        assert f"`{clock.code}`" in text, clock.code
        assert clock.legal_basis in text, clock.code
