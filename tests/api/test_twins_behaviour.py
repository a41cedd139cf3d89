"""The API twins of the page actions do what the pages do, through the same services."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core import mail
from django.test import Client

from lotse.accounts.models import ApiToken, Invitation, User
from lotse.audit.models import AuditEvent
from lotse.cases.models import Case
from tests.cases.conftest import ADV, CA, CL, CW, WORKER
from tests.conftest import World

WORKER_IN = {k.removeprefix("worker_"): v for k, v in WORKER.items()}


def _send(client: Client, method: str, url: str, body: dict[str, Any] | None = None) -> Any:
    return getattr(client, method)(url, body or {}, content_type="application/json")


def _step(client: Client, case_id: int, action: str, data: dict[str, Any] | None = None) -> Any:
    version = client.get(f"/api/v1/cases/{case_id}").json()["version"]
    body = {"action": action, "version": version, "data": data or {}}
    return _send(client, "post", f"/api/v1/cases/{case_id}/transitions", body)


def test_a_chamber_forwards_a_file_through_the_api_alone(
    world: World, client_for: Callable[..., Client]
) -> None:
    """Before, the checklist could be completed only on the page, so "forward" always failed its
    checklist guard through the API."""
    company, chamber = client_for(world.users[CA]), client_for(world.users[ADV])
    created = _send(company, "post", "/api/v1/cases", {
        "site_id": world.company.sites.get().pk, "worker": WORKER_IN, "title": "18a",
        "recognition_body": "ihk-fosa"})  # fmt: skip
    assert created.status_code == 201, created.json()
    case_id = created.json()["id"]
    assert _step(chamber, case_id, "start_collecting").status_code == 201
    assert _step(company, case_id, "submit_for_check").status_code == 201
    checklist = chamber.get(f"/api/v1/cases/{case_id}/checklist").json()
    for item in checklist:
        if item["requirement"] == "mandatory":
            url = f"/api/v1/cases/{case_id}/checklist/{item['id']}"
            ticked = _send(chamber, "post", url, {"operation": "paper"})
            assert ticked.status_code == 200, ticked.json()
            assert ticked.json()["satisfied"] is True
    powers = _step(company, case_id, "record_powers_signed", {
        "power_of_attorney_signed_on": "2026-01-05",
        "sub_power_of_attorney_signed_on": "2026-01-06"})  # fmt: skip
    assert powers.status_code == 201, powers.json()
    forwarded = _step(chamber, case_id, "forward")
    assert forwarded.status_code == 201, forwarded.json()
    assert forwarded.json()["to_state"] == "forwarded"
    # Once forwarded, the checklist is closed.
    first = checklist[0]["id"]
    closed = _send(chamber, "post", f"/api/v1/cases/{case_id}/checklist/{first}",
                   {"operation": "uncheck"})  # fmt: skip
    assert (closed.status_code, closed.json()["code"]) == (409, "checklist_closed")


def test_checklist_refusals(world: World, client_for: Callable[..., Client]) -> None:
    from tests.cases.conftest import create_case

    case = create_case(world)
    item = case.checklist.first()
    url = f"/api/v1/cases/{case.pk}/checklist/{item.pk}"
    chamber = client_for(world.users[ADV])
    assert _send(chamber, "post", url, {"operation": "shred"}).status_code == 422
    future = _send(chamber, "post", url, {"operation": "paper", "seen_on": "2999-01-01"})
    assert future.status_code == 422
    assert future.json()["field_errors"][0]["field"] == "seen_on"
    assert (
        _send(client_for(world.users[CA]), "post", url, {"operation": "check"}).status_code == 403
    )
    other = create_case(world).checklist.first()
    wrong_case = f"/api/v1/cases/{case.pk}/checklist/{other.pk}"
    assert _send(chamber, "post", wrong_case, {"operation": "check"}).status_code == 404


def test_notes_and_advisor(world: World, client_for: Callable[..., Client]) -> None:
    from tests.cases.conftest import create_case

    case = create_case(world)
    chamber = client_for(world.users[ADV])
    note = _send(chamber, "post", f"/api/v1/cases/{case.pk}/notes", {"text": " Called HR. "})
    assert note.status_code == 201
    assert note.json()["text"] == "Called HR."
    assert [n["text"] for n in chamber.get(f"/api/v1/cases/{case.pk}/notes").json()] == [
        "Called HR."
    ]
    assert _send(chamber, "post", f"/api/v1/cases/{case.pk}/notes", {"text": ""}).status_code == 422
    lead = world.users[CL]
    assigned = _send(chamber, "put", f"/api/v1/cases/{case.pk}/advisor", {"advisor_id": lead.pk})
    assert assigned.status_code == 200
    assert assigned.json()["advisor"] == lead.display_name
    assert Case.objects.get(pk=case.pk).advisor_id == lead.pk
    outsider = world.users[CW]
    refused = _send(chamber, "put", f"/api/v1/cases/{case.pk}/advisor", {"advisor_id": outsider.pk})
    assert refused.status_code == 422
    assert refused.json()["field_errors"][0]["field"] == "advisor_id"
    assert AuditEvent.objects.filter(action="case.advisor_assigned").count() == 1


def test_invitations_staff_and_tokens(
    world: World, client_for: Callable[..., Client], django_capture_on_commit_callbacks: Any
) -> None:
    admin = client_for(world.users[CA])
    with django_capture_on_commit_callbacks(execute=True):
        invited = _send(admin, "post", f"/api/v1/organisations/{world.company.pk}/invitations",
                        {"full_name": "Lea Neu", "email": "Lea@Own.example", "role": "company_hr"})  # fmt: skip
    assert invited.status_code == 201, invited.json()
    assert invited.json()["email"] == "lea@own.example"
    assert len(mail.outbox) == 1
    again = _send(admin, "post", f"/api/v1/organisations/{world.company.pk}/invitations",
                  {"full_name": "Lea Neu", "email": "lea@own.example", "role": "company_hr"})  # fmt: skip
    assert again.status_code == 422
    assert again.json()["field_errors"][0]["field"] == "email"
    wrong_role = _send(admin, "post", f"/api/v1/organisations/{world.company.pk}/invitations",
                       {"full_name": "X", "email": "x@own.example", "role": "abh_lead"})  # fmt: skip
    assert wrong_role.status_code == 403
    revoked = _send(admin, "post", f"/api/v1/invitations/{invited.json()['id']}/revoke")
    assert revoked.status_code == 200
    assert Invitation.objects.get().revoked_at is not None

    hr = world.users["company_hr"]
    off = _send(admin, "post", f"/api/v1/users/{hr.pk}/active", {"active": False})
    assert (off.status_code, off.json()["is_active"]) == (200, False)
    assert User.objects.get(pk=hr.pk).is_active is False

    created = _send(admin, "post", "/api/v1/tokens", {"name": "HR system"})
    assert created.status_code == 201
    secret = created.json()["secret"]
    assert Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 200
    assert [t["name"] for t in admin.get("/api/v1/tokens").json()] == ["HR system"]
    assert "secret" not in admin.get("/api/v1/tokens").json()[0]
    gone = _send(admin, "post", f"/api/v1/tokens/{created.json()['id']}/revoke")
    assert gone.status_code == 200
    assert ApiToken.objects.get().revoked_at is not None
    assert Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 401


def test_sites_and_company_registration(world: World, client_for: Callable[..., Client]) -> None:
    chamber = client_for(world.users[ADV])
    site = {"label": "Lager", "street": "Hauptstr. 1", "postcode": "71679",
            "municipality": "Asperg"}  # fmt: skip
    added = _send(chamber, "post", f"/api/v1/organisations/{world.company.pk}/sites", site)
    assert added.status_code == 201, added.json()
    assert added.json()["authority"]["code"] == "lra-ludwigsburg"
    sites = chamber.get(f"/api/v1/organisations/{world.company.pk}/sites").json()
    assert {s["label"] for s in sites} == {"Werk", "Lager"}
    outside = _send(chamber, "post", f"/api/v1/organisations/{world.company.pk}/sites",
                    {**site, "municipality": "Atlantis"})  # fmt: skip
    assert outside.status_code == 422

    body = {**site, "site_label": "Werk", "name": "Neu GmbH", "legal_form": "GmbH",
            "chamber_membership": "ihk", "admin_full_name": "Ada Neu",
            "admin_email": "ada@neu.example"}  # fmt: skip
    body.pop("label")
    registered = _send(chamber, "post", "/api/v1/companies", body)
    assert registered.status_code == 201, registered.json()
    assert registered.json()["name"] == "Neu GmbH"
    assert _send(client_for(world.users[CA]), "post", "/api/v1/companies", body).status_code == 403
