"""Expected dates for the company, the chamber lead's statistics, the open statistics: in the
browser, checked with axe. Saves docs/expected-dates-company.png, docs/statistics-lead.png and
docs/open-statistics.png (LOTSE_SCREENSHOTS=docs)."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from typing import Any

from django.utils import timezone
from playwright.sync_api import Page, expect

from lotse.cases.demo import demo_cases_load
from lotse.cases.models import Case, CaseClock
from lotse.insights.models import CaseFacts
from lotse.insights.services import insights_refresh_open, public_refresh, rollups_refresh
from tests.e2e.conftest import SCREENSHOTS

WEBER = "sabine.berger@weber-maschinenbau.example"
LEAD = "leitung@ihk-ludwigsburg.example"


def _history(count: int = 160) -> Case:
    """Closed cases of the last year like the demo's § 18a case (same chamber, ABH, title and
    recognition body), with known phase lengths: the peers of the estimate and the lead's figures."""
    rng = random.Random(13)
    model = Case.objects.get(worker_surname="NAIR")
    today = timezone.localdate()
    made = Case.objects.bulk_create(
        Case(
            **{
                f.attname: getattr(model, f.attname)
                for f in Case._meta.concrete_fields
                if f.attname != "id"
            }
            | {"reference": f"LB-2025-{i:05d}"}
        )
        for i in range(count)
    )
    facts, clocks = [], []
    for case in made:
        visa = today - dt.timedelta(days=rng.randint(5, 350))
        d = [rng.randint(10, 40), rng.randint(1, 8), rng.randint(35, 80), rng.randint(5, 25),
             rng.randint(7, 30)]  # fmt: skip
        appointment = visa - dt.timedelta(days=d[4])
        pre = appointment - dt.timedelta(days=d[3])
        accepted = pre - dt.timedelta(days=d[2])
        forwarded = accepted - dt.timedelta(days=d[1])
        started = forwarded - dt.timedelta(days=d[0])
        facts.append(CaseFacts(
            case=case, chamber_id=case.chamber_id, authority_id=case.authority_id,
            title=case.title, recognition_body_id=case.recognition_body_id,
            occupation_group="ihk-training", started_on=started, forwarded_on=forwarded,
            accepted_on=accepted, preapproved_on=pre, appointment_on=appointment,
            visa_issued_on=visa, entered_on=visa + dt.timedelta(days=14),
            advice_to_forwarding=d[0], forwarding_to_acceptance=d[1],
            acceptance_to_preapproval=d[2], preapproval_to_visa=d[3] + d[4],
            recognition=d[2] - 10, recognition_started_on=accepted + dt.timedelta(days=3),
            recognition_ended_on=pre - dt.timedelta(days=7),
            whole=(visa - started).days, returned_count=int(rng.random() < 0.08),
            requests_count=int(rng.random() < 0.25), is_open=False,
        ))  # fmt: skip
        due = accepted + dt.timedelta(days=63)
        clocks.append(CaseClock(case=case, code="recognition_decision", kind="deadline",
                                started_on=accepted, due_on=due,
                                stopped_on=due + dt.timedelta(days=rng.choice([-20, -5, 0, 4]))))  # fmt: skip
    CaseFacts.objects.bulk_create(facts)
    CaseClock.objects.bulk_create(clocks)
    Case.objects.filter(pk__in=[c.pk for c in made]).update(state="closed")
    return model


def test_expected_dates_statistics_and_open_statistics(
    page: Page, live_server: Any, demo_world: str, login: Callable[[str, str], None],
    axe_check: Callable[[str], list[dict[str, Any]]],
) -> None:  # fmt: skip
    demo_cases_load()
    case = _history()
    insights_refresh_open()
    rollups_refresh()
    public_refresh()
    problems: list[dict[str, Any]] = []

    # The company: the expected dates on the case page and on the overview.
    login(WEBER, demo_world)
    expect(page.get_by_test_id("expected-overview")).to_be_visible()
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    section = page.get_by_test_id("expected-dates")
    expect(section).to_contain_text("Vorabzustimmung erwartet zwischen")
    expect(section).to_contain_text("Nach den gesetzlichen Fristen spätestens am")
    expect(page.get_by_test_id("timeline-expected").first).to_be_visible()
    problems += axe_check("case page with expected dates")
    section.scroll_into_view_if_needed()
    page.screenshot(path=str(SCREENSHOTS / "expected-dates-company.png"), full_page=True)
    page.get_by_role("button", name="Abmelden").click()
    page.wait_for_load_state("networkidle")

    # The chamber lead: the statistics page with its charts and tables.
    login(LEAD, demo_world)
    page.get_by_role("link", name="Statistik").click()
    expect(page.get_by_test_id("statistics-heading")).to_be_visible()
    expect(page.get_by_test_id("chart-events")).to_be_visible()
    expect(page.get_by_test_id("table-durations")).to_contain_text("Ganzes Verfahren")
    problems += axe_check("statistics page")
    page.screenshot(path=str(SCREENSHOTS / "statistics-lead.png"), full_page=True)
    page.get_by_role("button", name="Abmelden").click()
    page.wait_for_load_state("networkidle")

    # Anyone: the open statistics.
    page.goto(f"{live_server.url}/open-statistics/")
    expect(page.get_by_test_id("public-heading")).to_be_visible()
    expect(page.get_by_test_id("licence")).to_contain_text("dl-de/by-2-0")
    problems += axe_check("open statistics")
    page.screenshot(path=str(SCREENSHOTS / "open-statistics.png"), full_page=True)
    assert problems == []
