"""Periodic reports, in the manner of the OSCE SMM's daily and weekly reports (pure).

A report covers one period ending at a cut-off; it compares each area's count
with the previous period of the same length and keeps a running total since
the ceasefire began. ``public`` reports carry only determined and released
incidents, with coarsened locations; ``restricted`` reports add allegations,
pending and overdue verifications, cooling-off flags and escalation figures
for the mediators and the parties.

Extend here: a new section is a key in the document built by
``truceline.reports.gather`` and a block in ``templates/report.html``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import Any

from truceline.errors import CodedError

UNKNOWN_AREA = "area not determined"

#: The days a period may end on: the report and the one before it stay inside the calendar.
FIRST_REPORTABLE_DAY = date(1900, 1, 1)
LAST_REPORTABLE_DAY = date(9998, 12, 31)


class ReportKind(StrEnum):
    PUBLIC = "public"
    RESTRICTED = "restricted"


class ReportError(CodedError, ValueError):
    """A report that cannot be built as asked; the message says why."""

    default_code = "report_refused"


@dataclass(frozen=True)
class Period:
    """``[start, end)`` in UTC, with the cut-off after which nothing recorded is used."""

    start: datetime
    end: datetime
    cutoff: datetime

    @property
    def previous(self) -> Period:
        length = self.end - self.start
        return Period(self.start - length, self.start, self.start)

    @property
    def days(self) -> int:
        return round((self.end - self.start) / timedelta(days=1))

    def as_json(self) -> dict[str, str | int]:
        return {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "cutoff": self.cutoff.isoformat(),
            "days": self.days,
        }


def period_ending(
    last_day: date, *, days: int = 7, cutoff: datetime | None = None, now: datetime | None = None
) -> Period:
    """The ``days`` days up to and including ``last_day``.

    The cut-off defaults to ``now`` (what the mechanism knows when it issues the
    report), or to the end of the period when ``now`` is not given; pass one
    explicitly to rebuild a report exactly as it was issued.
    """
    if days < 1 or days > 366:
        raise ReportError(f"a period is 1 to 366 days long, not {days}")
    if not FIRST_REPORTABLE_DAY <= last_day <= LAST_REPORTABLE_DAY:
        raise ReportError(
            f"period_end: {last_day} is outside {FIRST_REPORTABLE_DAY}..{LAST_REPORTABLE_DAY}"
        )
    end = datetime.combine(last_day + timedelta(days=1), time.min, tzinfo=UTC)
    if now is not None and end - timedelta(days=days) > now:
        raise ReportError(f"the period ending {last_day} has not begun yet")
    cut = cutoff or now or end
    if cut.tzinfo is None:
        raise ReportError("the cut-off time must carry a time zone")
    if cut < end - timedelta(days=days):
        raise ReportError("the cut-off time falls before the period begins")
    return Period(end - timedelta(days=days), end, cut)


def area_of(country: str | None, admin1: str | None) -> str:
    if admin1:
        return f"{admin1} ({country})" if country else admin1
    return f"{country} ({UNKNOWN_AREA})" if country else UNKNOWN_AREA


def compare_areas(current: Iterable[str], previous: Iterable[str]) -> list[dict[str, Any]]:
    """Counts per area this period and last, largest first, with the change."""
    now, before = Counter(current), Counter(previous)
    rows = [
        {
            "area": area,
            "count": now[area],
            "previous": before[area],
            "change": now[area] - before[area],
        }
        for area in set(now) | set(before)
    ]
    return sorted(rows, key=lambda row: (-row["count"], -row["previous"], row["area"]))


def change_text(change: int) -> str:
    if change > 0:
        return f"{change} more than"
    if change < 0:
        return f"{-change} fewer than"
    return "as many as"


def summary_sentence(period: Period, total: int, previous: int, cumulative: int) -> str:
    """The opening line of a report, as a monitor would write it."""
    return (
        f"Between {period.start:%d %B %Y} and {(period.end - timedelta(seconds=1)):%d %B %Y} "
        f"the mechanism determined and released {total} incident(s) along the "
        f"Afghanistan–Pakistan border, {change_text(total - previous)} in the previous "
        f"{period.days} days; {cumulative} since the ceasefire began."
    )
