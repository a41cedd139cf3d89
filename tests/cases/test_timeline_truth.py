"""The timeline and the history claim only what happened; the powers need signed documents."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from lotse.accounts.models import Role
from lotse.cases import timeline, workflow
from lotse.cases.models import Case
from lotse.documents.services import document_review, document_upload
from tests.cases.conftest import ADV, CA, CW, create_case, drive, powers_on_paper, take, tick_all
from tests.conftest import World
from tests.documents.world import good_pdf

POWERS = {
    "power_of_attorney_signed_on": "__today__",
    "sub_power_of_attorney_signed_on": "__today__",
}


def _entries(case: Case) -> dict[str, Any]:
    with translation.override("en"):
        return {
            e.key: e for e in timeline.build(Case.objects.get(pk=case.pk), case.created_at.date())
        }


def test_at_the_start_nothing_is_ticked_and_the_company_and_worker_owe_documents(
    world: World,
) -> None:
    case = create_case(world)
    entries = _entries(case)
    assert entries["advice"].status == "current"  # the chamber has not advised yet
    assert "the company" in entries["advice"].who
    assert "the worker" in entries["advice"].who
    case = take(case, "start_collecting", world.users[ADV])
    entries = _entries(case)
    assert entries["advice"].status == "done"
    assert entries["collecting_documents"].status == "current"
    assert "the company" in entries["collecting_documents"].who
    assert "the worker" in entries["collecting_documents"].who


def test_handing_in_with_gaps_is_no_completeness_check(world: World) -> None:
    case = drive(world, create_case(world), "record_powers_signed")  # handed in, nothing checked
    assert _entries(case)["completeness_check"].status == "current"
    powers_on_paper(case, world.users[ADV])
    case = take(case, "record_powers_signed", world.users[CA], POWERS)
    entries = _entries(case)
    assert entries["powers_signed"].status == "done"
    assert entries["completeness_check"].status == "current"  # documents still missing
    tick_all(case, world.users[ADV])
    assert _entries(case)["completeness_check"].status == "done"


def test_history_reads_as_past_events(world: World, client_for: Callable[..., Client]) -> None:
    case = drive(world, create_case(world), "accept_intake")
    response = client_for(world.users[CW]).post(
        f"/api/v1/cases/{case.pk}/transitions",
        {"action": "accept_intake", "version": case.version, "data": {}},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["label"] == "Akte angenommen"
    with translation.override("en"):
        assert workflow.history_label("accept_intake") == "File accepted"
        assert workflow.history_label("forward") == "File forwarded to the immigration office"
    page = client_for(world.users[CW]).get(reverse("cases:detail", args=[case.pk]))
    assert "Akte angenommen" in page.content.decode()


def _refused_code(case: Case, actor: Any) -> str:
    with pytest.raises(workflow.StepRefusedError) as info:
        take(case, "record_powers_signed", actor, POWERS)
    return info.value.code


def test_the_powers_need_the_signed_documents(world: World) -> None:
    case = drive(world, create_case(world), "record_powers_signed")
    assert _refused_code(case, world.users[CA]) == "guard_failed:powers_documents_in"
    uploads = []
    for item in case.checklist.filter(document_code__in=("power_of_attorney",
                                                          "sub_power_of_attorney")):  # fmt: skip
        uploads.append(document_upload(case=case, item=item, data=good_pdf(),
                                       filename=f"{item.document_code}.pdf",
                                       declared_type="application/pdf",
                                       actor=world.users[Role.COMPANY_HR], language="de"))  # fmt: skip
    assert len(uploads) == 2
    # Uploaded but not yet accepted: still refused.
    assert _refused_code(case, world.users[CA]) == "guard_failed:powers_documents_in"
    for document in uploads:
        document_review(document=document, actor=world.users[ADV], accept=True)
    assert take(case, "record_powers_signed", world.users[CA], POWERS).state == "powers_signed"
