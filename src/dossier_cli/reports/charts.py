"""The geometry of the report's inline SVG charts: plain numbers, drawn by the templates.

Every chart keeps the numbers it was drawn from (`value`, the `label` it belongs to), and the
templates write them onto the shapes as `data-value`/`data-label`, so a test can compare a
chart with the JSON of the command the numbers come from. No JavaScript, no fonts fetched:
the SVG is part of the page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

WIDTH = 640  # px at 96 dpi: ~170 mm, inside an A4 page's margins


@dataclass
class Bar:
    label: str
    value: float
    x: float
    y: float
    width: float
    height: float
    text: str = ""  # what is written beside the bar
    series: str = ""
    note: str = ""  # a second line of text, e.g. the conversion onward
    shown: str = ""  # the label as the reader sees it (default: `label`, which stays the stored value)

    @property
    def name(self) -> str:
        return self.shown or self.label


@dataclass
class Chart:
    name: str
    width: float
    height: float
    bars: list[Bar] = field(default_factory=list)
    lines: list[dict[str, Any]] = field(default_factory=list)  # {"points": "x,y x,y", "series": …, "values": [...]}
    labels: list[dict[str, Any]] = field(default_factory=list)  # {"x", "y", "text", "anchor"}
    rules: list[dict[str, Any]] = field(default_factory=list)  # {"x1", "y1", "x2", "y2", "text", "dashed"}
    legend: list[tuple[str, str]] = field(default_factory=list)  # (series, text)


def _scale(value: float, top: float, length: float) -> float:
    return round(length * value / top, 2) if top > 0 else 0.0


def funnel(rows: list[dict[str, Any]], *, conversion_label: str, label: Any = str) -> Chart:
    """One centred bar per stage, as wide as its companies; the conversion onward beside it."""
    label_width, value_width, bar_h, gap = 120, 150, 20, 8
    plot = WIDTH - label_width - value_width
    top = max((float(r["companies"]) for r in rows), default=0.0)
    chart = Chart("funnel", WIDTH, len(rows) * (bar_h + gap) + gap)
    for i, row in enumerate(rows):
        width = max(_scale(row["companies"], top, plot), 1.0 if row["companies"] else 0.0)
        y = gap + i * (bar_h + gap)
        note = ""
        if row.get("conversion_percent") is not None:
            note = f"{conversion_label} {row['conversion_percent']:g}%"
        chart.bars.append(
            Bar(
                label=row["stage"],
                value=row["companies"],
                x=label_width + (plot - width) / 2,
                y=y,
                width=width,
                height=bar_h,
                text=str(row["companies"]),
                series="companies",
                note=note,
                shown=label(row["stage"]),
            )
        )
    return chart


def hbars(name: str, items: list[tuple[str, float, str]], *, series: str = "") -> Chart:
    """Horizontal bars, one per (label, value, text shown), left-aligned."""
    label_width, value_width, bar_h, gap = 160, 110, 16, 6
    plot = WIDTH - label_width - value_width
    top = max((float(v) for _, v, _ in items), default=0.0)
    chart = Chart(name, WIDTH, len(items) * (bar_h + gap) + gap)
    for i, (label, value, text) in enumerate(items):
        chart.bars.append(
            Bar(label, value, label_width, gap + i * (bar_h + gap), _scale(float(value), top, plot), bar_h, text, series)
        )
    return chart


def columns(name: str, items: list[tuple[str, float]], *, series: str = "") -> Chart:
    """Vertical bars (a histogram), labels below, the count above each bar."""
    left, bottom, top_pad, height = 10, 24, 16, 150
    n = max(len(items), 1)
    slot = (WIDTH - 2 * left) / n
    top = max((float(v) for _, v in items), default=0.0)
    chart = Chart(name, WIDTH, top_pad + height + bottom)
    base = top_pad + height
    for i, (label, value) in enumerate(items):
        h = _scale(float(value), top, height)
        x = left + i * slot + slot * 0.1
        chart.bars.append(Bar(label, value, round(x, 2), round(base - h, 2), round(slot * 0.8, 2), h, f"{value:g}", series))
        chart.labels.append({"x": round(left + i * slot + slot / 2, 2), "y": base + 15, "text": label, "anchor": "middle"})
    chart.rules.append({"x1": left, "y1": base, "x2": WIDTH - left, "y2": base, "text": "", "dashed": False})
    return chart


def pareto(rows: list[dict[str, Any]], *, a_percent: float, a_label: str) -> Chart:
    """ABC: each company's share as a bar (by rank), the cumulative share as a line, 0–100%."""
    left, right, top_pad, height, bottom = 40, 10, 10, 170, 20
    plot = WIDTH - left - right
    n = max(len(rows), 1)
    slot = plot / n
    chart = Chart("abc", WIDTH, top_pad + height + bottom)
    base = top_pad + height
    points = []
    for i, row in enumerate(rows):
        share = float(row["share_percent"])
        h = _scale(share, 100.0, height)
        x = left + i * slot
        chart.bars.append(
            Bar(row["name"] or "", share, round(x + slot * 0.1, 2), round(base - h, 2), round(max(slot * 0.8, 0.5), 2), h,
                f"{share:g}%", row["abc_group"])
        )
        cumulative = float(row["cumulative_percent"])
        points.append((round(x + slot / 2, 2), round(base - _scale(cumulative, 100.0, height), 2), cumulative))
    if points:
        chart.lines.append(
            {
                "series": "cumulative_percent",
                "points": " ".join(f"{x},{y}" for x, y, _ in points),
                "values": [v for _, _, v in points],
                "dots": points,
            }
        )
    for percent in (0, 50, 100):
        y = base - _scale(percent, 100.0, height)
        chart.labels.append({"x": left - 4, "y": round(y + 4, 2), "text": f"{percent}%", "anchor": "end"})
    y_a = round(base - _scale(a_percent, 100.0, height), 2)
    chart.rules.append({"x1": left, "y1": y_a, "x2": WIDTH - right, "y2": y_a, "text": f"{a_label} {a_percent:g}%", "dashed": True})
    chart.rules.append({"x1": left, "y1": base, "x2": WIDTH - right, "y2": base, "text": "", "dashed": False})
    return chart


