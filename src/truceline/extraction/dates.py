"""When an event happened, from the words of a report and the day it was written (pure).

News and statements give dates relative to themselves: "yesterday", "on
Friday", "late Tuesday night", "two days ago", or a day without a year ("on
17 October"). The reference day is the dateline's ("PESHAWAR, Oct 18
(Reuters) -") or else the published date given with the text. A weekday means
the latest such day on or before the reference day; a day without a year takes
the reference's year (the year before, if that would put it after the
reference). With no date words the event is dated to the reference day, with
a low confidence, and with no reference day at all it stays unknown.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

MONTHS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4, "april": 4,
    "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8, "sep": 9,
    "sept": 9, "september": 9, "oct": 10, "october": 10, "nov": 11, "november": 11,
    "dec": 12, "december": 12,
}  # fmt: skip
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_YEAR = r"(?:,?\s+(?P<year>(?:19|20)\d\d))?"
DAY_MONTH = re.compile(
    rf"\b(?P<day>[0-3]?\d)(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<month>{_MONTH})\.?{_YEAR}\b", re.I
)
MONTH_DAY = re.compile(
    rf"\b(?P<month>{_MONTH})\.?\s+(?P<day>[0-3]?\d)(?:st|nd|rd|th)?\b{_YEAR}", re.I
)
ISO = re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<month>[01]\d)-(?P<day>[0-3]\d)\b")
RELATIVE = re.compile(
    r"\b(?P<word>yesterday|today|tonight|this morning|this evening|last night|overnight"
    r"|(?P<n>two|three|four|five|\d)\s+days\s+ago)\b",
    re.I,
)
WEEKDAY = re.compile(rf"\b(?:(?:late|early)\s+)?(?P<weekday>{'|'.join(WEEKDAYS)})\b", re.I)
#: "PESHAWAR, Pakistan, Oct 18 (Reuters) -" or "KABUL, 18 October:" at the very start.
DATELINE = re.compile(
    r"^\s*[A-Z][A-Za-z .'-]{2,40}(?:,\s*[A-Z][A-Za-z .'-]{2,30})?,\s*(?P<rest>.{0,40}?)\s*(?:\(|—|–|-|:)"
)
_SMALL = {"two": 2, "three": 3, "four": 4, "five": 5}
#: "Yesterday" and "today" in Pashto, Dari and Urdu statements (Urdu کل is also "tomorrow":
#: in a report of what happened it is read as yesterday).
RELATIVE_OTHER = re.compile(
    r"(?P<yesterday>پرون|پرونۍ|دیروز|گزشتہ\s*روز|کل)|(?P<today>نن|امروز|آج)"
)


@dataclass(frozen=True)
class DateReading:
    """The day an event happened, the words that say so, and how sure the reading is."""

    day: date | None
    start: int | None
    end: int | None
    confidence: float


def dateline_span(text: str) -> tuple[int, int] | None:
    """Where the dateline is, so that its day is not read as the event's."""
    line = DATELINE.match(text)
    return (line.start(), line.end()) if line else None


def dateline_day(text: str, published: date | None) -> date | None:
    """The day in a dateline at the start of ``text``, if it has one."""
    line = DATELINE.match(text)
    if not line:
        return None
    found = _absolute(line.group("rest"), published)
    return found[0] if found else None


def _absolute(text: str, reference: date | None) -> tuple[date, re.Match[str]] | None:
    for pattern in (ISO, DAY_MONTH, MONTH_DAY):
        match = pattern.search(text)
        if not match:
            continue
        month = match.group("month")
        month_number = int(month) if month.isdigit() else MONTHS[month.lower().rstrip(".")]
        year = match.group("year")
        try:
            day = date(
                int(year) if year else (reference or date.today()).year,
                month_number,
                int(match.group("day")),
            )
        except ValueError:
            continue
        if not year and reference and day > reference:
            day = day.replace(year=day.year - 1)
        return day, match
    return None


def resolve_date(text: str, reference: date | None) -> DateReading:
    """The event's day from ``text`` (the sentences about the event) and the reference day."""
    found = _absolute(text, reference)
    if found:
        return DateReading(found[0], found[1].start(), found[1].end(), 0.9)
    if reference is None:
        return DateReading(None, None, None, 0.0)
    relative = RELATIVE.search(text)
    if relative:
        word = relative.group("word").lower()
        if relative.group("n"):
            n = relative.group("n").lower()
            back = int(n) if n.isdigit() else _SMALL[n]
        else:
            back = 1 if word in ("yesterday", "last night") else 0  # "overnight": into today
        return DateReading(reference - timedelta(days=back), relative.start(), relative.end(), 0.85)
    other = RELATIVE_OTHER.search(text)
    if other:
        back = 1 if other.group("yesterday") else 0
        return DateReading(reference - timedelta(days=back), other.start(), other.end(), 0.7)
    weekday = WEEKDAY.search(text)
    if weekday:
        wanted = WEEKDAYS.index(weekday.group("weekday").lower())
        back = (reference.weekday() - wanted) % 7
        return DateReading(reference - timedelta(days=back), weekday.start(), weekday.end(), 0.8)
    return DateReading(reference, None, None, 0.4)
