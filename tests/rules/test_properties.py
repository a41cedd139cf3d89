"""Hypothesis properties of the Quick-Check (issue 3, "Done when")."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from lotse.rules.directory import municipalities
from lotse.rules.documents import TITLES
from lotse.rules.occupations import occupations
from lotse.rules.profile import parse_profile
from lotse.rules.quickcheck import evaluate
from lotse.rules.thresholds import known_range
from tests.rules.profiles import ACADEMIC, VOCATIONAL, blocker_codes, option, with_
from tests.rules.published import PUBLISHED

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SALARY_BLOCKERS = {"salary_below_threshold", "age45_salary"}

_names = [m.name for m in municipalities()]
MUNICIPALITIES = st.sampled_from(
    [*_names, "moeglingen", "BIETIGHEIM BISSINGEN", "Stuttgart", "Leonberg", "x"]
)
_occupation_names = [o.name for o in occupations()] + [f for o in occupations() for f in o.forms]
OCCUPATIONS = st.one_of(st.none(), st.sampled_from(_occupation_names))
LEVELS = st.sampled_from(["none", "A1", "A2", "B1", "B2", "C1", "C2"])
ALL_THRESHOLDS = [v for year in PUBLISHED.values() for v in year.values()]
SALARIES = st.one_of(
    st.integers(min_value=0, max_value=250_000),
    st.floats(min_value=0, max_value=250_000, allow_nan=False, allow_infinity=False),
    st.sampled_from(ALL_THRESHOLDS),
)
DECISION_DATES = st.dates(*known_range())


def maybe(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """A value, or the marker that the optional field is left out."""
    return st.one_of(st.just(_OMIT), strategy)


_OMIT = object()


def drop_omitted(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v is not _OMIT}


@st.composite
def profiles(draw: st.DrawFn) -> dict[str, Any]:
    decision = draw(DECISION_DATES)
    birth = decision - timedelta(days=draw(st.integers(min_value=1, max_value=80 * 366)))
    # Consistent input only (contradictions are refused, tests/rules/test_contradictions.py):
    # a degree after the birth, experience no longer than the working life since age 15.
    degree = draw(
        st.one_of(
            st.none(),
            st.dates(
                max(date(1960, 1, 1), birth + timedelta(days=1)),
                known_range()[1] + timedelta(days=400),
            ),
        )
    )
    working = max(((decision - birth).days - 15 * 365.25) / 365.25, 0.0) * 0.999
    return {
        "decision_date": decision.isoformat(),
        "worker": drop_omitted(
            {
                "birth_date": birth.isoformat(),
                "abroad": draw(st.booleans()),
                "german_level": draw(LEVELS),
                "pension_provision": draw(maybe(st.booleans())),
            }
        ),
        "qualification": drop_omitted(
            {
                "type": draw(st.sampled_from(["none", "vocational", "academic"])),
                "training_years": draw(maybe(st.one_of(st.none(), st.floats(0, 20)))),
                "state_recognised": draw(maybe(st.one_of(st.none(), st.booleans()))),
                "recognition": draw(
                    maybe(st.sampled_from(["none", "pending", "full", "partial", "rejected"]))
                ),
                "reference_occupation": draw(maybe(OCCUPATIONS)),
                "regulated": draw(maybe(st.one_of(st.none(), st.booleans()))),
                "anabin_institution": draw(maybe(st.sampled_from([None, "H+", "H+/-", "H-"]))),
                "anabin_degree_equivalent": draw(maybe(st.one_of(st.none(), st.booleans()))),
                "zab_statement": draw(maybe(st.booleans())),
                "dab": draw(maybe(st.booleans())),
                "degree_date": draw(maybe(st.just(None if degree is None else degree.isoformat()))),
                "experience_years_last_5": draw(maybe(st.floats(0, min(5.0, working)))),
                "it_experience_years_last_7": draw(maybe(st.floats(0, min(7.0, working)))),
            }
        ),
        "job": drop_omitted(
            {
                "kind": draw(
                    st.sampled_from(
                        [
                            "employment",
                            "vocational_training",
                            "recognition_partnership",
                            "adaptation_measure",
                        ]
                    )
                ),
                "annual_gross_salary": draw(SALARIES),
                "duration_months": draw(maybe(st.one_of(st.none(), st.integers(1, 1200)))),
                "collective_agreement": draw(maybe(st.booleans())),
                "shortage_occupation": draw(maybe(st.booleans())),
                "it_specialist": draw(maybe(st.booleans())),
                "municipality": draw(MUNICIPALITIES),
                "employer_suitable_for_partnership": draw(
                    maybe(st.one_of(st.none(), st.booleans()))
                ),
            }
        ),
    }


def eligible_titles(data: dict[str, Any]) -> set[str]:
    return {o.title for o in evaluate(parse_profile(data)).options if o.eligible}


@SETTINGS
@given(profiles())
def test_engine_never_crashes_on_schema_valid_input(data: dict[str, Any]) -> None:
    result = evaluate(parse_profile(data))
    out = result.to_dict(include_followups=True)
    json.dumps(out)
    assert [o.title for o in result.options] == list(TITLES)
    for opt in result.options:
        assert opt.eligible is (not opt.blockers)
        assert opt.ba_approval in ("required", "not_required")
        assert opt.salary_threshold is None or opt.salary_threshold > 0
        for finding in (*opt.blockers, *opt.warnings):
            assert finding.message_de
            assert finding.message_en
            assert finding.code
    if result.recommended is None:
        assert not any(o.eligible for o in result.options)
    else:
        assert result.option(result.recommended.title).eligible


@SETTINGS
@given(profiles(), st.floats(min_value=0, max_value=200_000, allow_nan=False))
def test_raising_the_salary_never_removes_an_eligible_option(
    data: dict[str, Any], raise_by: float
) -> None:
    before = eligible_titles(data)
    higher = with_(data, job__annual_gross_salary=data["job"]["annual_gross_salary"] + raise_by)
    assert before <= eligible_titles(higher)


@SETTINGS
@given(profiles())
def test_salary_equal_to_the_reported_threshold_is_never_a_salary_blocker(
    data: dict[str, Any],
) -> None:
    result = evaluate(parse_profile(data))
    checked = [o for o in result.options if o.salary_threshold is not None]
    assume(checked)
    for opt in checked:
        assert opt.salary_threshold is not None
        at = with_(data, job__annual_gross_salary=opt.salary_threshold)
        assert not blocker_codes(option(at, opt.title)) & SALARY_BLOCKERS


@st.composite
def dates_in(draw: st.DrawFn, year: int, start_month: int = 1) -> date:
    return draw(st.dates(date(year, start_month, 1), date(year, 12, 31)))


@SETTINGS
@given(st.sampled_from(sorted(PUBLISHED)), st.data())
def test_blue_card_threshold_met_at_exactly_its_value_s18g(year: int, data: st.DataObject) -> None:
    on = data.draw(dates_in(year)).isoformat()
    shortage = data.draw(st.booleans())
    amount = PUBLISHED[year]["blue_card_reduced" if shortage else "blue_card_general"]
    base = with_(ACADEMIC, decision_date=on, job__shortage_occupation=shortage)
    assert option(with_(base, job__annual_gross_salary=amount), "18g").eligible
    below = option(with_(base, job__annual_gross_salary=round(amount - 0.01, 2)), "18g")
    assert "salary_below_threshold" in blocker_codes(below)


@SETTINGS
@given(st.sampled_from(sorted(PUBLISHED)), st.data())
def test_s19c_abs2_threshold_met_at_exactly_its_value(year: int, data: st.DataObject) -> None:
    on = data.draw(dates_in(year, start_month=3)).isoformat()
    amount = PUBLISHED[year]["experience_19c2"]
    base = with_(VOCATIONAL, decision_date=on)
    assert option(with_(base, job__annual_gross_salary=amount), "19c2").eligible
    below = option(with_(base, job__annual_gross_salary=round(amount - 0.01, 2)), "19c2")
    assert "salary_below_threshold" in blocker_codes(below)


@SETTINGS
@given(st.sampled_from(sorted(PUBLISHED)), st.data())
def test_age45_threshold_met_at_exactly_its_value_s18_abs2_nr5(
    year: int, data: st.DataObject
) -> None:
    on = data.draw(dates_in(year))
    age = data.draw(st.integers(min_value=48, max_value=66))  # beyond the 2-year tolerance
    birth = date(on.year - age - 1, 1, 1).isoformat()
    amount = PUBLISHED[year]["age45"]
    base = with_(VOCATIONAL, decision_date=on.isoformat(), worker__birth_date=birth)
    at = option(with_(base, job__annual_gross_salary=amount), "18a")
    assert at.eligible
    assert at.salary_threshold == amount
    # More than 5 % below is outside the embassies' tolerance.
    far = option(with_(base, job__annual_gross_salary=round(amount * 0.94, 2)), "18a")
    assert "age45_salary" in blocker_codes(far)