def progress(percent: float | None) -> float:
    """A progress bar's filled share, 0..100 (what was done beyond the goal still fills it once)."""
    if percent is None:
        return 0.0
    return max(0.0, min(100.0, float(percent)))


def forecast(rows: list[dict[str, Any]], key: str, *, booked_label: str, weighted_label: str) -> Chart:
    """Per month (or stage…): booked sales and the weighted forecast stacked, in minor units."""
    left, bottom, top_pad, height = 10, 24, 16, 150
    n = max(len(rows), 1)
    slot = (WIDTH - 2 * left) / n
    top = max((r["booked_minor"] + r["weighted_minor"] for r in rows), default=0)
    chart = Chart("forecast", WIDTH, top_pad + height + bottom, legend=[("booked", booked_label), ("weighted", weighted_label)])
    base = top_pad + height
    for i, row in enumerate(rows):
        x = round(left + i * slot + slot * 0.2, 2)
        w = round(slot * 0.6, 2)
        hb = _scale(row["booked_minor"], top, height)
        hw = _scale(row["weighted_minor"], top, height)
        chart.bars.append(Bar(row[key], row["booked_minor"], x, round(base - hb, 2), w, hb, row["booked"], "booked", booked_label))
        chart.bars.append(
            Bar(row[key], row["weighted_minor"], x, round(base - hb - hw, 2), w, hw, row["weighted"], "weighted", weighted_label)
        )
        chart.labels.append({"x": round(left + i * slot + slot / 2, 2), "y": base + 15, "text": row[key], "anchor": "middle"})
    chart.rules.append({"x1": left, "y1": base, "x2": WIDTH - left, "y2": base, "text": "", "dashed": False})
    return chart
