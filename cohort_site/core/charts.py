"""Server-rendered SVG bar charts. No Django here; no inline styles or scripts (CSS classes do the colours).

The chart is an image with a text alternative; the page shows the same numbers in a table beside it.
"""

import math
from dataclasses import dataclass
from html import escape

BAR_HEIGHT = 22
GAP = 8
LABEL_WIDTH = 120
BAR_MAX_WIDTH = 260
COUNT_WIDTH = 56


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    shown: str  # the figure printed at the end of the bar, e.g. "15/20" or "4.2"


def bars_svg(bars: list[Bar], *, title: str, scale: float | None = None) -> str:
    """A horizontal bar chart; bars are drawn against `scale` (the largest value when not given)."""
    largest = scale if scale is not None else max((bar.value for bar in bars), default=0)
    height = max(1, len(bars)) * (BAR_HEIGHT + GAP) + GAP
    width = LABEL_WIDTH + BAR_MAX_WIDTH + COUNT_WIDTH
    summary = ", ".join(f"{bar.label}: {bar.shown}" for bar in bars)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
        f"<desc>{escape(summary)}</desc>",
    ]
    for index, bar in enumerate(bars):
        y = GAP + index * (BAR_HEIGHT + GAP)
        length = round(BAR_MAX_WIDTH * min(bar.value, largest) / largest) if largest else 0
        text_y = y + BAR_HEIGHT * 0.7
        parts.append(
            f'<text class="chart-label" x="{LABEL_WIDTH - 8}" y="{text_y:.1f}" text-anchor="end">'
            f"{escape(bar.label)}</text>"
        )
        parts.append(
            f'<rect class="chart-track" x="{LABEL_WIDTH}" y="{y}" width="{BAR_MAX_WIDTH}" height="{BAR_HEIGHT}"/>'
        )
        if length:
            parts.append(
                f'<rect class="chart-bar" x="{LABEL_WIDTH}" y="{y}" width="{length}" height="{BAR_HEIGHT}"/>'
            )
        parts.append(
            f'<text class="chart-count" x="{LABEL_WIDTH + BAR_MAX_WIDTH + 8}" y="{text_y:.1f}">'
            f"{escape(bar.shown)}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def distribution_svg(counts: list[tuple[str, int]], *, title: str) -> str:
    """One bar per (label, count), scaled to the largest count."""
    return bars_svg([Bar(label, count, str(count)) for label, count in counts], title=title)


def rating_distribution_svg(distribution: dict[int, int], *, title: str) -> str:
    """Ratings 5 (top) to 1 (bottom)."""
    counts = [(f"{value} {'★' * value}", distribution.get(value, 0)) for value in range(5, 0, -1)]
    return distribution_svg(counts, title=title)


def network_svg(names: list[str], ties: list[tuple[int, int]], *, title: str, summary: str) -> str:
    """People on a circle (by their place in `names`), a line for each tie (pairs of places): a picture of a
    group's web of relationships, with `summary` (the figures in words) as its text alternative."""
    # Room either side of the circle for the names.
    width, height, radius, dot = 600, 420, 150, 6
    centre, middle = width / 2, height / 2
    points = [
        (
            centre + radius * math.cos(2 * math.pi * index / max(1, len(names)) - math.pi / 2),
            middle + radius * math.sin(2 * math.pi * index / max(1, len(names)) - math.pi / 2),
        )
        for index in range(len(names))
    ]
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart network" role="img" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
        f"<desc>{escape(summary)}</desc>",
    ]
    for first, second in ties:
        (x1, y1), (x2, y2) = points[first], points[second]
        parts.append(f'<line class="network-tie" x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}"/>')
    for name, (x, y) in zip(names, points, strict=True):
        anchor = "start" if x > centre + 1 else "end" if x < centre - 1 else "middle"
        label_x = x + (10 if anchor == "start" else -10 if anchor == "end" else 0)
        label_y = y + (4 if anchor != "middle" else (-10 if y < middle else 18))
        parts.append(f'<circle class="network-person" cx="{x:.1f}" cy="{y:.1f}" r="{dot}"/>')
        parts.append(
            f'<text class="chart-label" x="{label_x:.1f}" y="{label_y:.1f}" text-anchor="{anchor}">'
            f"{escape(name)}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)
