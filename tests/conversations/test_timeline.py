"""Nachforderungen on the case timeline: asked, clocks halted, answered, clocks running again;
shown to exactly the parties who may read the request (its message's audience)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from lotse.accounts.models import Role
from lotse.cases import deadlines
from lotse.cases.models import Case
from lotse.conversations.models import DocumentRequest
from lotse.conversations.selectors import (
    case_messages_once,
    document_requests_in,
    document_requests_of,
)
from lotse.conversations.services import document_request_create
from tests.conftest import World
from tests.conversations.test_services import forward, upload
from tests.documents.conftest import make_case

pytestmark = pytest.mark.django_db
CHR, ADV, CW = Role.COMPANY_HR, Role.CHAMBER_ADVISOR, Role.ABH_CASEWORKER


def _api_timeline(client_for: Any, world: World, role: str, case: Case) -> list[dict[str, Any]]:
    response = client_for(world.users[role]).get(f"/api/v1/cases/{case.pk}/timeline")
    assert response.status_code == 200
    return list(response.json())


def _requests(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [e for e in entries if e["key"].startswith("document_request-")]


def test_abh_request_with_halted_clock_is_on_everyones_timeline(
    world: World, client_for: Any, time_machine: Any
) -> None:
    time_machine.move_to(dt.datetime(2027, 1, 4, 9, tzinfo=dt.UTC))
    case = forward(make_case(world))
    deadlines.apply_events(case, [("recognition_file_complete", dt.date(2027, 1, 4))])
    document_request_create(
        case=case, ground="recognition_body", items=[case.checklist.get(document_code="cv")],
        reason="Die Anerkennungsstelle braucht Arbeitszeugnisse.", due_on=dt.date(2027, 2, 1),
        actor=world.users[CW],
    )  # fmt: skip
    for role in (CHR, ADV, CW):
        (entry,) = _requests(_api_timeline(client_for, world, role, case))
        assert entry["status"] == "current"
        assert entry["due"] == "2027-02-01"
        steps = {c["key"]: c for c in entry["children"]}
        assert steps["requested"]["date"] == "2027-01-04"
        assert steps["suspended"]["date"] == "2027-01-04"
        assert steps["answered"]["status"] == "current"
        assert "resumed" not in steps

    time_machine.move_to(dt.datetime(2027, 1, 14, 9, tzinfo=dt.UTC))
    upload(world, case, "cv")
    (entry,) = _requests(_api_timeline(client_for, world, CW, case))
    assert entry["status"] == "done"
    steps = {c["key"]: c for c in entry["children"]}
    assert steps["answered"]["date"] == "2027-01-14"
    # § 14a Abs. 4 Satz 1 BQFG: halted until the body's deadline (1 Feb), not until the answer.
    assert steps["resumed"]["status"] == "future"
    assert steps["resumed"]["due"] == "2027-02-01"
    assert "immigration office" in entry["label"] or "Ausländerbehörde" in entry["label"]


def test_chamber_request_is_not_on_the_abh_timeline(world: World, client_for: Any) -> None:
    case = make_case(world)
    document_request_create(
        case=case, ground="chamber_completeness", items=[case.checklist.get(document_code="cv")],
        reason="Lebenslauf fehlt.", due_on=timezone.localdate() + dt.timedelta(days=14),
        actor=world.users[ADV],
    )  # fmt: skip
    case = forward(case)
    assert len(_requests(_api_timeline(client_for, world, CHR, case))) == 1
    assert len(_requests(_api_timeline(client_for, world, ADV, case))) == 1
    # Its audience is company and chamber: the immigration office does not see it.
    assert _requests(_api_timeline(client_for, world, CW, case)) == []


def test_the_case_page_shows_the_request_on_the_timeline(world: World, client_for: Any) -> None:
    case = make_case(world)
    request = document_request_create(
        case=case, ground="chamber_completeness", items=[case.checklist.get(document_code="cv")],
        reason="Lebenslauf fehlt.", due_on=timezone.localdate() + dt.timedelta(days=14),
        actor=world.users[ADV],
    )  # fmt: skip
    html = client_for(world.users[CHR]).get(reverse("cases:detail", args=[case.pk])).content
    text = html.decode()
    assert f'data-step="document_request-{request.pk}"' in text
    assert "Nachforderung" in text
    assert "Tabellarischer Lebenslauf" in text


def test_the_case_page_reads_the_requests_with_the_messages_and_finds_the_same(
    world: World, client_for: Any
) -> None:
    # The case page takes its timeline's requests from the messages its conversation section
    # reads (one query less): for every party the same requests as document_requests_of.
    case = make_case(world)
    due = timezone.localdate() + dt.timedelta(days=14)
    for document in ("cv", "passport"):
        document_request_create(
            case=case, ground="chamber_completeness",
            items=[case.checklist.get(document_code=document)], reason="Fehlt.", due_on=due,
            actor=world.users[ADV],
        )  # fmt: skip
    case = forward(case)
    document_request_create(
        case=case, ground="recognition_body", items=[case.checklist.get(document_code="cv")],
        reason="Arbeitszeugnisse.", due_on=due, actor=world.users[CW],
    )  # fmt: skip
    every = {r.pk for r in DocumentRequest.objects.filter(case=case)}
    for role, seen in ((CHR, 3), (ADV, 3), (CW, 1)):
        user = world.users[role]
        fresh = Case.objects.get(pk=case.pk)
        shared = document_requests_in(case_messages_once(user=user, case=fresh))
        assert [r.pk for r in shared] == [r.pk for r in document_requests_of(user=user, case=case)]
        assert len(shared) == seen
        html = client_for(user).get(reverse("cases:detail", args=[case.pk])).content.decode()
        shown = {pk for pk in every if f'data-step="document_request-{pk}"' in html}
        assert shown == {r.pk for r in shared}
