"""Small-cell suppression of the open statistics, including complementary suppression."""

from __future__ import annotations

from lotse.insights.suppression import derivable, suppress


def test_cells_under_the_minimum_are_hidden_and_zeros_shown() -> None:
    result = suppress([[10, 0, 12], [20, 30, 40]], 5)
    assert result.hidden == frozenset()
    assert result.shown(0, 1) == 0
    assert result.shown(0, 3) == 22  # row total


def test_one_small_cell_in_a_row_hides_a_second_one() -> None:
    # 3 is under 5; the row total 33 minus 10 would give it away, so 10 goes too (smallest).
    result = suppress([[3, 10, 20], [30, 40, 50]], 5)
    assert (0, 0) in result.hidden
    assert (0, 1) in result.hidden
    assert derivable(result) == []


def test_complementary_suppression_also_protects_columns() -> None:
    result = suppress([[3, 10, 20], [30, 40, 50], [25, 26, 27]], 5)
    # The first column total minus the others would give the 3 back: a second cell in it hides.
    assert sum(1 for r in range(4) if (r, 0) in result.hidden) >= 2
    assert derivable(result) == []


def test_a_small_total_is_hidden_with_its_cells() -> None:
    result = suppress([[1, 2]], 5)
    assert result.shown(0, 2) is None  # row total 3
    assert derivable(result) == []


def test_many_random_tables_leave_nothing_derivable() -> None:
    import random

    rng = random.Random(13)
    for _ in range(200):
        table = [[rng.choice([0, 1, 2, 4, 5, 8, 30]) for _ in range(4)] for _ in range(5)]
        assert derivable(suppress(table, 5)) == []
