"""/api/v1/cases: create, list, read, timeline, deadlines, checklist, transitions and refusals."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.test import Client

from lotse.cases.models import Case, CaseState
from tests.cases.conftest import ADV, CA, CW, WORKER, create_case, drive, take
from tests.conftest import World
from tests.rules.profiles import VOCATIONAL

WORKER_IN = {k.removeprefix("worker_"): v for k, v in WORKER.items()}


def _post(client: Client, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, body, content_type="application/json")


def test_a_company_starts_a_case_from_scratch(
    world: World, client_for: Callable[..., Client]
) -> None:
    client = client_for(world.users[CA])
    site = world.company.sites.get()
    response = _post(client, "/api/v1/cases", {
        "site_id": site.pk, "worker": WORKER_IN, "title": "18a",
        "recognition_body": "ihk-fosa"})  # fmt: skip
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["reference"].startswith("LB-")
    assert body["state"] == "advice"
    assert body["authority"]["name"] == world.lra.name
    assert body["worker"]["surname"] == "KUMAR"
    assert body["next_steps"] == ["start_collecting"]


def test_an_advisor_starts_a_case_from_a_quick_check(
    world: World, client_for: Callable[..., Client]
) -> None:
    client = client_for(world.users[ADV])
    response = _post(client, "/api/v1/cases", {"site_id": world.company.sites.get().pk,
                                               "worker": WORKER_IN, "quickcheck_input": VOCATIONAL})  # fmt: skip
    assert response.status_code == 201, response.json()
    assert response.json()["ruleset_version"]
    assert response.json()["advisor"] == world.users[ADV].display_name


def test_creation_refusals(world: World, client_for: Callable[..., Client]) -> None:
    site = world.company.sites.get()
    body = {"site_id": site.pk, "worker": WORKER_IN, "title": "18a"}
    assert _post(client_for(world.users[CW]), "/api/v1/cases", body).status_code == 404
    assert _post(client_for(world.foreign_users[CA]), "/api/v1/cases", body).status_code == 404
    bad = _post(client_for(world.users[CA]), "/api/v1/cases",
                {**body, "worker": {**WORKER_IN, "nationality": "India"}})  # fmt: skip
    assert bad.status_code == 422
    assert bad.json()["field_errors"][0]["field"] == "worker_nationality"


def test_list_filters_and_pagination(world: World, client_for: Callable[..., Client]) -> None:
    first = create_case(world)
    second = drive(world, create_case(world), "submit_for_check")
    client = client_for(world.users[ADV])
    body = client.get("/api/v1/cases?limit=1").json()
    assert body["count"] == 2
    assert len(body["items"]) == 1
    states = client.get("/api/v1/cases?state=collecting_documents").json()
    assert [c["id"] for c in states["items"]] == [second.pk]
    assert client.get(f"/api/v1/cases?q={first.reference}").json()["count"] == 1
    assert client_for(world.users[CW]).get("/api/v1/cases").json()["count"] == 0


def test_read_timeline_deadlines_checklist(world: World, client_for: Callable[..., Client]) -> None:
    case = drive(world, create_case(world), "recognition_confirm_receipt")
    client = client_for(world.users[CW])
    assert client.get(f"/api/v1/cases/{case.pk}").json()["state"] == "agreement_concluded"
    timeline = client.get(f"/api/v1/cases/{case.pk}/timeline").json()
    assert [e["status"] for e in timeline[:7]] == ["done"] * 7
    recognition = next(e for e in timeline if e["key"] == "recognition")
    assert recognition["children"][0]["status"] == "done"
    assert recognition["children"][1]["due"] is not None
    clocks = client.get(f"/api/v1/cases/{case.pk}/deadlines").json()
    assert [c["code"] for c in clocks] == ["recognition_receipt"]
    assert clocks[0]["legal_basis"].startswith("§ 14a Abs. 2 Satz 1 BQFG")  # issue 10: the sentence
    items = client.get(f"/api/v1/cases/{case.pk}/checklist").json()
    assert all(i["satisfied"] for i in items if i["requirement"] == "mandatory")


def test_transitions_and_their_errors(world: World, client_for: Callable[..., Client]) -> None:
    case = drive(world, create_case(world), "forward")
    url = f"/api/v1/cases/{case.pk}/transitions"
    advisor = client_for(world.users[ADV])
    ok = _post(advisor, url, {"action": "forward", "version": case.version})
    assert ok.status_code == 201, ok.json()
    assert ok.json()["to_state"] == "forwarded"
    version = ok.json()["version"]
    abh = client_for(world.users[CW])
    # Someone else's step: 403.
    assert _post(advisor, url, {"action": "accept_intake", "version": version}).json()["code"] == (
        "not_your_step"
    )
    # A stale version: 409 with a clear message.
    stale = _post(abh, url, {"action": "accept_intake", "version": version - 1})
    assert stale.status_code == 409
    assert stale.json()["code"] == "version_conflict"
    # The wrong state: 409.
    wrong = _post(abh, url, {"action": "issue_preapproval", "version": version})
    assert (wrong.status_code, wrong.json()["code"]) == (409, "wrong_state")
    # Missing data: 422 naming the field.
    take(case, "accept_intake", world.users[CW])
    missing = _post(abh, url, {"action": "conclude_agreement", "version": version + 1, "data": {}})
    assert missing.status_code == 422
    assert missing.json()["field_errors"][0]["field"] == "fee_paid_on"
    # An action outside the enum: 422.
    assert _post(abh, url, {"action": "approve_everything", "version": 1}).status_code == 422
    # A failed guard says which one.
    Case.objects.filter(pk=case.pk).update(state=CaseState.AGREEMENT_CONCLUDED)
    guard = _post(abh, url, {"action": "issue_preapproval", "version": version + 1})
    assert (guard.status_code, guard.json()["code"]) == (409, "guard_failed:recognition_result_in")
    assert (
        "recognition" in guard.json()["message"].lower()
        or "anerkennung" in guard.json()["message"].lower()
    )


def test_the_openapi_document_lists_the_actions(client: Client) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    enum = schema["components"]["schemas"]["CaseAction"]["enum"]
    assert "issue_preapproval" in enum
    assert "ba_confirm_deemed" in enum
