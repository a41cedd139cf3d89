"""The estimator on synthetic histories: the empirical range, not enough data, the statutory bound."""

from __future__ import annotations

import datetime as dt
import statistics

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lotse import clocks
from lotse.insights import estimator
from lotse.insights.estimator import Situation

TODAY = dt.date(2027, 1, 4)


def test_percentile_interpolates_between_ranks() -> None:
    assert estimator.percentile([10, 20, 30, 40], 0.5) == 25
    assert estimator.percentile(list(range(1, 11)), 0.9) == 9.1
    assert estimator.percentile([7], 0.9) == 7


def test_empirical_median_and_80_percent_range_from_the_anchor() -> None:
    # 20 peers took 10, 11, …, 29 days: median 19.5 → 20, p10 11.9 → 12, p90 27.1 → 27.
    found = estimator.empirical(TODAY, list(range(10, 30)), TODAY)
    assert found is not None
    assert found.median == TODAY + dt.timedelta(days=20)
    assert found.low == TODAY + dt.timedelta(days=12)
    assert found.high == TODAY + dt.timedelta(days=27)
    assert found.peers == 20


def test_fewer_than_twenty_peers_is_not_enough_data() -> None:
    assert estimator.empirical(TODAY, list(range(10, 29)), TODAY) is None
    assert estimator.empirical(TODAY, [], TODAY) is None


def test_an_estimate_already_past_is_today() -> None:
    found = estimator.empirical(TODAY - dt.timedelta(days=100), [10] * 25, TODAY)
    assert found is not None
    assert found.median == found.low == found.high == TODAY


def test_anchor_is_the_latest_event_reached_before_the_milestone() -> None:
    reached = {"started_on": TODAY, "forwarded_on": TODAY, "accepted_on": TODAY}
    assert estimator.anchor_of("preapproval", reached) == "accepted_on"
    assert estimator.anchor_of("visa", {**reached, "preapproved_on": TODAY}) == "preapproved_on"
    assert estimator.remaining({**reached, "preapproved_on": TODAY}) == [
        "visa_appointment", "visa", "entry"]  # fmt: skip


def _situation(**changes: object) -> Situation:
    values: dict[str, object] = {
        "title": "18a",
        "state": "agreement_concluded",
        "recognition_state": "pending",
        "recognition_path": "recognition",
        "body_code": "ihk-fosa",
        "ba_state": "pending",
        "reached": {"started_on": TODAY, "accepted_on": TODAY},
        "open_dues": {},
    }
    values.update(changes)
    return Situation(**values)  # type: ignore[arg-type]


def _due(code: str, start: dt.date) -> dt.date:
    due = clocks.compute_due(clocks.clock(code), start)
    assert due is not None
    return due


def test_statutory_bound_chains_the_clocks_still_to_run() -> None:
    bounds = estimator.statutory_bounds(_situation(), TODAY)
    receipt = _due("recognition_receipt", TODAY)
    decision = _due("recognition_decision", receipt)
    invite = _due("abh_invitation", decision)
    assert bounds["preapproval"].day == invite  # the BA's week ends long before
    assert bounds["preapproval"].clocks == (
        "recognition_receipt", "recognition_decision", "abh_invitation", "ba_deemed_approval")  # fmt: skip
    appointment = _due("visa_appointment", invite)
    assert bounds["visa_appointment"].day == appointment
    assert bounds["visa"].day == _due("visa_decision", appointment)
    assert bounds["entry"].day == _due("visa_validity", bounds["visa"].day)  # type: ignore[arg-type]


def test_a_running_clock_counts_with_its_own_due_day() -> None:
    due = dt.date(2027, 3, 1)
    bounds = estimator.statutory_bounds(
        _situation(recognition_state="file_complete", ba_state="approved",
                   open_dues={"recognition_decision": due}), TODAY)  # fmt: skip
    assert bounds["preapproval"].day == _due("abh_invitation", due)


def test_a_halted_clock_gives_no_bound() -> None:
    bounds = estimator.statutory_bounds(
        _situation(recognition_state="documents_requested", ba_state="not_required",
                   open_dues={"recognition_decision": None}), TODAY)  # fmt: skip
    assert bounds["preapproval"].day is None
    assert bounds["preapproval"].halted
    assert bounds["visa"].day is None


def test_no_recognition_and_no_ba_means_no_statutory_period_before_the_preapproval() -> None:
    bounds = estimator.statutory_bounds(
        _situation(recognition_state="not_required", ba_state="not_required"), TODAY
    )
    assert bounds["preapproval"].day is None
    assert not bounds["preapproval"].halted


def test_after_the_preapproval_the_visa_clocks_count_from_it() -> None:
    issued = TODAY - dt.timedelta(days=3)
    bounds = estimator.statutory_bounds(
        _situation(state="preapproval_issued", recognition_state="decided_full",
                   ba_state="approved", reached={"started_on": TODAY, "preapproved_on": issued}),
        TODAY)  # fmt: skip
    assert "preapproval" not in bounds
    assert bounds["visa_appointment"].day == _due("visa_appointment", TODAY)


@given(st.lists(st.integers(min_value=0, max_value=2_000), min_size=2, max_size=300))
def test_peer_quantiles_are_the_inclusive_quantiles(lengths: list[int]) -> None:
    """Reduced once per peer group, the quantiles are those of linear interpolation between
    closest ranks (statistics.quantiles' "inclusive" method, numpy's default)."""
    cuts = statistics.quantiles(lengths, n=10, method="inclusive")
    peers = estimator.PeerLengths.of(lengths)
    assert peers.count == len(lengths)
    assert peers.p10 == pytest.approx(cuts[0])
    assert peers.p50 == pytest.approx(cuts[4])
    assert peers.p90 == pytest.approx(cuts[8])
    shuffled = estimator.PeerLengths.of(reversed(lengths))
    assert shuffled == peers
