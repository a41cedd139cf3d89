"""Small-cell suppression of a published table, including complementary suppression.

Framework-free. A table is a matrix of counts with its row totals, column totals and grand
total published beside it. Every count under the minimum (but above zero) is suppressed; then,
as long as some row or column (with its total) has exactly one suppressed entry, that entry could
be derived as total minus the others, so the smallest other entry of that line is suppressed
too. docs/statistics.md, "Suppression".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

Cell = tuple[int, int]  # (row, column); row == len(rows) is the total row, likewise columns


@dataclass(frozen=True)
class Suppressed:
    values: list[list[int]]  # the table with its totals: (rows + 1) × (columns + 1)
    hidden: frozenset[Cell]

    def shown(self, row: int, column: int) -> int | None:
        return None if (row, column) in self.hidden else self.values[row][column]


def with_totals(table: Sequence[Sequence[int]]) -> list[list[int]]:
    columns = len(table[0]) if table else 0
    rows = [[*row, sum(row)] for row in table]
    rows.append([sum(row[c] for row in rows) for c in range(columns + 1)])
    return rows


def suppress(table: Sequence[Sequence[int]], minimum: int) -> Suppressed:
    values = with_totals(table)
    height, width = len(values), len(values[0]) if values else 0
    hidden: set[Cell] = {
        (r, c) for r in range(height) for c in range(width) if 0 < values[r][c] < minimum
    }
    lines: list[list[Cell]] = [[(r, c) for c in range(width)] for r in range(height)]
    lines += [[(r, c) for r in range(height)] for c in range(width)]
    changed = True
    while changed:
        changed = False
        for line in lines:
            inside = [cell for cell in line if cell in hidden]
            if len(inside) != 1:
                continue
            # The inner cells before the total (the total is the last of the line), smallest first.
            others = [cell for cell in line if cell not in hidden]
            if not others:  # pragma: no cover - a line of one entry is never published
                continue
            total = line[-1]
            others.sort(key=lambda cell: (cell == total, values[cell[0]][cell[1]] == 0,
                                          values[cell[0]][cell[1]]))  # fmt: skip
            hidden.add(others[0])
            changed = True
    return Suppressed(values=values, hidden=frozenset(hidden))


def derivable(result: Suppressed) -> list[Cell]:
    """The hidden cells a reader could compute from the shown ones (for tests: must be empty)."""
    values, hidden = result.values, result.hidden
    height, width = len(values), len(values[0]) if values else 0
    lines = [[(r, c) for c in range(width)] for r in range(height)]
    lines += [[(r, c) for r in range(height)] for c in range(width)]
    return [cell for line in lines for cell in line if cell in hidden
            and sum(1 for other in line if other in hidden) == 1]  # fmt: skip
