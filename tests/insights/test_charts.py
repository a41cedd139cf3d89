"""The SVG charts' geometry: axes of counts in whole numbers, a legend that does not overlap,
numbers in the reader's notation."""

from __future__ import annotations

import itertools

from hypothesis import given
from hypothesis import strategies as st

from lotse.insights import charts

GERMAN_SERIES = ("Begonnene Fälle", "An die Ausländerbehörde weitergeleitet", "Erteilte Visa")


def test_an_axis_of_cases_has_whole_numbers_only() -> None:
    chart = charts.grouped_bars(
        "events", "Fälle", ["10/26", "11/26"], [("a", [1, 3]), ("b", [0, 1])]
    )
    assert [text for _y, text in chart.y_ticks] == ["0", "1", "2", "3"]


@given(st.lists(st.integers(min_value=0, max_value=100_000), min_size=1, max_size=24))
def test_count_ticks_are_whole_and_cover_the_largest_value(values: list[int]) -> None:
    chart = charts.grouped_bars("events", "Fälle", [str(i) for i in range(len(values))],
                                [("a", values)])  # fmt: skip
    ticks = [float(text) for _y, text in chart.y_ticks]
    assert all(t.is_integer() for t in ticks)
    assert ticks[0] == 0
    assert ticks[-1] >= max(values)
    assert 2 <= len(ticks) <= 9
    # The bars stay inside the plot.
    assert all(bar.y >= charts.TOP - 0.01 for bar in chart.bars)


def test_legend_entries_do_not_overlap_and_stay_inside_the_chart() -> None:
    chart = charts.grouped_bars(
        "events", "Fälle", ["10/26"], [(name, [1]) for name in GERMAN_SERIES]
    )
    entries = sorted(chart.legend, key=lambda e: (e[1], e[0]))
    for (x, y, _fill, text), (next_x, next_y, _f, _t) in itertools.pairwise(entries):
        if y == next_y:
            assert next_x >= x + charts.LEGEND_SWATCH + len(text) * charts.LEGEND_CHAR_WIDTH
    for x, y, _fill, text in entries:
        assert x + charts.LEGEND_SWATCH + len(text) * charts.LEGEND_CHAR_WIDTH <= chart.width
        assert y + 12 <= chart.height


def test_a_long_legend_wraps_onto_a_new_row_and_the_chart_grows() -> None:
    one = charts.grouped_bars("e", "t", ["x"], [("kurz", [1])])
    many = charts.grouped_bars("e", "t", ["x"], [(name * 2, [1]) for name in GERMAN_SERIES])
    assert len({y for _x, y, _f, _t in many.legend}) > 1
    assert many.height > one.height


def test_numbers_use_the_reader_s_decimal_separator() -> None:
    chart = charts.horizontal_bars("d", "Tage", [("Weiterleitung bis Annahme", 1.5)],
                                   decimal_separator=",")  # fmt: skip
    assert chart.values[0][2] == "1,5"
    bars = charts.grouped_bars("e", "t", ["x", "y"], [("a", [0.3, 0.9])], decimal_separator=",")
    assert [text for _y, text in bars.y_ticks] == ["0", "0,25", "0,5", "0,75", "1"]
