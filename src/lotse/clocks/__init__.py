"""Statutory deadlines of the § 81a procedure on the Baden-Württemberg calendar.

Framework-free on purpose: nothing here imports Django, so the engine can be tested and reused
without settings. See docs/deadlines.md for the clocks and the counting rules.
"""

from __future__ import annotations

from lotse.clocks.calendar import (
    add_werktage,
    add_working_days,
    holiday_name,
    is_public_holiday,
    is_werktag,
    is_working_day,
    next_working_day_on_or_after,
    working_days_between,
)
from lotse.clocks.compute import (
    add_months,
    clock_status,
    compute_due,
    period_end,
    visa_appointment_status,
)
from lotse.clocks.model import (
    Clock,
    ClockStatus,
    Extension,
    Kind,
    Party,
    State,
    Suspension,
    SuspensionEffect,
    Unit,
)
from lotse.clocks.registry import CLOCKS_VERSION, clock, clocks

__all__ = [
    "CLOCKS_VERSION",
    "Clock",
    "ClockStatus",
    "Extension",
    "Kind",
    "Party",
    "State",
    "Suspension",
    "SuspensionEffect",
    "Unit",
    "add_months",
    "add_werktage",
    "add_working_days",
    "clock",
    "clock_status",
    "clocks",
    "compute_due",
    "holiday_name",
    "is_public_holiday",
    "is_werktag",
    "is_working_day",
    "next_working_day_on_or_after",
    "period_end",
    "visa_appointment_status",
    "working_days_between",
]
