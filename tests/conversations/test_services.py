"""Messages, audiences, attachments and Nachforderungen (lotse.conversations.services)."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone, translation

from lotse.access import messages_visible_to
from lotse.accounts.models import Role
from lotse.audit.models import AuditEvent, AuditEventConcern
from lotse.cases import deadlines
from lotse.cases.models import Case, CaseClock
from lotse.conversations.models import DocumentRequest, Message, RequestState
from lotse.conversations.selectors import (
    document_request_count,
    with_document_request_counts,
    worker_messages,
)
from lotse.conversations.services import (
    AttachmentIn,
    document_request_create,
    document_requests_lapse,
    message_post,
)
from lotse.documents.models import StoredBlob
from lotse.documents.services import document_upload
from lotse.documents.uploads import UploadRefused
from tests.conftest import World
from tests.documents.conftest import make_case, stored_files
from tests.documents.world import good_pdf

CA, CHR, ADV, CW = Role.COMPANY_ADMIN, Role.COMPANY_HR, Role.CHAMBER_ADVISOR, Role.ABH_CASEWORKER


def forward(case: Case) -> Case:
    Case.objects.filter(pk=case.pk).update(forwarded_at=timezone.now(), state="forwarded")
    return Case.objects.get(pk=case.pk)


def upload(world: World, case: Case, code: str) -> None:
    document_upload(
        case=case,
        item=case.checklist.get(document_code=code),
        data=good_pdf(),
        filename=f"{code}.pdf",
        declared_type="application/pdf",
        actor=world.users[CHR],
    )


@pytest.fixture
def case(world: World) -> Case:
    return make_case(world)


def test_message_is_audited_for_exactly_its_readers(world: World, case: Case) -> None:
    message = message_post(
        case=case, audience="company_chamber", body=" Bitte Lebenslauf. ", actor=world.users[CHR]
    )
    assert message.body == "Bitte Lebenslauf."
    assert message.author_party == "company"
    event = AuditEvent.objects.get(action="message.posted")
    assert event.object_id == str(message.pk)
    concerned = set(
        AuditEventConcern.objects.filter(event=event).values_list("organisation_id", flat=True)
    )
    assert concerned == {world.company.pk, world.ihk.pk}


def test_the_abh_is_no_audience_before_forwarding(world: World, case: Case) -> None:
    for audience in ("all", "chamber_abh"):
        with translation.override("en"), pytest.raises(ValidationError) as exc:
            message_post(case=case, audience=audience, body="Hallo", actor=world.users[ADV])
        assert "forwarded" in exc.value.message_dict["audience"][0]
    forwarded = forward(case)
    message = message_post(
        case=forwarded, audience="chamber_abh", body="Hallo", actor=world.users[ADV]
    )
    assert message.audience == "chamber_abh"


@pytest.mark.parametrize(
    ("role", "audience"),
    [(CHR, "chamber_abh"), (CW, "company_chamber"), (CW, "worker"), (CHR, "nobody")],
)
def test_a_party_writes_only_to_audiences_that_include_it(
    world: World, case: Case, role: str, audience: str
) -> None:
    forwarded = forward(case)
    with pytest.raises(ValidationError) as exc:
        message_post(case=forwarded, audience=audience, body="x", actor=world.users[role])
    assert "audience" in exc.value.message_dict


def test_outsiders_and_empty_messages_are_refused(world: World, case: Case) -> None:
    with pytest.raises(ValidationError):
        message_post(case=case, audience="all", body="x", actor=world.foreign_users[CHR])
    with pytest.raises(ValidationError) as exc:
        message_post(case=case, audience="company_chamber", body="  ", actor=world.users[CHR])
    assert "body" in exc.value.message_dict
    assert not Message.objects.exists()


@pytest.mark.parametrize(
    ("role", "foreign", "readable"),
    [
        (CHR, False, {"all", "company_chamber", "worker"}),
        (ADV, False, {"all", "company_chamber", "chamber_abh", "worker"}),
        (CW, False, {"all", "chamber_abh"}),
        (Role.PLATFORM_ADMIN, False, {"all", "company_chamber", "chamber_abh", "worker"}),
        (CHR, True, set()),
        (ADV, True, set()),
        (CW, True, set()),
    ],
)
def test_who_reads_which_audience(
    world: World, case: Case, role: str, foreign: bool, readable: set[str]
) -> None:
    forwarded = forward(case)
    for audience, author in (
        ("all", ADV),
        ("company_chamber", CHR),
        ("chamber_abh", CW),
        ("worker", CHR),
    ):
        message_post(case=forwarded, audience=audience, body="x", actor=world.users[author])
    users = world.foreign_users if foreign else world.users
    seen = set(messages_visible_to(user=users[role]).values_list("audience", flat=True))
    assert seen == readable


def test_the_abh_reads_nothing_before_forwarding(world: World, case: Case) -> None:
    message_post(case=case, audience="company_chamber", body="x", actor=world.users[CHR])
    assert not messages_visible_to(user=world.users[CW]).exists()


def test_attachments_are_checked_and_stored_encrypted(
    world: World, case: Case, document_dir: Path
) -> None:
    pdf = good_pdf()
    message = message_post(
        case=case,
        audience="company_chamber",
        body="Anbei",
        actor=world.users[CHR],
        attachments=[AttachmentIn(pdf, "anbei.pdf", "application/pdf")],
    )
    attachment = message.attachments.get()
    assert attachment.mime_type == "application/pdf"
    files = stored_files(document_dir)
    assert len(files) == 1
    assert pdf not in files[0].read_bytes()  # encrypted at rest


def test_a_refused_attachment_keeps_nothing(world: World, case: Case, document_dir: Path) -> None:
    with pytest.raises(UploadRefused):
        message_post(
            case=case,
            audience="company_chamber",
            body="Anbei",
            actor=world.users[CHR],
            attachments=[
                AttachmentIn(good_pdf(), "ok.pdf", "application/pdf"),
                AttachmentIn(b"MZ\x90\x00 not a pdf", "virus.pdf", "application/pdf"),
            ],
        )
    assert not Message.objects.exists()
    assert not StoredBlob.objects.exists()
    assert stored_files(document_dir) == []
    refusal = AuditEvent.objects.get(action="message.attachment_refused")
    assert refusal.after is not None
    assert refusal.after["filename"] == "virus.pdf"


def test_worker_messages_are_only_those_to_the_worker(world: World, case: Case) -> None:
    message_post(case=case, audience="worker", body="Bitte Pass", actor=world.users[CHR])
    message_post(case=case, audience="company_chamber", body="intern", actor=world.users[CHR])
    assert [m.body for m in worker_messages(case=case)] == ["Bitte Pass"]


# --- Nachforderung ------------------------------------------------------------------------------


def test_chamber_request_suspends_nothing_and_is_answered_by_the_uploads(
    world: World, case: Case
) -> None:
    items = list(case.checklist.filter(document_code__in=["cv", "passport"]))
    request = document_request_create(
        case=case,
        ground="chamber_completeness",
        items=items,
        reason="Lebenslauf und Pass fehlen.",
        due_on=timezone.localdate() + dt.timedelta(days=14),
        actor=world.users[ADV],
    )
    assert request.suspended_clocks == []
    assert request.message.audience == "company_chamber"
    upload(world, case, "cv")
    request.refresh_from_db()
    assert request.state == RequestState.OPEN  # the passport is still missing
    upload(world, case, "passport")
    request.refresh_from_db()
    assert request.state == RequestState.ANSWERED
    assert AuditEvent.objects.filter(action="document_request.answered").count() == 1


def test_a_document_uploaded_before_the_request_does_not_answer_it(
    world: World, case: Case
) -> None:
    upload(world, case, "cv")
    request = document_request_create(
        case=case,
        ground="chamber_completeness",
        items=[case.checklist.get(document_code="cv")],
        reason="Der Lebenslauf hat Lücken; bitte korrigiert hochladen.",
        due_on=timezone.localdate(),
        actor=world.users[ADV],
    )
    upload(world, case, "passport")
    request.refresh_from_db()
    assert request.state == RequestState.OPEN
    upload(world, case, "cv")
    request.refresh_from_db()
    assert request.state == RequestState.ANSWERED


def _recognition_clock(case: Case, started: dt.date) -> CaseClock:
    deadlines.apply_events(case, [("recognition_file_complete", started)])
    return case.clocks.get(code="recognition_decision")


def test_recognition_body_request_halts_the_decision_period_until_its_due_date(
    world: World, case: Case, time_machine: object
) -> None:
    """§ 14a Abs. 4 Satz 1 BQFG: the period is suspended "bis zum Ablauf der von der zuständigen
    Stelle festgelegten Frist", even when the documents arrive earlier."""
    time_machine.move_to(dt.datetime(2027, 1, 4, 9, tzinfo=dt.UTC))  # type: ignore[attr-defined]
    case = forward(case)
    clock = _recognition_clock(case, dt.date(2027, 1, 4))
    due_before = clock.due_on
    assert due_before is not None
    request = document_request_create(
        case=case,
        ground="recognition_body",
        items=[case.checklist.get(document_code="cv")],
        reason="Die Anerkennungsstelle braucht Arbeitszeugnisse.",
        due_on=dt.date(2027, 2, 1),
        actor=world.users[CW],
    )
    assert request.message.audience == "all"
    assert request.suspended_clocks == ["recognition_decision"]
    clock.refresh_from_db()
    assert clock.due_on is None  # halted
    time_machine.move_to(dt.datetime(2027, 1, 14, 9, tzinfo=dt.UTC))  # type: ignore[attr-defined]
    upload(world, case, "cv")
    request.refresh_from_db()
    clock.refresh_from_db()
    assert request.state == RequestState.ANSWERED
    assert clock.suspensions[-1]["end"] == "2027-02-01"  # the due date, not the upload (14 Jan)
    assert clock.due_on is not None
    assert clock.due_on > due_before  # the halted days are added
    # 5 Jan – 1 Feb, 28 days (the starting day itself is not counted, § 187 Abs. 1 BGB).
    assert clock.due_on == due_before + dt.timedelta(days=28)


