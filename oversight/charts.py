"""Server-rendered SVG charts: a bar chart and a line chart, no JavaScript.

Each chart is drawn from a list of :class:`Point` and shown beside a table
of the same points (:meth:`Chart.rows`), so the numbers are readable without
the picture. A point whose value is ``None`` is suppressed: it is drawn as
nothing and shown with its ``shown`` text (the public page's "<10").
"""

import math
import unicodedata
from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH = 640
PLOT_HEIGHT = 180
LEFT, RIGHT, TOP, BOTTOM = 44, 12, 16, 64  # the least margins; labels may widen them
FONT = 11  # px, the labels' size
SLANT = math.radians(35)  # the x labels are turned this much
LABEL_GAP = 14  # from the axis to a label's anchor


@dataclass(frozen=True)
class Point:
    label: str
    value: int | None  # None: suppressed, not drawn
    shown: str = ""  # the text shown for it; the value when empty
    href: str = ""

    @property
    def text(self) -> str:
        return self.shown or str(self.value)


@dataclass(frozen=True)
class Chart:
    """A chart and its table: ``kind`` is "bar" or "line"."""

    chart_id: str
    title: str
    points: list[Point] = field(default_factory=list)
    kind: str = "bar"
    label_header: str = ""
    value_header: str = ""

    @property
    def svg(self) -> SafeString:
        draw = line_chart if self.kind == "line" else bar_chart
        return draw(chart_id=self.chart_id, title=self.title, points=self.points)

    @property
    def rows(self) -> list[tuple[str, str]]:
        return table_rows(self.points)


def table_rows(points: list[Point]) -> list[tuple[str, str]]:
    """The numbers the chart draws, as (label, text) rows for an HTML table."""
    return [(p.label, p.text) for p in points]


def _top(points: list[Point]) -> int:
    """The largest value drawn (0 when none is)."""
    return max((p.value for p in points if p.value is not None), default=0)


def _scale_max(points: list[Point]) -> int:
    return max(_top(points), 1)


def _text_width(text: str) -> float:
    """Width of ``text`` at ``FONT`` px: a CJK character is a full em, others about 0.6."""
    return sum(FONT if unicodedata.east_asian_width(ch) in "WF" else FONT * 0.6 for ch in text)


@dataclass(frozen=True)
class _Layout:
    """Margins wide enough that no x label is cut off, however long."""

    left: float
    bottom: float
    slot: float

    @property
    def height(self) -> float:
        return TOP + PLOT_HEIGHT + self.bottom


def _layout(points: list[Point], *, centre: float) -> _Layout:
    """``centre``: where in its slot a point's label is anchored (0.5: the middle)."""
    widths = [_text_width(p.label) for p in points]
    count = max(len(points), 1)
    left = LEFT
    for _pass in range(2):  # the slot shrinks as the left margin grows
        slot = (WIDTH - left - RIGHT) / count
        needed = [w * math.cos(SLANT) - (i + centre) * slot + 2 for i, w in enumerate(widths)]
        left = max([LEFT, *needed])
    slot = (WIDTH - left - RIGHT) / count
    tallest = max(widths, default=0) * math.sin(SLANT) + FONT * math.cos(SLANT)
    bottom = max(BOTTOM, math.ceil(LABEL_GAP + tallest + 4))
    return _Layout(left=left, bottom=bottom, slot=slot)


def _frame(
    chart_id: str, title: str, points: list[Point], body: list[str], layout: _Layout
) -> SafeString:
    """The <svg> element with its title, description, axis and axis labels."""
    top = _top(points)
    plot_h = PLOT_HEIGHT
    left = f"{layout.left:.1f}"
    summary = "; ".join(f"{p.label}: {p.text}" for p in points)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {WIDTH} {layout.height:.0f}" width="100%" '
        f'aria-labelledby="{escape(chart_id)}-title {escape(chart_id)}-desc">',
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>',
        f'<desc id="{escape(chart_id)}-desc">{escape(summary)}</desc>',
        f'<line class="axis" x1="{left}" y1="{TOP + plot_h}" x2="{WIDTH - RIGHT}" '
        f'y2="{TOP + plot_h}" stroke="#57606a"/>',
        f'<line class="axis" x1="{left}" y1="{TOP}" x2="{left}" y2="{TOP + plot_h}" '
        f'stroke="#57606a"/>',
        f'<text class="tick" x="{layout.left - 6:.1f}" y="{TOP + 4}" text-anchor="end" '
        f'font-size="11">{top}</text>',
        f'<text class="tick" x="{layout.left - 6:.1f}" y="{TOP + plot_h + 4}" '
        f'text-anchor="end" font-size="11">0</text>',
    ]
    parts.extend(body)
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above went through escape()


def _x_label(x: float, label: str) -> str:
    y = TOP + PLOT_HEIGHT + LABEL_GAP
    return (
        f'<text class="label" x="{x:.1f}" y="{y}" font-size="11" text-anchor="end" '
        f'transform="rotate(-35 {x:.1f} {y})">{escape(label)}</text>'
    )


def bar_chart(*, chart_id: str, title: str, points: list[Point]) -> SafeString:
    layout = _layout(points, centre=0.5)
    slot, plot_h, factor = layout.slot, PLOT_HEIGHT, PLOT_HEIGHT / _scale_max(points)
    body = []
    for i, p in enumerate(points):
        x = layout.left + i * slot + slot * 0.15
        w = slot * 0.7
        centre = x + w / 2
        if p.value is not None:
            h = p.value * factor
            y = TOP + plot_h - h
            body.append(
                f'<rect class="bar" x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" '
                f'fill="#0b5cad"><title>{escape(p.label)}: {escape(p.text)}</title></rect>'
            )
        else:
            y = TOP + plot_h
        body.append(
            f'<text class="value" x="{centre:.1f}" y="{y - 3:.1f}" font-size="11" '
            f'text-anchor="middle">{escape(p.text)}</text>'
        )
        body.append(_x_label(centre, p.label))
    return _frame(chart_id, title, points, body, layout)


def line_chart(*, chart_id: str, title: str, points: list[Point]) -> SafeString:
    layout = _layout(points, centre=0.5)
    slot, plot_h, factor = layout.slot, PLOT_HEIGHT, PLOT_HEIGHT / _scale_max(points)
    body = []
    segment: list[str] = []
    segments: list[list[str]] = []
    for i, p in enumerate(points):
        x = layout.left + i * slot + slot / 2
        y = TOP + plot_h - (p.value or 0) * factor
        if p.value is None:  # a suppressed point breaks the line
            if segment:
                segments.append(segment)
            segment = []
            y = TOP + plot_h
        else:
            segment.append(f"{x:.1f},{y:.1f}")
            body.append(
                f'<circle class="dot" cx="{x:.1f}" cy="{y:.1f}" r="3" fill="#0b5cad">'
                f"<title>{escape(p.label)}: {escape(p.text)}</title></circle>"
            )
        body.append(
            f'<text class="value" x="{x:.1f}" y="{y - 6:.1f}" font-size="11" '
            f'text-anchor="middle">{escape(p.text)}</text>'
        )
        body.append(_x_label(x, p.label))
    if segment:
        segments.append(segment)
    lines = [
        f'<polyline class="line" fill="none" stroke="#0b5cad" stroke-width="2" '
        f'points="{" ".join(s)}"/>'
        for s in segments
        if len(s) > 1
    ]
    return _frame(chart_id, title, points, lines + body, layout)
