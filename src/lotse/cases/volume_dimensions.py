"""The company size and the country of the qualification of the seeded volume (issue 13).

Kept apart from ``lotse.cases.volume`` so that the seeder calls two functions and its random
sequence stays as it is: both values follow from the row's number alone (a multiplicative
hash), deterministic and without drawing from the seeder's ``random.Random``.
"""

from __future__ import annotations

from lotse.organisations.models import CompanySize

# (value, weight): most companies in the procedure are small or medium; a few give no size.
SIZE_WEIGHTS: tuple[tuple[str, int], ...] = (
    (CompanySize.MICRO, 30),
    (CompanySize.SMALL, 32),
    (CompanySize.MEDIUM, 24),
    (CompanySize.LARGE, 9),
    ("", 5),
)
# (alpha-3, weight): where the qualifications were obtained; "" = not given.
COUNTRY_WEIGHTS: tuple[tuple[str, int], ...] = (
    ("IND", 18), ("TUR", 10), ("VNM", 9), ("PHL", 8), ("BRA", 7), ("COL", 6), ("NGA", 6),
    ("UKR", 6), ("BGD", 5), ("GHA", 4), ("JOR", 4), ("TUN", 4), ("MAR", 3), ("EGY", 3),
    ("", 7),
)  # fmt: skip


def _pick(weights: tuple[tuple[str, int], ...], number: int, salt: int) -> str:
    spot = ((number + salt) * 2654435761 % 2**32) % sum(w for _value, w in weights)
    for value, weight in weights:
        if spot < weight:
            return str(value)
        spot -= weight
    return ""  # pragma: no cover - spot is below the sum of the weights


def company_size_for(number: int) -> str:
    """The size class of the seeded company number ``number`` (blank: not given)."""
    return _pick(SIZE_WEIGHTS, number, 17)


def qualification_country_for(number: int) -> str:
    """The country of the qualification of the seeded case number ``number`` (blank: not given)."""
    return _pick(COUNTRY_WEIGHTS, number, 81)


def sql_pick(number: str, salt: int, weights: tuple[tuple[str, int], ...]) -> str:
    """``_pick`` as a PostgreSQL expression of the SQL expression ``number`` (for giving rows
    seeded before these fields existed their values in place; constants only, never input)."""
    total = sum(w for _value, w in weights)
    spot = f"((({number} + {salt}) * 2654435761) % 4294967296) % {total}"
    parts, upto = [], 0
    for value, weight in weights:
        upto += weight
        parts.append(f"WHEN {spot} < {upto} THEN '{value}'")
    return f"CASE {' '.join(parts)} ELSE '' END"
