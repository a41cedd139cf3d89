"""A passport with an open MRZ problem is accepted only with a recorded reason."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from lotse.accounts.models import Role
from lotse.audit.models import AuditEvent
from lotse.documents.models import ReviewState
from lotse.documents.services import document_review
from tests.conftest import World
from tests.documents.test_checks import SPECIMEN, _upload

if TYPE_CHECKING:
    from lotse.accounts.models import User
    from lotse.cases.models import Case

pytestmark = pytest.mark.django_db

BROKEN = SPECIMEN[1][:9] + "7" + SPECIMEN[1][10:]  # wrong check digit of the number


def test_the_service_refuses_a_plain_acceptance_and_records_the_reason(
    case: Case, world: World
) -> None:
    advisor = world.users[Role.CHAMBER_ADVISOR]
    passport = _upload(case, world, "passport", mrz_line1=SPECIMEN[0], mrz_line2=BROKEN)
    with pytest.raises(ValidationError) as refused:
        document_review(document=passport, actor=advisor, accept=True)
    assert "reason" in refused.value.message_dict
    passport.refresh_from_db()
    assert passport.review_state == ReviewState.UPLOADED
    document_review(document=passport, actor=advisor, accept=True,
                    reason="Pass im Original geprüft; Druckfehler der Behörde.")  # fmt: skip
    passport.refresh_from_db()
    assert passport.review_state == ReviewState.ACCEPTED
    assert passport.acceptance_reason.startswith("Pass im Original")
    event = AuditEvent.objects.get(action="document.accepted")
    assert "mrz_document_number_check" in event.after["accepted_despite"]
    assert event.after["reason"].startswith("Pass im Original")


def test_a_passport_without_problems_needs_no_reason(world: World) -> None:
    from tests.documents.conftest import make_case

    case = make_case(world, worker_surname="Eriksson", worker_given_names="Anna Maria",
                     worker_birth_date="1974-08-12", worker_passport_number="L898902C3",
                     worker_passport_expiry="2040-04-15")  # fmt: skip
    passport = _upload(case, world, "passport", mrz_line1=SPECIMEN[0], mrz_line2=SPECIMEN[1])
    document_review(document=passport, actor=world.users[Role.CHAMBER_ADVISOR], accept=True)
    passport.refresh_from_db()
    assert passport.review_state == ReviewState.ACCEPTED
    assert passport.acceptance_reason == ""


def test_the_review_page_and_the_api_ask_for_the_reason(
    case: Case, world: World, client_for: Callable[[User], Client]
) -> None:
    passport = _upload(case, world, "passport", mrz_line1=SPECIMEN[0], mrz_line2=BROKEN)
    client = client_for(world.users[Role.CHAMBER_ADVISOR])
    page = client.post(reverse("documents:review", args=[passport.pk]),
                       {"review-decision": "accept", "review-reason": "", "save_review": "1"})  # fmt: skip
    assert page.status_code == 200
    assert (
        "machine-readable zone" in page.content.decode()
        or "maschinenlesbar" in page.content.decode()
    )
    api = client.post(f"/api/v1/documents/{passport.pk}/review", {"decision": "accept"},
                      content_type="application/json")  # fmt: skip
    assert api.status_code == 422
    assert api.json()["field_errors"][0]["field"] == "reason"
    accepted = client.post(f"/api/v1/documents/{passport.pk}/review",
                           {"decision": "accept", "reason": "Original gesehen."},
                           content_type="application/json")  # fmt: skip
    assert accepted.status_code == 200
    assert accepted.json()["acceptance_reason"] == "Original gesehen."
    passport.refresh_from_db()
    assert passport.acceptance_reason == "Original gesehen."
