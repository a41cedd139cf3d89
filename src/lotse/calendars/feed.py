"""The iCalendar document (RFC 5545) of one user's feed, built with the ``icalendar`` library.

It holds the statutory deadlines (open clocks with a due date) and the visa appointments of the
cases the user sees (lotse.access), as all-day events. Nothing personal beyond the case reference
and the worker's initials: no names, no birth dates, no passport data, no addresses.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Literal

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from lotse.access import cases_visible_to
from lotse.cases import deadlines
from lotse.cases.models import Case, CaseClock, VisaApplication

if TYPE_CHECKING:
    from lotse.accounts.models import User

PRODID = "-//Lotse//Accelerated skilled-worker procedure//EN"
# Appointments this far back stay in the feed (calendar programs drop what disappears).
APPOINTMENTS_BACK = dt.timedelta(days=90)


def worker_initials(case: Case) -> str:
    given = case.worker_given_names.split()
    parts = [given[0] if given else "", case.worker_surname]
    return " ".join(f"{p[0].upper()}." for p in parts if p)


def _label(case: Case) -> str:
    return f"{case.reference} ({worker_initials(case)})"


def _event(*, uid: str, day: dt.date, summary: str, description: str, now: dt.datetime) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", now)
    event.add("dtstart", day)
    event.add("dtend", day + dt.timedelta(days=1))
    event.add("summary", summary)
    event.add("description", description)
    event.add("transp", "TRANSPARENT")
    return event


def calendar_for(user: User, *, today: dt.date | None = None) -> bytes:
    """The user's feed as bytes (text/calendar; charset=utf-8)."""
    today = today or timezone.localdate()
    now = timezone.now().replace(microsecond=0)
    language: Literal["de", "en"] = "en" if user.language == "en" else "de"
    cases = cases_visible_to(user=user)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    with translation.override(language):
        calendar.add("x-wr-calname", _("Lotse: deadlines and appointments"))
        clocks = (
            CaseClock.objects.filter(case__in=cases, stopped_on__isnull=True, due_on__isnull=False)
            .select_related("case")
            .order_by("due_on", "pk")
        )
        for row in clocks:
            if row.due_on is None:  # excluded by the query; keeps the type checker informed
                continue
            definition = deadlines.definition(row.code)
            title = definition.label(language)
            calendar.add_component(
                _event(
                    uid=f"lotse-clock-{row.pk}@lotse",
                    day=row.due_on,
                    summary=_("%(case)s: %(deadline)s due")
                    % {"case": _label(row.case), "deadline": title},
                    description=_("Statutory deadline. Legal basis: %(basis)s")
                    % {"basis": definition.legal_basis},
                    now=now,
                )
            )
        visas = (
            VisaApplication.objects.filter(
                case__in=cases,
                appointment_on__isnull=False,
                appointment_on__gte=today - APPOINTMENTS_BACK,
            )
            .select_related("case")
            .order_by("appointment_on", "pk")
        )
        for visa in visas:
            if visa.appointment_on is None:  # excluded by the query
                continue
            calendar.add_component(
                _event(
                    uid=f"lotse-visa-appointment-{visa.pk}@lotse",
                    day=visa.appointment_on,
                    summary=_("%(case)s: visa appointment") % {"case": _label(visa.case)},
                    description=_("Appointment at the German mission (§ 31a AufenthV)."),
                    now=now,
                )
            )
    data: bytes = calendar.to_ical()
    return data
