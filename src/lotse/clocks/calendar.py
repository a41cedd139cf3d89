"""The Baden-Württemberg calendar that every statutory clock is counted on.

Two notions of "day" matter in German deadline law and they must not be confused:

* *working day* (Arbeitstag): Monday to Friday, not a public holiday. This is the day an end of
  period is moved to under § 193 BGB / § 31 Abs. 3 LVwVfG, which exclude Saturday explicitly.
* *Werktag*: every day that is neither a Sunday nor a public holiday, Saturday included
  (§ 3 Abs. 2 BUrlG states the general legal meaning). § 81a Abs. 3 Nr. 3 AufenthG counts in
  Werktage.

Only the `public` category of the `holidays` package is used: BW school holidays (`school`)
are no public holidays and do not affect any period.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Literal

import holidays

Language = Literal["de", "en"]

# Whose public holidays count: BW for the Land's authorities (default), "federal" for federal
# authorities such as the BA (§ 31 VwVfG: only nationwide holidays), "NW" for the ZAB in Bonn.
Region = Literal["BW", "federal", "NW"]
REGIONS: tuple[Region, ...] = ("BW", "federal", "NW")

# The package's own language codes; passing one explicitly keeps names independent of the
# process locale (LANG/LC_ALL), see docs/deadlines.md.
_PACKAGE_LANGUAGE: dict[Language, str] = {"de": "de", "en": "en_US"}

_SATURDAY = 5
_SUNDAY = 6
_ONE_DAY = dt.timedelta(days=1)


@lru_cache(maxsize=512)
def _public_holidays(year: int, language: Language, region: Region = "BW") -> dict[dt.date, str]:
    calendar = holidays.country_holidays(
        "DE",
        subdiv=None if region == "federal" else region,
        years=year,
        expand=False,
        language=_PACKAGE_LANGUAGE[language],
        categories=("public",),
    )
    return dict(calendar.items())


def holiday_name(day: dt.date, language: Language = "de") -> str | None:
    """The name of the BW public holiday on `day`, or None if it is none."""
    if language not in _PACKAGE_LANGUAGE:
        raise ValueError(f"unsupported language {language!r}; use 'de' or 'en'")
    return _public_holidays(day.year, language).get(day)


def is_public_holiday(day: dt.date, region: Region = "BW") -> bool:
    return day in _public_holidays(day.year, "de", region)


def is_working_day(day: dt.date, region: Region = "BW") -> bool:
    """Monday to Friday and not a public holiday (BW unless another calendar is named)."""
    return day.weekday() < _SATURDAY and not is_public_holiday(day, region)


def is_werktag(day: dt.date, region: Region = "BW") -> bool:
    """Monday to Saturday and not a public holiday (§ 3 Abs. 2 BUrlG meaning)."""
    return day.weekday() != _SUNDAY and not is_public_holiday(day, region)


def add_working_days(start: dt.date, n: int, region: Region = "BW") -> dt.date:
    """The n-th working day after `start`; `start` itself is never counted (§ 187 Abs. 1 BGB).

    A negative `n` counts backwards; `n == 0` returns `start` unchanged.
    """
    step = _ONE_DAY if n >= 0 else -_ONE_DAY
    day = start
    remaining = abs(n)
    while remaining:
        day += step
        if is_working_day(day, region):
            remaining -= 1
    return day


def add_werktage(start: dt.date, n: int, region: Region = "BW") -> dt.date:
    """The n-th Werktag after `start`; `start` itself is never counted (§ 187 Abs. 1 BGB)."""
    step = _ONE_DAY if n >= 0 else -_ONE_DAY
    day = start
    remaining = abs(n)
    while remaining:
        day += step
        if is_werktag(day, region):
            remaining -= 1
    return day


def next_working_day_on_or_after(day: dt.date, region: Region = "BW") -> dt.date:
    """`day` if it is a working day, else the next one: the § 193 BGB end-of-period shift."""
    while not is_working_day(day, region):
        day += _ONE_DAY
    return day


def _weekdays_through(ordinal: int) -> int:
    # Ordinal 1 (0001-01-01) is a Monday, so every block of 7 ordinals holds 5 weekdays.
    weeks, rest = divmod(ordinal, 7)
    return weeks * 5 + min(rest, 5)


@lru_cache(maxsize=512)
def _weekday_holidays(year: int, region: Region = "BW") -> tuple[dt.date, ...]:
    return tuple(sorted(d for d in _public_holidays(year, "de", region) if d.weekday() < _SATURDAY))


def working_days_between(start: dt.date, end: dt.date, region: Region = "BW") -> int:
    """Working days d with start < d <= end; if end < start, minus those with end < d <= start."""
    if end < start:
        return -working_days_between(end, start, region)
    weekdays = _weekdays_through(end.toordinal()) - _weekdays_through(start.toordinal())
    holidays_in_range = sum(
        1
        for year in range(start.year, end.year + 1)
        for day in _weekday_holidays(year, region)
        if start < day <= end
    )
    return weekdays - holidays_in_range
