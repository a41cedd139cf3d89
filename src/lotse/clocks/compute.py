"""Due dates and status of statutory clocks (§ 31 LVwVfG BW, §§ 187–193 BGB).

The computation has three separate steps, applied in this order:

1. *Run the period* from the day after the starting event (§ 187 Abs. 1 BGB): N calendar days,
   N working days, N Werktage, or N weeks/months ending on the day with the same name or number
   as the event day (§ 188 Abs. 2 BGB), or the last day of a shorter month (§ 188 Abs. 3 BGB).
   Suspended days are not counted (see `_run`), and each extension is a further period counted
   from the end of the previous one (§ 190 BGB).
2. Only then, and only for clocks whose law says so, *shift the end* off a Saturday, Sunday or
   BW public holiday to the next working day (§ 193 BGB, § 31 Abs. 3 LVwVfG). The shift never
   feeds back into the counting: an extension runs from the unshifted end.
3. Derive the status for a given day.
"""

from __future__ import annotations

import calendar as _gregorian
import datetime as dt
from collections.abc import Sequence

from lotse.clocks.calendar import (
    Region,
    add_werktage,
    add_working_days,
    is_werktag,
    is_working_day,
    next_working_day_on_or_after,
    working_days_between,
)
from lotse.clocks.model import Clock, ClockStatus, Extension, State, Suspension, Unit
from lotse.clocks.registry import clock as _clock

_ONE_DAY = dt.timedelta(days=1)


