"""Expected dates stored per case, shown on the case page, the timeline, the dashboard, the API."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lotse.accounts.models import Role
from lotse.cases.models import Case
from lotse.insights.models import CaseFacts
from lotse.insights.services import insights_case_refresh, insights_refresh_open
from tests.cases.conftest import create_case, drive
from tests.conftest import World
from tests.insights.conftest import peers


def _accepted_case(world: World) -> Case:
    case = create_case(world)
    return drive(world, case, "conclude_agreement")


def test_with_enough_peers_the_page_shows_the_range_in_words(
    world: World, client_for: Callable[..., Client]
) -> None:
    today = timezone.localdate()
    # 20 peers took 10 … 29 days from acceptance to pre-approval: median 20, range 12 to 27.
    peers(world, list(range(10, 30)), today=today)
    case = _accepted_case(world)
    facts = insights_case_refresh(case_id=case.pk, today=today)
    assert facts is not None
    first = facts.expected[0]
    assert first["milestone"] == "preapproval"
    assert first["peers"] == 20
    assert first["low"] == (today + dt.timedelta(days=12)).isoformat()
    assert first["high"] == (today + dt.timedelta(days=27)).isoformat()
    assert first["statutory"] is not None
    html = (
        client_for(world.users[Role.COMPANY_ADMIN])
        .get(reverse("cases:detail", args=[case.pk]))
        .content.decode()
    )
    assert "Vorabzustimmung erwartet zwischen" in html
    assert "Nach den gesetzlichen Fristen spätestens am" in html
    assert 'data-testid="timeline-expected"' in html
    dashboard = client_for(world.users[Role.COMPANY_ADMIN]).get(reverse("web:dashboard"))
    assert "Vorabzustimmung erwartet zwischen" in dashboard.content.decode()
    api = (
        client_for(world.users[Role.COMPANY_ADMIN])
        .get(f"/api/v1/cases/{case.pk}/expected-dates")
        .json()
    )
    assert api[0]["low"] == first["low"]
    assert api[0]["estimate_text"].startswith("Vorabzustimmung erwartet zwischen")


def test_with_19_peers_there_is_no_estimate(
    world: World, client_for: Callable[..., Client]
) -> None:
    today = timezone.localdate()
    peers(world, list(range(10, 29)), today=today)
    case = _accepted_case(world)
    facts = insights_case_refresh(case_id=case.pk, today=today)
    assert facts is not None
    assert facts.expected[0]["median"] is None
    assert facts.expected[0]["peers"] == 19
    html = (
        client_for(world.users[Role.COMPANY_ADMIN])
        .get(reverse("cases:detail", args=[case.pk]))
        .content.decode()
    )
    assert "noch zu wenig Daten für eine Schätzung (19 vergleichbare Fälle" in html


def test_a_step_refreshes_the_expected_dates_after_the_commit(
    world: World, django_capture_on_commit_callbacks: Callable[..., object]
) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        case = create_case(world)
    assert CaseFacts.objects.get(case=case).current_phase == "preparation"
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        case = drive(world, case, "accept_intake")
    facts = CaseFacts.objects.get(case=case)
    assert facts.forwarded_on is not None
    assert facts.current_phase == "acceptance"


def test_the_scheduled_job_covers_every_open_case(world: World) -> None:
    case = create_case(world)
    assert not CaseFacts.objects.filter(case=case).exists()
    assert insights_refresh_open() == 1
    assert CaseFacts.objects.get(case=case).expected


def test_the_scheduled_job_writes_what_the_per_case_refresh_writes(world: World) -> None:
    """The nightly run upserts in batches; a case's stored figures must not depend on the path."""
    today = timezone.localdate()
    peers(world, list(range(10, 35)), today=today)
    open_cases = [_accepted_case(world), create_case(world)]
    # A stale row must be overwritten, not kept.
    CaseFacts.objects.filter(case=open_cases[0]).update(expected=[], current_phase="stale")

    insights_refresh_open(today=today, batch=1)
    batched = {
        pk: CaseFacts.objects.filter(case_id=pk).values().get() for pk in (c.pk for c in open_cases)
    }
    for case in open_cases:
        insights_case_refresh(case_id=case.pk, today=today)
        single = CaseFacts.objects.filter(case=case).values().get()
        for row in (batched[case.pk], single):
            row.pop("computed_at")
        assert batched[case.pk] == single
    assert batched[open_cases[0].pk]["current_phase"] != "stale"
    assert batched[open_cases[0].pk]["expected"][0]["peers"] == 25
