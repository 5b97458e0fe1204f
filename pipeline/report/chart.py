"""The overview's chart: events per run by type as stacked bars in inline SVG."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from pipeline.report.queries import EVENT_ORDER

# Colours that keep at least 3:1 against white (WCAG non-text contrast); the legend names them.
COLOURS = {
    "new": "#1b7837",
    "reappeared": "#5e4fa2",
    "moved": "#00767a",
    "changed": "#2166ac",
    "closed": "#b2182b",
    "reopened": "#a35200",
    "removed": "#4d4d4d",
}
WIDTH, HEIGHT = 720.0, 220.0
LEFT, BOTTOM, TOP = 48.0, 28.0, 10.0
MAX_BAR = 48.0
MOST_RUNS = 60  # the chart shows the latest runs; the table below it has them all


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    width: float
    height: float
    type: str
    count: int


def nice_ceiling(value: int) -> int:
    """The smallest 1, 2 or 5 times a power of ten that is at least ``value`` (1 for 0)."""
    step = 1
    while True:
        for m in (1, 2, 5):
            if m * step >= value:
                return m * step
        step *= 10


def bars(runs: Sequence[tuple[int, dict[str, int]]]) -> tuple[list[Rect], int, float]:
    """Stacked rectangles for (run id, counts by type), the axis top and the bar width."""
    top = nice_ceiling(max((sum(c.values()) for _, c in runs), default=0))
    plot_w, plot_h = WIDTH - LEFT - 8, HEIGHT - BOTTOM - TOP
    slot = plot_w / max(1, len(runs))
    bar_w = min(MAX_BAR, max(1.0, slot * 0.7))
    out = []
    for i, (_, counts) in enumerate(runs):
        base = HEIGHT - BOTTOM
        for kind in EVENT_ORDER:
            n = counts.get(kind, 0)
            if not n:
                continue
            h = plot_h * n / top
            base -= h
            out.append(Rect(LEFT + i * slot + (slot - bar_w) / 2, base, bar_w, h, kind, n))
    return out, top, bar_w


def events_svg(runs: Sequence[tuple[int, dict[str, int]]]) -> str:
    """The chart as an ``<svg>`` with a title, per-bar tooltips and run labels."""
    shown = list(runs)[-MOST_RUNS:]
    rects, top, _ = bars(shown)
    slot = (WIDTH - LEFT - 8) / max(1, len(shown))
    parts = [
        f'<div class="scroll"><svg class="chart" viewBox="0 0 {WIDTH:.0f} {HEIGHT:.0f}" role="img" '
        'aria-labelledby="chart-title"><title id="chart-title">Events per run, by type'
        f"{' (latest ' + str(len(shown)) + ' runs)' if len(shown) < len(runs) else ''}</title>"
    ]
    base = HEIGHT - BOTTOM
    for value in (0, top // 2, top):
        y = base - (HEIGHT - BOTTOM - TOP) * value / top
        parts.append(
            f'<line x1="{LEFT - 4}" x2="{WIDTH - 8:.0f}" y1="{y:.1f}" y2="{y:.1f}" class="grid"/>'
            f'<text x="{LEFT - 8}" y="{y + 4:.1f}" text-anchor="end">{value:,}</text>'
        )
    for r in rects:
        parts.append(
            f'<rect x="{r.x:.1f}" y="{r.y:.1f}" width="{r.width:.1f}" height="{r.height:.1f}" '
            f'fill="{COLOURS[r.type]}"><title>{escape(r.type)}: {r.count:,}</title></rect>'
        )
    parts.append(f'<text x="{LEFT - 8}" y="{HEIGHT - 10:.0f}" text-anchor="end">run</text>')
    every = max(1, len(shown) // 12)
    for i, (run_id, _) in enumerate(shown):
        if i % every == 0 or i == len(shown) - 1:
            x = LEFT + i * slot + slot / 2
            parts.append(
                f'<text x="{x:.1f}" y="{HEIGHT - 10:.0f}" text-anchor="middle">{run_id}</text>'
            )
    parts.append("</svg></div>")
    legend = "".join(
        f'<li><span class="swatch" style="background:{COLOURS[k]}"></span>{k}</li>'
        for k in EVENT_ORDER
    )
    return "".join(parts) + f'<ul class="legend" aria-label="Event types">{legend}</ul>'
