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
    legend: list[tuple[float, str, str]] = field(default_factory=list)
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


def _fmt(value: float) -> str:
    return f"{value:g}"


def grouped_bars(
    key: str, title: str, categories: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | int | None]]],
) -> Chart:  # fmt: skip
    """Vertical bars, one group per category, one bar per series."""
    chart = Chart(key=key, title=title, height=HEIGHT + 24)
    top_value = nice_max(max((v or 0 for _, values in series for v in values), default=0))
    plot_h = HEIGHT - TOP - BOTTOM
    plot_w = WIDTH - LEFT - RIGHT
    group_w = plot_w / max(len(categories), 1)
    bar_w = group_w * 0.8 / max(len(series), 1)
    base = TOP + plot_h
    for i in range(5):
        value = top_value * i / 4
        chart.y_ticks.append((base - plot_h * i / 4, _fmt(value)))
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
                    f"{category}, {name}: {_fmt(value)}",
                )
            )
    for s, (name, _values) in enumerate(series):
        chart.legend.append((LEFT + s * 200, PALETTE[s % len(PALETTE)], name))
    return chart


def horizontal_bars(
    key: str, title: str, rows: Sequence[tuple[str, float | int | None]], maximum: float | None = None,
    suffix: str = "",
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
        text = "–" if value is None else f"{_fmt(value)}{suffix}"
        chart.bars.append(Bar(left, y + 4, w, row_h - 8, PALETTE[0], f"{label}: {text}"))
        chart.values.append((left + w + 4, y + row_h * 0.6, text))
    return chart
