"""Due dates of every clock without suspension or extension, one table per clock."""

from __future__ import annotations

from datetime import date

import pytest

from lotse.clocks import clock, compute_due


def _due(code: str, started_on: date) -> date | None:
    return compute_due(clock(code), started_on)


# Expected dates written by hand from a printed calendar and the BW public holidays.
@pytest.mark.parametrize(
    ("code", "started_on", "expected"),
    [
        # 2 weeks, end moved off weekends and holidays
        ("recognition_receipt", date(2026, 3, 2), date(2026, 3, 16)),
        ("recognition_receipt", date(2026, 3, 20), date(2026, 4, 7)),  # Karfreitag → Tuesday
        ("recognition_receipt", date(2025, 12, 23), date(2026, 1, 7)),  # Heilige Drei Könige
        ("recognition_receipt", date(2024, 10, 18), date(2024, 11, 4)),  # Allerheiligen (Fri)
        ("recognition_receipt", date(2026, 5, 21), date(2026, 6, 5)),  # Fronleichnam
        ("recognition_receipt", date(2026, 12, 11), date(2026, 12, 28)),  # Christmas
        ("recognition_receipt", date(2026, 10, 17), date(2026, 11, 2)),  # Sat, then Allerheiligen
        # 2 months from the complete file
        ("recognition_decision", date(2026, 1, 31), date(2026, 3, 31)),
        ("recognition_decision", date(2025, 12, 31), date(2026, 3, 2)),  # 28 Feb is a Saturday
        ("recognition_decision", date(2023, 12, 31), date(2024, 2, 29)),  # leap day, Thursday
        ("recognition_decision", date(2027, 12, 31), date(2028, 2, 29)),  # leap day, Tuesday
        ("recognition_decision", date(2026, 8, 31), date(2026, 11, 2)),  # Sat 31 Oct, Sun 1 Nov
        ("recognition_decision", date(2026, 11, 6), date(2027, 1, 7)),  # Heilige Drei Könige
        ("recognition_decision", date(2026, 2, 3), date(2026, 4, 7)),  # Karfreitag
        ("recognition_decision", date(2026, 4, 4), date(2026, 6, 5)),  # Fronleichnam
        ("recognition_decision", date(2026, 10, 25), date(2026, 12, 28)),  # Christmas
        ("comparability_statement", date(2026, 10, 25), date(2026, 12, 28)),
        # 3 Werktage (Saturday counts, Sunday and holidays do not), end off Saturday
        ("abh_invitation", date(2026, 3, 2), date(2026, 3, 5)),
        ("abh_invitation", date(2026, 3, 5), date(2026, 3, 9)),  # Fri, Sat, Mon
        ("abh_invitation", date(2026, 6, 3), date(2026, 6, 8)),  # Fronleichnam
        ("abh_invitation", date(2026, 1, 7), date(2026, 1, 12)),  # 3rd Werktag is a Saturday
        ("abh_invitation", date(2026, 4, 2), date(2026, 4, 8)),  # Easter
        ("abh_invitation", date(2026, 12, 23), date(2026, 12, 29)),  # Christmas
        ("abh_invitation", date(2026, 12, 29), date(2027, 1, 4)),  # Neujahr, Sat 2 Jan → Mon
        # 1 week, then approval is deemed given
        ("ba_deemed_approval", date(2026, 3, 2), date(2026, 3, 9)),
        (
            "ba_deemed_approval",
            date(2026, 5, 28),
            date(2026, 6, 4),
        ),  # Fronleichnam: BW only (§ 31 VwVfG)
        ("ba_deemed_approval", date(2026, 12, 18), date(2026, 12, 28)),  # Christmas
        ("ba_deemed_approval", date(2026, 12, 30), date(2027, 1, 6)),  # 6 Jan: BW only (§ 31 VwVfG)
        ("ba_deemed_approval", date(2026, 12, 31), date(2027, 1, 7)),
        # validity 3 months, no shift
        ("preapproval_validity", date(2026, 1, 31), date(2026, 4, 30)),
        ("preapproval_validity", date(2025, 11, 30), date(2026, 2, 28)),  # Saturday stays
        ("preapproval_validity", date(2026, 10, 6), date(2027, 1, 6)),  # holiday stays
        ("preapproval_validity", date(2027, 11, 29), date(2028, 2, 29)),
        # 3 weeks at the mission abroad, no BW shift
        ("visa_appointment", date(2026, 3, 9), date(2026, 3, 30)),
        ("visa_appointment", date(2026, 12, 4), date(2026, 12, 25)),
        ("visa_decision", date(2026, 12, 17), date(2027, 1, 7)),
        # visa validity 12 months, no shift
        ("visa_validity", date(2026, 2, 28), date(2027, 2, 28)),
        ("visa_validity", date(2028, 2, 29), date(2029, 2, 28)),
        # 2 weeks after entry, end moved
        ("registration_after_entry", date(2026, 12, 12), date(2026, 12, 28)),
        ("registration_after_entry", date(2026, 12, 22), date(2027, 1, 5)),
        ("registration_after_entry", date(2026, 12, 23), date(2027, 1, 7)),
        # 4 weeks from knowledge, end moved
        ("employer_early_end_report", date(2026, 12, 4), date(2027, 1, 4)),  # Neujahr (Fri)
        ("employer_early_end_report", date(2026, 3, 9), date(2026, 4, 7)),  # Ostermontag
    ],
)
def test_due_date(code: str, started_on: date, expected: date) -> None:
    assert _due(code, started_on) == expected
