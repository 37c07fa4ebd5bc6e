"""The dashboard timeline: a small server-side SVG of incidents over the period.

Drawn on the server so that it costs no JavaScript and a few kilobytes, and so
that the periodic PDF reports can reuse it. Bars are stacked by who the
perpetrator is: Afghanistan's forces, Pakistan's forces, anyone else. The time
axis runs left to right in every language, as on printed charts.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from xml.sax.saxutils import escape

from truceline.http.i18n import N_, UIContext
from truceline.incidents.models import Incident
from truceline.web.dashboard_queries import Period

WIDTH, HEIGHT, AXIS = 640, 120, 18
TIMELINE_LABEL = N_("Incidents over time")
SERIES: list[tuple[str, str, str]] = [
    ("AF", N_("Afghan forces"), "#0f766e"),
    ("PK", N_("Pakistani forces"), "#9a3412"),
    ("other", N_("Others or unknown"), "#6b7280"),
]


@dataclass(frozen=True)
class Bucket:
    first_day: date
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def bucket_days(period: Period) -> int:
    """Days per bar: daily up to two months, weekly up to a year, else 30-day bars."""
    if period.days <= 62:
        return 1
    return 7 if period.days <= 366 else 30


def bucket_incidents(incidents: list[Incident], period: Period) -> list[Bucket]:
    """Counts per bar and series, with empty bars kept so that gaps show."""
    step = bucket_days(period)
    count = -(-period.days // step)
    counts: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for incident in incidents:
        index = (incident.occurred_at.date() - period.first_day).days // step
        if 0 <= index < count:
            series = incident.perpetrator if incident.perpetrator in ("AF", "PK") else "other"
            counts[index][series] += 1
    return [
        Bucket(period.first_day + timedelta(days=i * step), dict(counts.get(i, {})))
        for i in range(count)
    ]


def bucket_counts(day_counts: Iterable[tuple[date, str, int]], period: Period) -> list[Bucket]:
    """Bars from counts per day and series (the dashboard's aggregate query), gaps kept."""
    step = bucket_days(period)
    count = -(-period.days // step)
    counts: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for day, series, n in day_counts:
        index = (day - period.first_day).days // step
        if 0 <= index < count:
            counts[index][series] += n
    return [
        Bucket(period.first_day + timedelta(days=i * step), dict(counts.get(i, {})))
        for i in range(count)
    ]


def timeline_svg(incidents: list[Incident], period: Period, ui: UIContext) -> str:
    """The SVG markup (inline in the page) of the stacked bar timeline."""
    return render_timeline(bucket_incidents(incidents, period), period, ui)


def render_timeline(buckets: list[Bucket], period: Period, ui: UIContext) -> str:
    """The SVG of bars already counted (``bucket_incidents`` or ``bucket_counts``)."""
    peak = max((b.total for b in buckets), default=0) or 1
    bar_width = WIDTH / max(len(buckets), 1)
    plot_height = HEIGHT - AXIS
    parts = [
        f'<svg class="timeline" direction="ltr" style="direction:ltr" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-label="{escape(ui.gettext(TIMELINE_LABEL))}">'
    ]
    for i, bucket in enumerate(buckets):
        parts.extend(_bar(bucket, i * bar_width, bar_width, plot_height / peak, ui))
    parts.append(_axis(period, peak, ui))
    parts.append("</svg>")
    return "".join(parts)


def _bar(bucket: Bucket, x: float, width: float, scale: float, ui: UIContext) -> list[str]:
    y: float = HEIGHT - AXIS
    rects = []
    for key, label, colour in SERIES:
        n = bucket.counts.get(key, 0)
        if not n:
            continue
        h = n * scale
        y -= h
        tip = f"{ui.day_text(bucket.first_day)}: {ui.gettext(label)} {ui.number(n)}"
        rects.append(
            f'<rect x="{x + 0.5:.1f}" y="{y:.1f}" width="{max(width - 1, 0.5):.1f}" '
            f'height="{h:.1f}" fill="{colour}"><title>{escape(tip)}</title></rect>'
        )
    return rects


def _axis(period: Period, peak: int, ui: UIContext) -> str:
    base = HEIGHT - AXIS
    first, last = escape(ui.day_text(period.first_day)), escape(ui.day_text(period.last_day))
    return (
        f'<line x1="0" y1="{base}" x2="{WIDTH}" y2="{base}" stroke="#9ca3af"/>'
        f'<text x="2" y="{HEIGHT - 4}" font-size="11">{first}</text>'
        f'<text x="{WIDTH - 2}" y="{HEIGHT - 4}" font-size="11" text-anchor="end">{last}</text>'
        f'<text x="2" y="11" font-size="11">{escape(ui.number(peak))}</text>'
    )
