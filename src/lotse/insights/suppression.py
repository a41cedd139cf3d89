"""Small-cell suppression of a published table, including complementary suppression.

Framework-free. A table is a matrix of counts with its row totals, column totals and grand
total published beside it. Every count under the minimum (but above zero) is suppressed; then
complementary cells, until no suppressed one can be computed from the shown ones: neither from
one line (its total minus the others) nor from several lines together (``bridges``).
docs/statistics.md, "Suppression".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

Cell = tuple[int, int]  # (row, column); row == len(rows) is the total row, likewise columns
Node = tuple[str, int]  # ("r", row) or ("c", column): a line of the table


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


def _lines(height: int, width: int) -> list[list[Cell]]:
    lines = [[(r, c) for c in range(width)] for r in range(height)]
    return lines + [[(r, c) for r in range(height)] for c in range(width)]


def _order(values: list[list[int]], total: Cell) -> Any:
    # Inner cells before totals, non-zero before zero, smallest first, then by position.
    def key(cell: Cell) -> tuple[bool, bool, int, Cell]:
        value = values[cell[0]][cell[1]]
        return (cell[0] == total[0] or cell[1] == total[1], value == 0, value, cell)

    return key


def bridges(hidden: frozenset[Cell] | set[Cell]) -> list[tuple[Cell, set[Node], set[Node]]]:
    """The hidden cells a reader can compute exactly (sorted), each with the rows and columns
    joined to its row and to its column by the other hidden cells.

    With the totals negated, every row and every column of the published table sums to zero:
    each line is one equation. The hidden cells are the edges of a bipartite graph between the
    rows and the columns, and a hidden cell is determined by the shown ones exactly when its
    edge lies on no cycle of that graph (a bridge): along a cycle the values can be shifted
    +1/−1 alternately without changing any line's sum. Cutting a bridge splits its component
    in two; summing the equations of one side leaves the bridge alone (docs/statistics.md).
    """
    adjacent: dict[Node, list[tuple[Node, Cell]]] = {}
    for cell in hidden:
        row, column = ("r", cell[0]), ("c", cell[1])
        adjacent.setdefault(row, []).append((column, cell))
        adjacent.setdefault(column, []).append((row, cell))
    found: list[Cell] = []
    seen: dict[Node, int] = {}
    low: dict[Node, int] = {}
    for root in sorted(adjacent):
        if root in seen:
            continue
        seen[root] = low[root] = len(seen)
        # Iterative depth-first search (Tarjan): (node, the edge we came by, next neighbour).
        stack: list[tuple[Node, Cell | None, int]] = [(root, None, 0)]
        while stack:
            node, via, i = stack.pop()
            if i < len(adjacent[node]):
                stack.append((node, via, i + 1))
                other, edge = adjacent[node][i]
                if edge == via:
                    continue
                if other in seen:
                    low[node] = min(low[node], seen[other])
                else:
                    seen[other] = low[other] = len(seen)
                    stack.append((other, edge, 0))
            elif via is not None:
                parent = stack[-1][0]
                low[parent] = min(low[parent], low[node])
                if low[node] > seen[parent]:
                    found.append(via)

    def side(start: Node, rest: set[Cell]) -> set[Node]:
        reached, todo = {start}, [start]
        while todo:
            node = todo.pop()
            for other, edge in adjacent[node]:
                if edge in rest and other not in reached:
                    reached.add(other)
                    todo.append(other)
        return reached

    result = []
    for bridge in sorted(found):
        rest = set(hidden) - {bridge}
        result.append((bridge, side(("r", bridge[0]), rest), side(("c", bridge[1]), rest)))
    return result


def suppress(table: Sequence[Sequence[int]], minimum: int) -> Suppressed:
    """Hide every count under ``minimum`` (above zero), then complementary cells until none of
    the hidden ones can be computed from the shown ones, by one line or across several."""
    values = with_totals(table)
    height, width = len(values), len(values[0]) if values else 0
    total = (height - 1, width - 1)
    order = _order(values, total)
    hidden: set[Cell] = {
        (r, c) for r in range(height) for c in range(width) if 0 < values[r][c] < minimum
    }
    lines = _lines(height, width)
    while True:
        # A line with exactly one hidden entry gives it away as its total minus the others.
        single = next((line for line in lines
                       if sum(1 for cell in line if cell in hidden) == 1), None)  # fmt: skip
        if single is not None:
            others = sorted((cell for cell in single if cell not in hidden), key=order)
            if not others:  # pragma: no cover - a line of one entry is never published
                break
            hidden.add(others[0])
            continue
        # Several lines together: a hidden cell on no cycle of hidden cells is computable.
        found = bridges(frozenset(hidden))
        if not found:
            break
        _bridge, row_side, column_side = found[0]
        # A shown cell joining a column on the bridge's row side to a row on its column side
        # closes a cycle through the bridge.
        candidates = sorted(
            ((r, c) for r in range(height) for c in range(width)
             if (r, c) not in hidden and ("c", c) in row_side and ("r", r) in column_side),
            key=order,
        )  # fmt: skip
        if not candidates:  # pragma: no cover - the line rule leaves every side a cycle
            candidates = sorted(((r, c) for r in range(height) for c in range(width)
                                 if (r, c) not in hidden), key=order)  # fmt: skip
            if not candidates:
                break
        hidden.add(candidates[0])
    return Suppressed(values=values, hidden=frozenset(hidden))


def derivable(result: Suppressed) -> list[Cell]:
    """The hidden cells a reader could compute from the shown ones (for tests: must be empty)."""
    return [bridge for bridge, _rows, _columns in bridges(result.hidden)]
