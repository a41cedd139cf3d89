"""Server-rendered SVG charts (ADR 0024): geometry here, markup in templates/insights/_chart.svg.

No JavaScript. Every chart is drawn beside the table of its figures (the table is what screen
readers and keyboard users read; the chart is an image with a title that says so).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

# Colours with at least 3:1 contrast against white (WCAG 1.4.11 for graphics).
PALETTE = ("#004b76", "#b04a00", "#2e6b30", "#6a3d9a", "#8a1c1c", "#3f3f3f")
WIDTH, HEIGHT = 640, 260
LEFT, BOTTOM, TOP, RIGHT = 48, 40, 16, 8


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    w: float
    h: float
    fill: str
    title: str


@dataclass
class Chart:
    key: str
    title: str
    width: int = WIDTH
    height: int = HEIGHT
    bars: list[Bar] = field(default_factory=list)
    x_labels: list[tuple[float, float, str]] = field(default_factory=list)
    y_ticks: list[tuple[float, str]] = field(default_factory=list)
    legend: list[tuple[float, float, str, str]] = field(default_factory=list)  # x, y, fill, text
    values: list[tuple[float, float, str]] = field(default_factory=list)
    grid_left: int = LEFT
    grid_right: int = WIDTH - RIGHT


def nice_max(value: float) -> float:
    if value <= 0:
        return 1.0
    magnitude = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return float(step * magnitude)
    return float(10 * magnitude)  # pragma: no cover


def nice_step(value: float, count: int = 4, *, integral: bool = False) -> float:
    """A round step (1, 2, 2.5 or 5 × 10^k) for about ``count`` ticks up to ``value``; at least 1
    when the figures are counts, so that no axis of cases reads 1.25 or 3.75."""
    raw = value / count
    if raw <= 0:
        return 1.0
    magnitude = 10 ** math.floor(math.log10(raw))
    for multiple in (1, 2, 2.5, 5, 10):
        step = multiple * magnitude
        if step >= raw and (not integral or float(step).is_integer()):
            return float(step)
    return float(10 * magnitude)  # pragma: no cover


def _fmt(value: float, decimal_separator: str = ".") -> str:
    return f"{value:g}".replace(".", decimal_separator)


# The legend's text is measured by an estimate (SVG has no text metrics on the server): 12 px
# Fira Sans averages below 0.6 em per character, so the estimate errs towards more room.
LEGEND_CHAR_WIDTH = 7.2
LEGEND_SWATCH, LEGEND_GAP, LEGEND_ROW = 16, 24, 18


def legend_layout(names: Sequence[str], width: int = WIDTH) -> list[tuple[float, int]]:
    """(x, row) of each legend entry: side by side while they fit, then on a new row."""
    placed: list[tuple[float, int]] = []
    x, row = float(LEFT), 0
    for name in names:
        needed = LEGEND_SWATCH + len(name) * LEGEND_CHAR_WIDTH
        if x > LEFT and x + needed > width - RIGHT:
            x, row = float(LEFT), row + 1
        placed.append((x, row))
        x += needed + LEGEND_GAP
    return placed


def grouped_bars(
    key: str, title: str, categories: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | int | None]]],
    *, decimal_separator: str = ".",
) -> Chart:  # fmt: skip
    """Vertical bars, one group per category, one bar per series."""
    layout = legend_layout([name for name, _values in series])
    rows = 1 + max((row for _x, row in layout), default=0)
    chart = Chart(key=key, title=title, height=HEIGHT + 6 + LEGEND_ROW * rows)
    values_all = [v or 0 for _, values in series for v in values]
    integral = all(float(v).is_integer() for v in values_all)
    step = nice_step(max(values_all, default=0), integral=integral)
    top_value = step * max(1, math.ceil(max(values_all, default=0) / step))
    plot_h = HEIGHT - TOP - BOTTOM
    plot_w = WIDTH - LEFT - RIGHT
    group_w = plot_w / max(len(categories), 1)
    bar_w = group_w * 0.8 / max(len(series), 1)
    base = TOP + plot_h
    for i in range(round(top_value / step) + 1):
        value = step * i
        chart.y_ticks.append((base - plot_h * value / top_value, _fmt(value, decimal_separator)))
    for c, category in enumerate(categories):
        x0 = LEFT + c * group_w + group_w * 0.1
        chart.x_labels.append((x0 + group_w * 0.4, base + 14, category))
        for s, (name, values) in enumerate(series):
            value = values[c] or 0
            h = plot_h * value / top_value
            chart.bars.append(
                Bar(
                    x0 + s * bar_w,
                    base - h,
                    max(bar_w - 1, 1),
                    h,
                    PALETTE[s % len(PALETTE)],
                    f"{category}, {name}: {_fmt(value, decimal_separator)}",
                )
            )
    for s, ((name, _values), (x, row)) in enumerate(zip(series, layout, strict=True)):
        y = HEIGHT + 6 + row * LEGEND_ROW
        chart.legend.append((x, y, PALETTE[s % len(PALETTE)], name))
    return chart


def horizontal_bars(
    key: str, title: str, rows: Sequence[tuple[str, float | int | None]], maximum: float | None = None,
    suffix: str = "", *, decimal_separator: str = ".",
) -> Chart:  # fmt: skip
    """One horizontal bar per row, its label on the left."""
    left = 260
    row_h = 26
    chart = Chart(key=key, title=title, height=TOP + row_h * max(len(rows), 1) + 28,
                  grid_left=left)  # fmt: skip
    top_value = maximum or nice_max(max((v or 0 for _, v in rows), default=0))
    plot_w = WIDTH - left - RIGHT - 40
    for i, (label, value) in enumerate(rows):
        y = TOP + i * row_h
        w = plot_w * (value or 0) / top_value
        chart.x_labels.append((left - 6, y + row_h * 0.6, label))
        text = "–" if value is None else f"{_fmt(value, decimal_separator)}{suffix}"
        chart.bars.append(Bar(left, y + 4, w, row_h - 8, PALETTE[0], f"{label}: {text}"))
        chart.values.append((left + w + 4, y + row_h * 0.6, text))
    return chart
