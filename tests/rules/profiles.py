"""Hand-written base profiles for the rules tests (no values computed by the engine)."""

from __future__ import annotations

import copy
from typing import Any

from lotse.rules.profile import Profile, parse_profile
from lotse.rules.quickcheck import Option, QuickCheckResult, evaluate

# Carlos, industrial mechanic from Bogotá, job in Asperg (LRA Ludwigsburg, cooperating).
VOCATIONAL: dict[str, Any] = {
    "decision_date": "2026-03-02",
    "worker": {"birth_date": "1990-05-01", "abroad": True, "german_level": "B1"},
    "qualification": {
        "type": "vocational",
        "training_years": 3,
        "state_recognised": True,
        "recognition": "none",
        "reference_occupation": "Industriemechaniker/in",
        "experience_years_last_5": 4,
    },
    "job": {"kind": "employment", "annual_gross_salary": 48000, "municipality": "Asperg"},
}

# Ngozi, software developer from Lagos with a degree listed H+ / "entspricht" in anabin.
ACADEMIC: dict[str, Any] = {
    "decision_date": "2026-03-02",
    "worker": {"birth_date": "1994-02-10", "abroad": True, "german_level": "A1"},
    "qualification": {
        "type": "academic",
        "state_recognised": True,
        "anabin_institution": "H+",
        "anabin_degree_equivalent": True,
        "degree_date": "2016-07-01",
        "experience_years_last_5": 5,
    },
    "job": {
        "kind": "employment",
        "annual_gross_salary": 60000,
        "duration_months": None,
        "municipality": "Ludwigsburg",
    },
}

# Priya, nurse from Kochi, B2 German, job in Murr.
NURSE: dict[str, Any] = {
    "decision_date": "2026-03-02",
    "worker": {"birth_date": "1996-09-12", "abroad": True, "german_level": "B2"},
    "qualification": {
        "type": "vocational",
        "training_years": 3,
        "state_recognised": True,
        "reference_occupation": "Pflegefachfrau",
        "experience_years_last_5": 3,
    },
    "job": {"kind": "employment", "annual_gross_salary": 42000, "municipality": "Murr"},
}

# A trainee for a Kfz-Mechatroniker apprenticeship in Bietigheim-Bissingen.
TRAINEE: dict[str, Any] = {
    "decision_date": "2025-06-02",
    "worker": {"birth_date": "2006-01-15", "abroad": True, "german_level": "B1"},
    "qualification": {"type": "none"},
    "job": {
        "kind": "vocational_training",
        "annual_gross_salary": 12000,
        "duration_months": 42,
        "municipality": "Bietigheim-Bissingen",
    },
}


def with_(base: dict[str, Any], **changes: Any) -> dict[str, Any]:
    """Copy of ``base`` with dotted-path changes: with_(P, job__annual_gross_salary=1)."""
    data = copy.deepcopy(base)
    for dotted, value in changes.items():
        parts = dotted.split("__")
        target = data
        for part in parts[:-1]:
            target = target[part]
        if value is _DELETE:
            target.pop(parts[-1], None)
        else:
            target[parts[-1]] = value
    return data


class _Delete:
    pass


_DELETE: Any = _Delete()
DELETE: Any = _DELETE


def profile(data: dict[str, Any]) -> Profile:
    return parse_profile(data)


def run(data: dict[str, Any]) -> QuickCheckResult:
    return evaluate(parse_profile(data))


def option(data: dict[str, Any], title: str) -> Option:
    return run(data).option(title)


def blocker_codes(opt: Option) -> set[str]:
    return {b.code for b in opt.blockers}


def warning_codes(opt: Option) -> set[str]:
    return {w.code for w in opt.warnings}


# An IT specialist without any formal qualification (§ 6 Abs. 1 Satz 3 BeschV: two years of IT
# experience in the last five, 45 % of the BBG), job in Ludwigsburg: § 19c Abs. 2 is the only
# open title (no degree for § 18g, no three years of IT experience for § 18g Abs. 2).
IT_NO_QUALIFICATION: dict[str, Any] = with_(
    VOCATIONAL,
    qualification__type="none",
    qualification__training_years=None,
    qualification__state_recognised=None,
    qualification__reference_occupation=None,
    qualification__experience_years_last_5=0,
    qualification__it_experience_years_last_5=2,
    job__it_specialist=True,
    job__annual_gross_salary=46000,
)
