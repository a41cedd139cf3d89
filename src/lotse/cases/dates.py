"""Sane bounds for every date a case records: one place, so that forms, API and steps agree.

A date outside them (year 1, 9999-12-31) is refused with a field error before anything is saved,
never stored to fail later in a clock or on a page.
"""

from __future__ import annotations

import datetime as dt

from django.utils.formats import date_format
from django.utils.translation import gettext

EARLIEST = dt.date(1900, 1, 1)
# How far ahead a planned date, an appointment or a validity may lie.
FUTURE_YEARS = 15


def latest_future(today: dt.date) -> dt.date:
    try:
        return today.replace(year=today.year + FUTURE_YEARS)
    except ValueError:  # 29 February
        return today.replace(year=today.year + FUTURE_YEARS, day=28)


def short(day: dt.date) -> str:
    return str(date_format(day, "SHORT_DATE_FORMAT"))


def problem(day: dt.date, today: dt.date, *, future: bool = False) -> str | None:
    """Why ``day`` is not a sane date to record today, or None.

    ``future``: a planned date, an appointment or a validity, which may lie ahead (within
    ``FUTURE_YEARS``); any other date lies on or before today.
    """
    if day < EARLIEST:
        return gettext("Enter a date on or after %(date)s.") % {"date": short(EARLIEST)}
    if future:
        latest = latest_future(today)
        if day > latest:
            return gettext("The date lies too far ahead; enter one on or before %(date)s.") % {
                "date": short(latest)
            }
        return None
    if day > today:
        return gettext("The date lies in the future.")
    return None
