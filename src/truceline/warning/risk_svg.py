"""The backtest's reliability diagram as a small standalone SVG (pure, no plotting library).

A forecaster reads calibration from it: each dot is one bin of forecasts, at
its mean forecast (x) and the frequency actually observed (y); dots on the
diagonal mean "when the model said 30 %, it happened 30 % of the time". Dot
area follows the number of forecasts in the bin. Drawn by hand so that the
web app and the PDF reports (WeasyPrint runs no JavaScript) can embed it.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

SIZE = 360
MARGIN = 44


def _xy(forecast: float, observed: float) -> tuple[float, float]:
    span = SIZE - 2 * MARGIN
    return MARGIN + forecast * span, SIZE - MARGIN - observed * span


def reliability_svg(table: Sequence[dict[str, float]], *, title: str) -> str:
    """An SVG document: the diagonal, the bins as dots, axes labelled 0–1."""
    largest = max((row["count"] for row in table), default=1) or 1
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {SIZE} {SIZE}" '
        f'width="{SIZE}" height="{SIZE}" role="img" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
        f'<rect x="{MARGIN}" y="{MARGIN}" width="{SIZE - 2 * MARGIN}" '
        f'height="{SIZE - 2 * MARGIN}" fill="none" stroke="#888"/>',
        '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#bbb" stroke-dasharray="4 3"/>'.format(
            *_xy(0, 0), *_xy(1, 1)
        ),
    ]
    for tick in (0.0, 0.5, 1.0):
        x, y = _xy(tick, tick)
        parts.append(
            f'<text x="{x:.1f}" y="{SIZE - MARGIN + 16}" font-size="11" text-anchor="middle">{tick:g}</text>'
        )
        parts.append(
            f'<text x="{MARGIN - 8}" y="{y + 4:.1f}" font-size="11" text-anchor="end">{tick:g}</text>'
        )
    for row in table:
        x, y = _xy(row["forecast"], row["observed"])
        radius = 3 + 9 * (row["count"] / largest) ** 0.5
        parts.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{radius:.1f}" fill="#1f6f8b" fill-opacity="0.7">'
            f"<title>forecast {row['forecast']:.2f}, observed {row['observed']:.2f}, "
            f"{int(row['count'])} forecasts</title></circle>"
        )
    parts += [
        f'<text x="{SIZE / 2}" y="{SIZE - 8}" font-size="12" text-anchor="middle">forecast probability</text>',
        f'<text x="12" y="{SIZE / 2}" font-size="12" text-anchor="middle" '
        f'transform="rotate(-90 12 {SIZE / 2})">observed frequency</text>',
        f'<text x="{SIZE / 2}" y="20" font-size="11" text-anchor="middle">{escape(title)}</text>',
        "</svg>",
    ]
    return "\n".join(parts) + "\n"
