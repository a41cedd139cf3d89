"""The server decides what a case needs: a client's result, list or flag is input, never truth."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.test import Client

from lotse.cases.models import Case, CaseState
from lotse.rules import documents as rules_documents
from lotse.rules.quickcheck import evaluate_data
from tests.cases.conftest import ADV, CA, CW, WORKER, drive
from tests.conftest import World
from tests.rules.profiles import ACADEMIC, VOCATIONAL

WORKER_IN = {k.removeprefix("worker_"): v for k, v in WORKER.items()}


def _post(client: Client, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, body, content_type="application/json")


def _fake_result() -> dict[str, Any]:
    """A made-up § 18b result: no documents, no recognition, BA approval not required."""
    result = evaluate_data(ACADEMIC).to_dict()
    for option in result["options"]:
        option["documents"] = []
        option["ba_approval"] = "not_required"
        option["recognition"] = {"required": False, "kind": None, "body": None}
    result["recommended"] = {**(result.get("recommended") or {}), "title": "18b"}
    return result


def test_a_client_sent_quick_check_result_is_refused(
    world: World, client_for: Callable[..., Client]
) -> None:
    client = client_for(world.users[CA])
    body = {"site_id": world.company.sites.get().pk, "worker": WORKER_IN, "title": "18b",
            "quickcheck_result": _fake_result()}  # fmt: skip
    response = _post(client, "/api/v1/cases", body)
    assert response.status_code == 422, response.json()
    assert not Case.objects.exists()


def test_client_sent_needs_are_refused(world: World, client_for: Callable[..., Client]) -> None:
    client = client_for(world.users[CA])
    base = {"site_id": world.company.sites.get().pk, "worker": WORKER_IN, "title": "18b"}
    for extra in ({"ba_required": False}, {"recognition_kind": ""}, {"documents": []}):
        response = _post(client, "/api/v1/cases", {**base, **extra})
        assert response.status_code == 422, (extra, response.json())
    assert not Case.objects.exists()


def test_from_scratch_the_ruleset_decides_the_checklist_and_the_tracks(
    world: World, client_for: Callable[..., Client]
) -> None:
    client = client_for(world.users[CA])
    response = _post(client, "/api/v1/cases",
                     {"site_id": world.company.sites.get().pk, "worker": WORKER_IN, "title": "18b"})  # fmt: skip
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["recognition_state"], body["ba_state"]) == ("pending", "pending")
    checklist = client.get(f"/api/v1/cases/{body['id']}/checklist").json()
    mandatory = {r.code for r in rules_documents.matrix("18b") if r.requirement == "mandatory"
                 and r.when is None}  # fmt: skip
    assert mandatory
    assert mandatory <= {item["document_code"] for item in checklist}


def test_a_quick_check_input_is_evaluated_by_the_server(
    world: World, client_for: Callable[..., Client]
) -> None:
    client = client_for(world.users[ADV])
    response = _post(client, "/api/v1/cases", {"site_id": world.company.sites.get().pk,
                     "worker": WORKER_IN, "quickcheck_input": VOCATIONAL})  # fmt: skip
    assert response.status_code == 201, response.json()
    case = Case.objects.get(pk=response.json()["id"])
    assert case.quickcheck_result == evaluate_data(VOCATIONAL).to_dict()


def test_a_shaped_case_cannot_be_forwarded_nor_pre_approved(
    world: World, client_for: Callable[..., Client]
) -> None:
    """Whatever a stored list or flag says, the gates ask the ruleset for the title."""
    response = _post(client_for(world.users[CA]), "/api/v1/cases",
                     {"site_id": world.company.sites.get().pk, "worker": WORKER_IN,
                      "title": "18a", "recognition_body": "ihk-fosa"})  # fmt: skip
    case = Case.objects.get(pk=response.json()["id"])
    case = drive(world, case, "forward")
    # Shape the stored data as a made-up result would have: no passport row, no BA, no recognition.
    case.checklist.filter(document_code="passport").delete()
    Case.objects.filter(pk=case.pk).update(ba_state="not_required", recognition_state="not_required",
                                           quickcheck_result=_fake_result())  # fmt: skip
    case = Case.objects.get(pk=case.pk)
    chamber = client_for(world.users[ADV])
    refused = _post(chamber, f"/api/v1/cases/{case.pk}/transitions",
                    {"action": "forward", "version": case.version, "data": {}})  # fmt: skip
    assert refused.status_code == 409, refused.json()
    assert refused.json()["code"] == "guard_failed:checklist_complete"
    # Forwarded anyway (state set directly), the ABH still cannot issue the pre-approval.
    Case.objects.filter(pk=case.pk).update(state=CaseState.AGREEMENT_CONCLUDED,
                                           forwarded_at=case.created_at)  # fmt: skip
    case = Case.objects.get(pk=case.pk)
    refused = _post(client_for(world.users[CW]), f"/api/v1/cases/{case.pk}/transitions",
                    {"action": "issue_preapproval", "version": case.version, "data": {}})  # fmt: skip
    assert refused.status_code == 409, refused.json()
    assert refused.json()["code"] == "guard_failed:ruleset_needs_met"


def test_an_advisory_record_of_another_company_cannot_start_a_case(
    world: World, client_for: Callable[..., Client]
) -> None:
    from lotse.advice.services import advisory_record_create

    record = advisory_record_create(actor=world.foreign_users[ADV], company=world.other_company,
                                    profile=dict(VOCATIONAL))  # fmt: skip
    response = _post(client_for(world.users[CA]), "/api/v1/cases",
                     {"site_id": world.company.sites.get().pk, "worker": WORKER_IN,
                      "advisory_record_id": record.pk})  # fmt: skip
    assert response.status_code == 404
    assert not Case.objects.exists()


def test_a_saved_advisory_record_starts_a_case_with_its_evaluation(
    world: World, client_for: Callable[..., Client]
) -> None:
    from lotse.advice.services import advisory_record_create

    record = advisory_record_create(actor=world.users[ADV], company=world.company,
                                    profile=dict(ACADEMIC))  # fmt: skip
    response = _post(client_for(world.users[CA]), "/api/v1/cases",
                     {"site_id": world.company.sites.get().pk, "worker": WORKER_IN,
                      "advisory_record_id": record.pk, "title": "18g"})  # fmt: skip
    assert response.status_code == 201, response.json()
    case = Case.objects.get(pk=response.json()["id"])
    record.refresh_from_db()
    assert record.case_id == case.pk
    assert case.quickcheck_result == record.result
    assert (case.recognition_state, case.ba_state) == ("not_required", "not_required")
