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


# ----------------------------------------------------------------- across several lines (issue 13)


def determined(values: list[list[int]], hidden: frozenset[tuple[int, int]]) -> set[tuple[int, int]]:
    """An attacker independent of the code under test: exact Gaussian elimination over every
    line equation (row i: cells sum to the row total; column j likewise; the totals line too).
    A hidden cell is determined when its unit vector lies in the row space of the equations."""
    from fractions import Fraction

    height, width = len(values), len(values[0])
    unknowns = sorted(hidden)
    index = {cell: k for k, cell in enumerate(unknowns)}
    lines = [[(r, c) for c in range(width)] for r in range(height)]
    lines += [[(r, c) for r in range(height)] for c in range(width)]
    matrix: list[list[Fraction]] = []
    for line in lines:
        *inner, total = line
        row = [Fraction(0)] * len(unknowns)
        for cell in inner:
            if cell in index:
                row[index[cell]] += 1
        if total in index:
            row[index[total]] -= 1
        if any(row):
            matrix.append(row)
    pivot_rows: list[list[Fraction]] = []
    pivots: list[int] = []
    for col in range(len(unknowns)):
        found = next((r for r in matrix if r[col] != 0 and r not in pivot_rows), None)
        if found is None:
            continue
        found[:] = [v / found[col] for v in found]
        for other in matrix:
            if other is not found and other[col] != 0:
                factor = other[col]
                other[:] = [a - factor * b for a, b in zip(other, found, strict=True)]
        pivot_rows.append(found)
        pivots.append(col)
    return {unknowns[col] for col, row in zip(pivots, pivot_rows, strict=True)
            if sum(1 for v in row if v != 0) == 1}  # fmt: skip


# Two blocks of small counts (rows 0–1 × columns 0–1, rows 2–3 × columns 2–3) joined by one
# small cell (row 1, column 2). Every row and column has two or more small cells, so the rule
# "a line with a single hidden cell" finds nothing to add, yet the joining cell leaks.
LEAKY = [
    [1, 2, 30, 30, 30],
    [2, 1, 3, 30, 30],
    [40, 40, 1, 2, 40],
    [40, 40, 2, 1, 40],
    [50, 50, 50, 50, 50],
]


def test_a_naive_per_line_suppression_leaks_a_cell_by_subtraction() -> None:
    from lotse.insights.suppression import with_totals

    values = with_totals(LEAKY)
    primary = frozenset((r, c) for r in range(6) for c in range(6) if 0 < values[r][c] < 5)
    lines = [[(r, c) for c in range(6)] for r in range(6)]
    lines += [[(r, c) for r in range(6)] for c in range(6)]
    assert all(sum(1 for cell in line if cell in primary) != 1 for line in lines)
    # The reader adds the totals of rows 0 and 1, subtracts those of columns 0 and 1 and the
    # shown cells of rows 0 and 1: the four block cells cancel, the joining cell remains.
    shown = {(r, c): values[r][c] for r in range(6) for c in range(6) if (r, c) not in primary}
    leaked = (shown[(0, 5)] + shown[(1, 5)] - shown[(5, 0)] - shown[(5, 1)]
              - sum(shown[(r, c)] for r in (0, 1) for c in (2, 3, 4) if (r, c) in shown)
              + sum(shown[(r, c)] for r in (2, 3, 4) for c in (0, 1)))  # fmt: skip
    assert leaked == 3 == LEAKY[1][2]
    assert determined(values, primary) == {(1, 2)}


def test_suppression_across_lines_closes_the_leak() -> None:
    result = suppress(LEAKY, 5)
    assert (1, 2) in result.hidden
    assert len(result.hidden) > 9  # at least one complementary cell was added
    assert derivable(result) == []
    assert determined(result.values, result.hidden) == set()


def test_the_bridge_test_agrees_with_the_attacker_on_random_patterns() -> None:
    import random

    from lotse.insights.suppression import bridges, with_totals

    rng = random.Random(2026)
    for _ in range(300):
        table = [[rng.randint(0, 60) for _ in range(4)] for _ in range(4)]
        values = with_totals(table)
        hidden = frozenset((r, c) for r in range(5) for c in range(5) if rng.random() < 0.35)
        assert {b for b, _r, _c in bridges(hidden)} == determined(values, hidden)


def test_many_random_tables_leave_nothing_the_attacker_can_compute() -> None:
    import random

    rng = random.Random(81)
    for _ in range(300):
        rows, columns = rng.randint(1, 6), rng.randint(1, 7)
        table = [[rng.choice([0, 0, 1, 2, 3, 4, 5, 9, 40]) for _ in range(columns)]
                 for _ in range(rows)]  # fmt: skip
        result = suppress(table, 5)
        assert determined(result.values, result.hidden) == set(), table
        # Every count under the minimum stays hidden.
        assert all((r, c) in result.hidden for r in range(rows) for c in range(columns)
                   if 0 < table[r][c] < 5)  # fmt: skip
