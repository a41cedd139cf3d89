from __future__ import annotations

import copy
from typing import Any

import pytest

# A typical case: Carlos, an industrial mechanic from Bogotá, for the machine builder in Asperg.
PROFILE: dict[str, Any] = {
    "decision_date": "2026-06-01",
    "worker": {"birth_date": "1992-04-12", "abroad": True, "german_level": "B1"},
    "qualification": {
        "type": "vocational",
        "training_years": 3,
        "state_recognised": True,
        "reference_occupation": "Industriemechaniker/in",
    },
    "job": {"kind": "employment", "annual_gross_salary": 48000, "municipality": "Asperg"},
}

# The same person, as the Quick-Check form asks for it.
FORM: dict[str, str] = {
    "municipality": "Asperg",
    "decision_date": "2026-06-01",
    "birth_date": "1992-04-12",
    "abroad": "yes",
    "german_level": "B1",
    "qualification_type": "vocational",
    "reference_occupation": "Industriemechaniker/in",
    "training_years": "3",
    "state_recognised": "yes",
    "recognition": "none",
    "regulated": "",
    "experience_years_last_5": "4",
    "anabin_degree_equivalent": "unknown",
    "job_kind": "employment",
    "annual_gross_salary": "48000",
    "duration_months": "",
    "employer_suitable_for_partnership": "unknown",
}


@pytest.fixture
def profile() -> dict[str, Any]:
    return copy.deepcopy(PROFILE)


@pytest.fixture
def form_data() -> dict[str, str]:
    return dict(FORM)
