"""Guards, what steps record, history and audit in one transaction, conflicts, e-mails."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from lotse.audit.models import AuditEvent
from lotse.cases import services, timeline, workflow
from lotse.cases.models import BaState, Case, CaseState, CaseTransition, RecognitionState, Title
from lotse.notifications.models import Notification
from lotse.organisations.services import site_create
from lotse.rules import documents as rules_documents
from tests.cases.conftest import (
    ADV,
    CA,
    CHR,
    CW,
    WORKER,
    create_case,
    drive,
    powers_on_paper,
    take,
    tick_all,
)
from tests.conftest import World
from tests.rules.profiles import VOCATIONAL

TODAY = dt.date.today()


def _refused(case: Case, step: str, user: Any, data: dict[str, Any] | None = None) -> Exception:
    with pytest.raises(workflow.StepRefusedError) as info:
        take(case, step, user, data)
    return info.value


def test_it_refuses_to_forward_while_mandatory_documents_are_missing(world: World) -> None:
    case = drive(world, create_case(world), "record_powers_signed")
    powers_on_paper(case, world.users[ADV])
    case = take(case, "record_powers_signed", world.users[CA],
                {"power_of_attorney_signed_on": "2026-01-05",
                 "sub_power_of_attorney_signed_on": "2026-01-06"})  # fmt: skip
    error = _refused(case, "forward", world.users[ADV])
    assert error.code == "guard_failed:checklist_complete"
    assert "Still missing" in error.message or "Es fehlt noch" in error.message
    assert "Reisepass" in error.message or "Passport" in error.message
    tick_all(case, world.users[ADV])
    assert take(case, "forward", world.users[ADV]).state == CaseState.FORWARDED


def test_it_refuses_to_forward_without_the_signing_dates(world: World) -> None:
    case = drive(world, create_case(world), "forward")
    Case.objects.filter(pk=case.pk).update(sub_power_of_attorney_signed_on=None)
    assert _refused(case, "forward", world.users[ADV]).code == "guard_failed:powers_recorded"


def test_the_gaps_are_recorded_when_the_chamber_returns_the_file(world: World) -> None:
    case = drive(world, create_case(world), "record_powers_signed")
    case = take(case, "return_gaps", world.users[ADV], {"reason": "Bitte Lebenslauf auf Deutsch"})
    row = case.transitions.get(action="return_gaps")
    assert case.state == CaseState.COLLECTING_DOCUMENTS
    assert "cv" in row.data["gaps"]
    assert "passport" in row.data["gaps"]
    assert row.reason == "Bitte Lebenslauf auf Deutsch"


def test_recognition_steps_wait_for_the_agreement(world: World) -> None:
    case = drive(world, create_case(world), "conclude_agreement")
    error = _refused(case, "recognition_initiate", world.users[CW], {"body": "ihk-fosa"})
    assert error.code == "guard_failed:agreement_in_force"
    assert "§ 81a Abs. 2" in error.message


def test_the_preapproval_needs_every_required_result(world: World) -> None:
    case = drive(world, create_case(world), "recognition_initiate")
    error = _refused(case, "issue_preapproval", world.users[CW])
    assert error.code == "guard_failed:recognition_result_in"
    for step, data in (("recognition_initiate", {"body": "ihk-fosa"}),
                       ("recognition_confirm_receipt", {}), ("recognition_file_complete", {}),
                       ("recognition_decide_full", {})):  # fmt: skip
        case = take(case, step, world.users[CW], data)
    assert _refused(case, "issue_preapproval", world.users[CW]).code == "guard_failed:ba_result_in"
    case = take(case, "ba_request", world.users[CW])
    case = take(case, "ba_approve", world.users[CW])
    case = take(case, "issue_preapproval", world.users[CW], {"reference": "AZ 1"})
    assert case.state == CaseState.PREAPPROVAL_ISSUED
    assert case.preapprovals.get().valid_until is not None


def test_a_title_that_needs_neither_skips_both_tracks(world: World) -> None:
    # A Blue Card above the general threshold with a comparable degree: no recognition, no BA.
    case = create_case(world, title="18g", recognition="", ba=False)
    assert case.recognition_state == RecognitionState.NOT_REQUIRED
    assert case.ba_state == BaState.NOT_REQUIRED
    case = drive(world, case, "recognition_initiate")
    assert [s.name for s in workflow.next_steps(case)] == ["issue_preapproval"]
    case = take(case, "issue_preapproval", world.users[CW])
    entries = {e.key: e for e in timeline.build(case, TODAY)}
    assert entries["recognition"].status == "skipped"
    assert entries["ba"].status == "skipped"
    assert not case.transitions.filter(track__in=("recognition_state", "ba_state")).exists()
    assert not case.clocks.filter(code__in=("recognition_receipt", "ba_deemed_approval")).exists()


def test_the_deemed_approval_is_confirmed_only_after_the_ba_week(world: World) -> None:
    case = drive(world, create_case(world, recognition=""), "recognition_initiate")
    case = take(case, "ba_request", world.users[CW], {"occurred_on": TODAY.isoformat()})
    error = _refused(case, "ba_confirm_deemed", world.users[CW])
    assert error.code == "guard_failed:ba_week_passed"
    later = TODAY + dt.timedelta(days=14)
    case = take(case, "ba_confirm_deemed", world.users[CW], today=later)
    assert case.ba_state == BaState.DEEMED_APPROVED
    assert case.ba_approvals.get().outcome == "deemed"


def test_partial_equivalence_continues_towards_16d(world: World) -> None:
    case = drive(world, create_case(world), "recognition_decide_full")
    assert _refused(case, "switch_to_16d", world.users[CW], {"reason": "x"}).code == (
        "guard_failed:partial_decision"
    )
    case = take(case, "recognition_decide_partial", world.users[CW])
    assert _refused(case, "issue_preapproval", world.users[CW]).code == (
        "guard_failed:recognition_result_in"
    )
    before = case.checklist.count()
    case = take(case, "switch_to_16d", world.users[CW], {"reason": "Anpassungslehrgang"})
    assert case.title == Title.T16D1
    assert case.ba_state == BaState.PENDING  # § 16d Abs. 1 needs the BA
    assert case.checklist.count() > before
    assert case.checklist.filter(document_code="qualification_plan").exists()
    case = take(case, "ba_request", world.users[CW])
    case = take(case, "ba_approve", world.users[CW])
    assert take(case, "issue_preapproval", world.users[CW]).state == CaseState.PREAPPROVAL_ISSUED


def test_an_expired_preapproval_is_recorded_only_once_it_has_lapsed(world: World) -> None:
    case = drive(world, create_case(world), "issue_preapproval")
    case = take(case, "issue_preapproval", world.users[CW])
    assert _refused(case, "expire_preapproval", world.users[CW]).code == (
        "guard_failed:preapproval_lapsed"
    )
    case = take(case, "expire_preapproval", world.users[CW], today=TODAY + dt.timedelta(days=120))
    assert case.state == CaseState.PREAPPROVAL_EXPIRED
    assert workflow.is_ended(case)


def test_a_step_in_the_wrong_state_says_where_the_case_is(world: World) -> None:
    case = create_case(world)
    error = _refused(case, "accept_intake", world.users[ADV])
    assert isinstance(error, workflow.NotYourStepError)
    case = drive(world, case, "accept_intake")
    case = take(case, "accept_intake", world.users[CW])
    error = _refused(case, "accept_intake", world.users[CW])
    assert error.code == "wrong_state"


def test_unknown_steps_and_values_are_named(world: World) -> None:
    case = drive(world, create_case(world), "conclude_agreement")
    with pytest.raises(workflow.UnknownStepError):
        take(case, "approve_everything", world.users[CW])
    with pytest.raises(ValidationError) as info:
        take(case, "conclude_agreement", world.users[CW], {"fee_paid_on": "gestern", "colour": 1})
    assert set(info.value.message_dict) == {"fee_paid_on", "colour"}
    tomorrow = (TODAY + dt.timedelta(days=1)).isoformat()
    with pytest.raises(ValidationError) as info:
        take(case, "conclude_agreement", world.users[CW], {"fee_paid_on": tomorrow})
    assert "fee_paid_on" in info.value.message_dict


def test_a_stale_version_is_a_conflict_and_nothing_is_saved(world: World) -> None:
    case = drive(world, create_case(world), "accept_intake")
    stale = case.version
    take(case, "accept_intake", world.users[CW])
    history = CaseTransition.objects.count()
    events = AuditEvent.objects.count()
    with pytest.raises(services.CaseConflictError) as info:
        services.case_transition(case=case, action="return_to_chamber", actor=world.users[CW],
                                 data={"reason": "zu spät"}, expected_version=stale)  # fmt: skip
    assert info.value.current_version == stale + 1
    fresh = Case.objects.get(pk=case.pk)
    assert fresh.state == CaseState.INTAKE_ACCEPTED
    assert fresh.version == stale + 1
    assert CaseTransition.objects.count() == history
    assert AuditEvent.objects.count() == events


def test_every_step_writes_history_and_audit_together(world: World) -> None:
    case = drive(world, create_case(world), "accept_intake")
    case = take(case, "accept_intake", world.users[CW])
    row = case.transitions.get(action="accept_intake")
    assert (row.from_state, row.to_state, row.version) == (
        "forwarded",
        "intake_accepted",
        case.version,
    )
    assert row.legal_basis == "§ 81a Abs. 1 AufenthG"
    assert row.actor == world.users[CW]
    event = AuditEvent.objects.get(action="case.accept_intake")
    assert event.after is not None
    assert event.after["state"] == "intake_accepted"
    assert {o.pk for o in event.concerns.all()} == {world.company.pk, world.ihk.pk, world.lra.pk}
    # A refused step leaves neither.
    events = AuditEvent.objects.count()
    _refused(case, "accept_intake", world.users[CW])
    assert AuditEvent.objects.count() == events
    assert case.transitions.filter(action="accept_intake").count() == 1


def test_protected_state_cannot_be_set_directly(world: World) -> None:
    case = create_case(world)
    with pytest.raises(AttributeError):
        case.state = CaseState.CLOSED  # type: ignore[misc]


def test_state_changes_notify_company_and_advisor_in_their_language(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    # A step the company only waits for is a notification row (daily summary by default), not
    # an e-mail per step; a step that needs the company's action is mailed at once, in its
    # language (lotse.notifications).
    hr = world.users[CHR]
    hr.language = "en"
    hr.save()
    case = create_case(world, actor=world.users[ADV])  # the advisor becomes the case's advisor
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        take(case, "start_collecting", world.users[ADV])
    assert mail.outbox == []
    assert set(
        Notification.objects.filter(case=case, kind="step_recorded").values_list(
            "recipient__email", flat=True
        )
    ) == {world.users[CA].email, hr.email}  # the actor (advisor) is not told
    with django_capture_on_commit_callbacks(execute=True):
        take(case, "submit_for_check", world.users[CA])
    assert [m.to[0] for m in mail.outbox] == [world.users[ADV].email]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        take(case, "return_gaps", world.users[ADV], {"reason": "Passkopie unleserlich"})
    to = {m.to[0]: m for m in mail.outbox}
    assert {world.users[CA].email, hr.email} <= set(to)
    assert "documents still missing" in to[hr.email].subject
    assert "Unterlagen fehlen noch" in to[world.users[CA].email].subject
    assert case.reference in to[hr.email].body


def test_nothing_is_mailed_when_the_step_fails(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    case = create_case(world)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(workflow.StepRefusedError):
        take(case, "forward", world.users[ADV])
    assert mail.outbox == []


# ------------------------------------------------------------------------------ creation


def test_reference_numbers_count_up_per_year(world: World) -> None:
    first, second = create_case(world), create_case(world)
    year = TODAY.year
    assert first.reference == f"LB-{year}-00001"
    assert second.reference == f"LB-{year}-00002"


def test_a_site_outside_the_cooperation_is_refused_with_the_office_to_turn_to(world: World) -> None:
    site = site_create(company=world.company, actor=None, label="Lager", street="Bahnhofstr. 1",
                       postcode="74321", municipality="Bietigheim-Bissingen")  # fmt: skip
    with pytest.raises(ValidationError) as info:
        services.case_create(actor=world.users[CA], company=world.company, site=site,
                             worker=WORKER, title="18a")  # fmt: skip
    message = " ".join(info.value.message_dict["site"])
    assert "Bietigheim-Bissingen" in message
    assert "Kammerkooperation" in message


def test_a_site_outside_the_district_names_the_state_agency(world: World) -> None:
    site = site_create(company=world.company, actor=None, label="Büro", street="Königstr. 1",
                       postcode="70173", municipality="Stuttgart")  # fmt: skip
    with pytest.raises(ValidationError) as info:
        services.case_create(actor=world.users[CA], company=world.company, site=site,
                             worker=WORKER, title="18a")  # fmt: skip
    message = " ".join(info.value.message_dict["site"])
    assert "Stuttgart" in message
    assert "Landesagentur" in message


def test_a_case_from_a_quick_check_keeps_the_result_and_its_ruleset(world: World) -> None:
    case = services.case_create(actor=world.users[ADV], company=world.company,
                                site=world.company.sites.get(), worker=WORKER,
                                quickcheck_input=VOCATIONAL)  # fmt: skip
    result = case.quickcheck_result
    assert result is not None
    assert case.ruleset_version == result["ruleset"]
    assert case.title == result["recommended"]["title"]
    option = next(o for o in result["options"] if o["title"] == case.title)
    assert set(case.checklist.values_list("document_code", flat=True)) == {
        d["code"] for d in option["documents"]
    }
    assert case.advisor == world.users[ADV]
    assert case.authority == world.lra
    expected_ba = BaState.PENDING if option["ba_approval"] == "required" else BaState.NOT_REQUIRED
    assert case.ba_state == expected_ba


def test_a_case_from_scratch_gets_every_step_its_title_may_need(world: World) -> None:
    case = services.case_create(actor=world.users[CA], company=world.company,
                                site=world.company.sites.get(), worker=WORKER, title="18b")  # fmt: skip
    assert case.quickcheck_result is None
    assert case.recognition_kind == "comparability"
    assert case.recognition_state == "pending"
    assert case.ba_state == BaState.PENDING
    assert {i.document_code for i in case.checklist.all()} == {
        row.code for row in rules_documents.matrix("18b")
    }


def test_a_broken_quick_check_input_names_the_field(world: World) -> None:
    with pytest.raises(ValidationError) as info:
        services.case_create(actor=world.users[CA], company=world.company,
                             site=world.company.sites.get(), worker=WORKER,
                             quickcheck_input={**VOCATIONAL, "colour": "blue"})  # fmt: skip
    assert "colour" in " ".join(info.value.message_dict["quickcheck_input"])


def test_worker_data_is_checked(world: World) -> None:
    bad: dict[str, Any] = {
        **WORKER,
        "worker_nationality": "India",
        "worker_passport_expiry": "2020-01-01",
    }
    with pytest.raises(ValidationError) as info:
        services.case_create(actor=world.users[CA], company=world.company,
                             site=world.company.sites.get(), worker=bad, title="18a")  # fmt: skip
    assert {"worker_nationality", "worker_passport_expiry"} <= set(info.value.message_dict)


def test_the_abh_cannot_start_a_case_and_companies_only_their_own(world: World) -> None:
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        create_case(world, actor=world.users[CW])
    with pytest.raises(PermissionDenied):
        create_case(world, actor=world.foreign_users[CA])
    with pytest.raises(PermissionDenied):
        create_case(world, actor=world.foreign_users[ADV])  # the HWK does not serve this company


def test_family_members_join_the_case(world: World) -> None:
    case = services.case_create(
        actor=world.users[CA], company=world.company, site=world.company.sites.get(),
        worker=WORKER, title="18a",
        family=[{"relation": "spouse", "surname": "KUMAR", "given_names": "ARJUN",
                 "birth_date": "1994-02-01", "nationality": "IND"}],
    )  # fmt: skip
    assert [str(m) for m in case.family_members.all()] == ["ARJUN KUMAR"]