def test_recognition_suspension_ends_with_the_due_date(world: World, case: Case) -> None:
    today = timezone.localdate()
    case = forward(case)
    clock = _recognition_clock(case, today)
    request = document_request_create(
        case=case,
        ground="recognition_body",
        items=[case.checklist.get(document_code="cv")],
        reason="Arbeitszeugnisse",
        due_on=today + dt.timedelta(days=7),
        actor=world.users[CW],
    )
    assert document_requests_lapse(today=today + dt.timedelta(days=7)) == []
    lapsed = document_requests_lapse(today=today + dt.timedelta(days=8))
    assert [r.pk for r in lapsed] == [request.pk]
    clock.refresh_from_db()
    assert clock.suspensions[-1]["end"] == (today + dt.timedelta(days=7)).isoformat()
    assert clock.due_on is not None


def test_ba_request_restarts_the_deemed_approval_week(world: World, case: Case) -> None:
    today = timezone.localdate()
    case = forward(case)
    deadlines.apply_events(case, [("ba_approval_requested", today)])
    request = document_request_create(
        case=case,
        ground="ba",
        items=[case.checklist.get(document_code="cv")],
        reason="Die BA fragt nach der Stellenbeschreibung.",
        due_on=today + dt.timedelta(days=5),
        actor=world.users[CW],
    )
    assert request.suspended_clocks == ["ba_deemed_approval"]
    assert case.clocks.get(code="ba_deemed_approval").due_on is None


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"due_on": dt.date(2020, 1, 1)}, "due_on"),
        ({"due_on": None}, "due_on"),
        ({"reason": "   "}, "reason"),
        ({"items": []}, "items"),
        ({"ground": "recognition_body"}, "ground"),  # the ABH's ground, not the chamber's
        ({"ground": "invented"}, "ground"),
    ],
)
def test_request_is_validated_against_the_case(
    world: World, case: Case, changes: dict[str, object], field: str
) -> None:
    values: dict[str, object] = {
        "ground": "chamber_completeness",
        "items": [case.checklist.get(document_code="cv")],
        "reason": "fehlt",
        "due_on": timezone.localdate() + dt.timedelta(days=3),
        **changes,
    }
    with pytest.raises(ValidationError) as exc:
        document_request_create(case=case, actor=world.users[ADV], **values)  # type: ignore[arg-type]
    assert field in exc.value.message_dict
    assert not DocumentRequest.objects.exists()
    assert not Message.objects.exists()


