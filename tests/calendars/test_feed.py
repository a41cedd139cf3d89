"""Personal calendar feeds: valid iCalendar, only visible cases, revocable secret URL."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from urllib.parse import urlparse

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from lotse.accounts.models import Role, User
from lotse.calendars.models import CalendarFeed
from lotse.calendars.services import calendar_feed_create, calendar_feed_revoke
from lotse.cases import deadlines
from lotse.cases.models import Case, VisaApplication
from tests.cases import world as cases
from tests.conftest import World

CHR, ADV, CW = Role.COMPANY_HR, Role.CHAMBER_ADVISOR, Role.ABH_CASEWORKER


def _with_deadline(case: Case) -> Case:
    deadlines.apply_events(case, [("recognition_file_complete", timezone.localdate())])
    return case


def _fetch(user: User) -> tuple[Client, Calendar]:
    _feed, token = calendar_feed_create(actor=user)
    response = Client().get(reverse("calendars:feed", args=[token]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return Client(), Calendar.from_ical(response.content)


def _summaries(calendar: Calendar) -> list[str]:
    return [str(event["SUMMARY"]) for event in calendar.walk("VEVENT")]


def test_feed_is_valid_icalendar_with_deadlines_and_appointments(world: World) -> None:
    case = _with_deadline(cases.own_case(world))
    VisaApplication.objects.create(
        case=case,
        mission="Botschaft Neu-Delhi",
        appointment_requested_on=timezone.localdate(),
        appointment_on=timezone.localdate() + dt.timedelta(days=10),
    )
    _client, calendar = _fetch(world.users[CHR])
    assert calendar["VERSION"] == "2.0"
    assert calendar["PRODID"]
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 2
    clock = case.clocks.get(code="recognition_decision")
    by_uid = {str(e["UID"]): e for e in events}
    deadline = by_uid[f"lotse-clock-{clock.pk}@lotse"]
    assert deadline.decoded("DTSTART") == clock.due_on
    summaries = " ".join(_summaries(calendar))
    assert case.reference in summaries
    assert f"{case.reference} (P. K.)" in summaries  # PRIYA KUMAR
    # Nothing personal beyond the reference and the initials.
    raw = calendar.to_ical().decode()
    for personal in (case.worker_surname, case.worker_given_names, case.worker_passport_number):
        assert personal not in raw
    assert "Neu-Delhi" not in raw


def test_feed_shows_nothing_of_foreign_cases(world: World) -> None:
    own = _with_deadline(cases.own_case(world))
    foreign = _with_deadline(cases.foreign_case(world))
    _client, calendar = _fetch(world.users[ADV])
    summaries = " ".join(_summaries(calendar))
    assert own.reference in summaries
    assert foreign.reference not in summaries
    _client, foreign_calendar = _fetch(world.foreign_users[ADV])
    foreign_summaries = " ".join(_summaries(foreign_calendar))
    assert foreign.reference in foreign_summaries
    assert own.reference not in foreign_summaries


def test_the_abh_sees_only_forwarded_cases(world: World) -> None:
    not_forwarded = _with_deadline(cases.own_case(world))
    _client, calendar = _fetch(world.users[CW])
    assert not_forwarded.reference not in " ".join(_summaries(calendar))
    forwarded = _with_deadline(cases.forwarded_case(world))
    _client, calendar = _fetch(world.users[CW])
    assert forwarded.reference in " ".join(_summaries(calendar))


def test_revoked_or_renewed_token_is_404_and_stored_only_hashed(world: World) -> None:
    user = world.users[CHR]
    feed, token = calendar_feed_create(actor=user)
    url = reverse("calendars:feed", args=[token])
    assert not CalendarFeed.objects.filter(token_hash=token).exists()
    assert Client().get(url).status_code == 200
    _new, new_token = calendar_feed_create(actor=user)  # renew
    assert Client().get(url).status_code == 404
    new_url = reverse("calendars:feed", args=[new_token])
    assert Client().get(new_url).status_code == 200
    calendar_feed_revoke(feed=CalendarFeed.objects.get(user=user, revoked_at=None), actor=user)
    assert Client().get(new_url).status_code == 404
    feed.refresh_from_db()
    assert feed.revoked_at is not None


@pytest.mark.parametrize("token", ["nope", "x" * 200])
def test_unknown_tokens_are_404(token: str, db: None) -> None:
    assert Client().get(reverse("calendars:feed", args=[token])).status_code == 404


def test_deactivated_user_feed_is_404(world: World) -> None:
    user = world.users[CHR]
    _feed, token = calendar_feed_create(actor=user)
    user.is_active = False
    user.save()
    assert Client().get(reverse("calendars:feed", args=[token])).status_code == 404


def test_api_creates_and_revokes_the_feed(world: World, client_for: Callable[..., Client]) -> None:
    client = client_for(world.users[ADV])
    assert client.get("/api/v1/me/calendar").json()["active"] is False
    created = client.post("/api/v1/me/calendar", {}, content_type="application/json")
    assert created.status_code == 201
    path = urlparse(created.json()["url"]).path
    assert Client().get(path).status_code == 200
    assert client.get("/api/v1/me/calendar").json()["active"] is True
    revoked = client.post("/api/v1/me/calendar/revoke", {}, content_type="application/json")
    assert revoked.json()["active"] is False
    assert Client().get(path).status_code == 404


def test_profile_page_shows_the_new_address_once(
    world: World, client_for: Callable[..., Client]
) -> None:
    client = client_for(world.users[CHR])
    assert reverse("calendars:settings") in client.get(reverse("accounts:tokens")).content.decode()
    response = client.post(reverse("calendars:renew"), follow=True)
    html = response.content.decode()
    assert 'data-testid="calendar-url"' in html
    again = client.get(reverse("calendars:settings")).content.decode()
    assert 'data-testid="calendar-url"' not in again
    client.post(reverse("calendars:revoke"))
    assert not CalendarFeed.objects.filter(user=world.users[CHR], revoked_at=None).exists()