def add_months(day: dt.date, months: int) -> dt.date:
    """Same day number `months` later, or the month's last day if it has none (§ 188 Abs. 3 BGB)."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    last = _gregorian.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def period_end(event_day: dt.date, unit: Unit, amount: int, region: Region = "BW") -> dt.date:
    """The last day of a period of `amount` `unit` that starts with an event on `event_day`.

    No suspension, no end-of-period shift.
    """
    if amount < 0:
        raise ValueError("a period cannot be negative")
    if unit == "calendar_days":
        return event_day + amount * _ONE_DAY
    if unit == "weeks":
        return event_day + dt.timedelta(weeks=amount)
    if unit == "months":
        return add_months(event_day, amount)
    if unit == "working_days":
        return add_working_days(event_day, amount, region)
    if unit == "werktage":
        return add_werktage(event_day, amount, region)
    raise ValueError(f"unknown unit {unit!r}")


def _merged(suspensions: Sequence[Suspension], after: dt.date) -> list[Suspension]:
    """Disjoint suspensions sorted by start, cut to the days after `after`; an open one is last."""
    merged: list[Suspension] = []
    for item in sorted(suspensions, key=lambda s: s.start):
        if item.end is not None and item.end <= after:
            continue
        start = max(item.start, after + _ONE_DAY)
        if merged:
            last = merged[-1]
            if last.end is None:
                break
            if start <= last.end + _ONE_DAY:
                end = None if item.end is None else max(last.end, item.end)
                merged[-1] = Suspension(last.start, end)
                continue
        merged.append(Suspension(start, item.end))
    return merged


def _run(
    event_day: dt.date,
    unit: Unit,
    amount: int,
    halts: Sequence[Suspension],
    region: Region = "BW",
) -> dt.date | None:
    """The last counted day of a period whose suspended days are not counted.

    A period runs on the days after `event_day`; a day inside a suspension does not count
    towards it (Hemmung: "wird in die Frist nicht eingerechnet", § 209 BGB, applied by analogy).
    For day and working-day units this is literal day counting. For weeks and months the
    period's length is fixed first (§ 188 BGB) and every suspended day before its end moves the
    end by one calendar day, so a suspension that straddles the end moves it past the
    suspension by the days that were still to run. A suspension that starts after the last
    counted day has no effect: the period had already run out. Returns None when an open
    suspension halts the period before it has run out.
    """
    if unit in ("working_days", "werktage"):
        counts = is_working_day if unit == "working_days" else is_werktag
        day = event_day
        remaining = amount
        while remaining:
            day += _ONE_DAY
            halt = next((s for s in halts if s.covers(day)), None)
            if halt is not None:
                if halt.end is None:
                    return None
                continue
            if counts(day, region):
                remaining -= 1
        return day

    end = period_end(event_day, unit, amount, region)
    for halt in halts:
        if halt.end is not None and halt.end <= event_day:
            continue
        start = max(halt.start, event_day + _ONE_DAY)
        if start > end:
            break
        if halt.end is None:
            return None
        end += (halt.end - start).days * _ONE_DAY + _ONE_DAY
    return end


def _shifted(clock: Clock, day: dt.date) -> dt.date:
    return next_working_day_on_or_after(day, clock.calendar) if clock.shifts_end else day


def _last_day(
    clock: Clock,
    started_on: dt.date,
    suspensions: Sequence[Suspension],
    extensions: Sequence[Extension],
) -> dt.date | None:
    """The last counted day before the end-of-period shift, or None while halted."""
    if suspensions and not clock.suspendable:
        raise ValueError(f"clock {clock.code!r} cannot be suspended")
    if clock.max_extensions is not None and len(extensions) > clock.max_extensions:
        raise ValueError(
            f"clock {clock.code!r} may be extended only once"
            if clock.max_extensions == 1
            else f"clock {clock.code!r} may be extended at most {clock.max_extensions} times"
        )
    region = clock.calendar

    if clock.suspension_effect == "restart":
        # A request for missing information starts the period afresh once the information
        # arrives, as long as it was made before the period ran out (incl. the § 193 shift).
        end = period_end(started_on, clock.unit, clock.amount, region)
        for item in sorted(suspensions, key=lambda s: s.start):
            if item.start > _shifted(clock, end):
                break
            if item.end is None:
                return None
            if item.end > started_on:
                end = max(end, period_end(item.end, clock.unit, clock.amount, region))
        for extension in extensions:
            end = period_end(end, extension.unit, extension.days, region)
        return end

    halts = _merged(suspensions, started_on)
    last = _run(started_on, clock.unit, clock.amount, halts, region)
    for extension in extensions:
        if last is None:
            break
        # § 190 BGB: the extended period is computed from the end of the previous one.
        last = _run(last, extension.unit, extension.days, halts, region)
    return last


def compute_due(
    clock: Clock,
    started_on: dt.date,
    *,
    suspensions: Sequence[Suspension] = (),
    extensions: Sequence[Extension] = (),
) -> dt.date | None:
    """The due date of `clock` started by an event on `started_on`, or None while it is halted.

    For validity clocks the due date is the last day of validity; for fiction clocks it is the
    last day on which the authority can still prevent the fiction.
    """
    last = _last_day(clock, started_on, suspensions, extensions)
    return None if last is None else _shifted(clock, last)


_PASSED: dict[str, State] = {"deadline": "overdue", "validity": "expired", "fiction": "deemed"}


def clock_status(
    clock: Clock,
    started_on: dt.date,
    today: dt.date,
    *,
    suspensions: Sequence[Suspension] = (),
    extensions: Sequence[Extension] = (),
    stopped_on: dt.date | None = None,
    due_soon_within: int | None = None,
) -> ClockStatus:
    """Where `clock` stands on `today`.

    `stopped_on` is the day the awaited act happened (receipt confirmed, BA answered, worker
    requested the appointment within validity, ...). Suspensions that start after `today` are
    not known yet and are ignored. `due_soon_within` overrides the clock's warning window in
    working days.
    """
    if stopped_on is not None and stopped_on < started_on:
        raise ValueError("a clock cannot stop before it starts")
    known = [s for s in suspensions if s.start <= today]
    last = _last_day(clock, started_on, known, extensions)
    due = None if last is None else _shifted(clock, last)
    passed = _PASSED[clock.kind]

    def status(
        state: State, left: int | None = None, working: int | None = None, late: bool = False
    ) -> ClockStatus:
        return ClockStatus(
            code=clock.code,
            kind=clock.kind,
            state=state,
            due=due,
            days_left=left,
            working_days_left=working,
            late=late,
        )

    if stopped_on is not None:
        late = due is not None and stopped_on > due
        if clock.kind == "deadline":
            return status("met", late=late)
        # A fiction has taken effect and a validity has lapsed once the due day is over; an act
        # after that cannot undo it.
        return status(passed if late else "met", late=late)

    if last is None or due is None:
        return status("suspended")
    left = (due - today).days
    working = working_days_between(today, due, clock.calendar)
    if today > due:
        return status(passed, left, working)
    # A suspension that began only in the § 193 tail after the last counted day does not halt
    # a halting clock (the period had run out), so it is not shown as suspended either.
    effective_until = due if clock.suspension_effect == "restart" else last
    if any(s.covers(today) and s.start <= effective_until for s in known):
        return status("suspended", left, working)
    window = clock.warn_working_days if due_soon_within is None else due_soon_within
    if working <= window:
        return status("due_soon", left, working)
    return status("running", left, working)


def visa_appointment_status(
    *,
    requested_on: dt.date,
    preapproval_on: dt.date,
    appointment_on: dt.date | None,
    today: dt.date,
) -> ClockStatus:
    """§ 31a Abs. 1 AufenthV: the mission gives an appointment within three weeks.

    The clock starts at the later of the worker's request and the Vorabzustimmung, and it is met
    on time only when the appointment date itself falls within the period: an offer of a date
    months away is late (``late`` True), however quickly it was offered.
    """
    started = max(requested_on, preapproval_on)
    status = clock_status(_clock("visa_appointment"), started, today)
    if appointment_on is None:
        return status
    late = status.due is not None and appointment_on > status.due
    return ClockStatus(
        code=status.code,
        kind=status.kind,
        state="overdue" if late else "met",
        due=status.due,
        days_left=None,
        working_days_left=None,
        late=late,
    )