def test_items_of_another_case_and_a_far_due_date_are_refused(world: World, case: Case) -> None:
    other = make_case(world)
    with pytest.raises(ValidationError) as exc:
        document_request_create(
            case=case,
            ground="chamber_completeness",
            items=[other.checklist.get(document_code="cv")],
            reason="fehlt",
            due_on=timezone.localdate() + dt.timedelta(days=400),
            actor=world.users[ADV],
        )
    assert set(exc.value.message_dict) == {"items", "due_on"}


def test_the_company_requests_nothing(world: World, case: Case) -> None:
    with pytest.raises(ValidationError):
        document_request_create(
            case=case,
            ground="chamber_completeness",
            items=[case.checklist.get(document_code="cv")],
            reason="x",
            due_on=timezone.localdate(),
            actor=world.users[CA],
        )


def test_requests_are_counted_per_case_and_party(world: World, case: Case) -> None:
    other = make_case(world)
    for _ in range(2):
        document_request_create(
            case=case,
            ground="chamber_completeness",
            items=[case.checklist.get(document_code="cv")],
            reason="x",
            due_on=timezone.localdate(),
            actor=world.users[ADV],
        )
    forwarded = forward(case)
    document_request_create(
        case=forwarded,
        ground="abh_own",
        items=[forwarded.checklist.get(document_code="cv")],
        reason="x",
        due_on=timezone.localdate(),
        actor=world.users[CW],
    )
    counted = {
        c.pk: (c.document_requests_total, c.abh_document_requests, c.chamber_document_requests)
        for c in with_document_request_counts(Case.objects.filter(pk__in=[case.pk, other.pk]))
    }
    assert counted == {case.pk: (3, 1, 2), other.pk: (0, 0, 0)}
    assert document_request_count(case=case) == 3
    assert document_request_count(case=case, party="abh") == 1


def test_lapse_command_closes_overdue_recognition_requests(world: World, case: Case) -> None:
    today = timezone.localdate()
    case = forward(case)
    _recognition_clock(case, today - dt.timedelta(days=20))
    with time_machine.travel(today - dt.timedelta(days=10), tick=False):
        document_request_create(
            case=case,
            ground="recognition_body",
            items=[case.checklist.get(document_code="cv")],
            reason="Zeugnisse",
            due_on=today - dt.timedelta(days=3),
            actor=world.users[CW],
        )
    out = io.StringIO()
    call_command("document_requests_lapse", stdout=out)
    assert out.getvalue().startswith("1 request")
    assert DocumentRequest.objects.get().state == RequestState.LAPSED
