"""Validation and mapping of field values shared by every format (pure, no I/O).

Each parser raises ``RowError`` with a message that names the field and the
bad value, so that a rejected row tells the user exactly what to fix. The
column builders at the end give every incident and report the same set of
keys, which lets the importer insert a batch with one ``executemany``.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta
from typing import Any

from truceline.events.taxonomy import CasualtyCategory
from truceline.incidents.limits import report_text_problem
from truceline.verification.domain import State

#: Instants later than this margin past "now" are rejected as impossible.
FUTURE_MARGIN = timedelta(days=2)
EARLIEST_YEAR = 1900


class RowError(ValueError):
    """A field value that cannot be imported; the message names the field and the value."""


def is_hxl_hashtag_row(fields: list[str]) -> bool:
    """Whether a CSV record is the HXL hashtag row that HDX downloads carry under the header.

    Files from the Humanitarian Data Exchange (UCDP GED, ACLED) have a second
    line such as ``,,#date+year,#adm1+name,…``: every non-empty cell is an HXL
    hashtag and the first cells are often empty. It describes the columns and
    is not data, so readers skip it (and do not count it as a row).
    """
    cells = [cell.strip() for cell in fields if cell.strip()]
    return bool(cells) and all(cell.startswith("#") for cell in cells)


def parse_int(
    text: str, field: str, *, minimum: int | None = None, maximum: int | None = None
) -> int:
    """An integer field, optionally bounded (``-1`` style sentinels must be allowed by the caller)."""
    try:
        value = int(text.strip())
    except (ValueError, AttributeError):
        raise RowError(f"{field}: {text!r} is not a whole number") from None
    if minimum is not None and value < minimum:
        raise RowError(f"{field}: {value} is below the smallest allowed value {minimum}")
    if maximum is not None and value > maximum:
        raise RowError(f"{field}: {value} is above the largest allowed value {maximum}")
    return value


def parse_coordinates(lat_text: str, lon_text: str) -> tuple[float, float]:
    """Latitude and longitude in decimal degrees (WGS 84), refusing impossible values."""
    lat = _parse_float(lat_text, "latitude")
    lon = _parse_float(lon_text, "longitude")
    if not -90.0 <= lat <= 90.0:
        raise RowError(f"latitude: {lat} is outside -90..90")
    if not -180.0 <= lon <= 180.0:
        raise RowError(f"longitude: {lon} is outside -180..180")
    return lat, lon


def _parse_float(text: str, field: str) -> float:
    try:
        value = float(text.strip())
    except (ValueError, AttributeError):
        raise RowError(f"{field}: {text!r} is not a number") from None
    if not math.isfinite(value):
        raise RowError(f"{field}: {text!r} is not a finite number")
    return value


def parse_day(text: str, field: str) -> datetime:
    """A calendar day (``YYYY-MM-DD``, optionally followed by a midnight time) as 00:00 UTC.

    UCDP and ACLED code days, not instants; midnight UTC keeps the calendar day
    unchanged in every export while the precision code says "day".
    """
    stripped = text.strip()
    try:
        day = date.fromisoformat(stripped[:10])
    except ValueError:
        raise RowError(f"{field}: {text!r} is not a valid date (expected YYYY-MM-DD)") from None
    rest = stripped[10:].strip()
    if rest and rest.strip("0:. T") != "":
        raise RowError(f"{field}: {text!r} has a time of day; expected a calendar day")
    return check_plausible(datetime(day.year, day.month, day.day, tzinfo=UTC), field)


def check_plausible(instant: datetime, field: str) -> datetime:
    """Refuse instants before 1900 or in the future (beyond a small clock margin)."""
    if instant.year < EARLIEST_YEAR:
        raise RowError(f"{field}: {instant.date()} is before {EARLIEST_YEAR}")
    if instant > datetime.now(UTC) + FUTURE_MARGIN:
        raise RowError(f"{field}: {instant.date()} is in the future")
    return instant


def apportion(total: int, weights: list[int]) -> list[int]:
    """Split ``total`` in proportion to ``weights`` with whole numbers that add up exactly.

    Largest-remainder rounding; used to spread a source's overall low/high
    range over the casualty categories it counted.
    """
    weight_sum = sum(weights)
    if weight_sum == 0 or total == 0:
        return [0] * len(weights)
    if len(weights) == 1:
        return [total]
    exact = [total * w / weight_sum for w in weights]
    shares = [math.floor(x) for x in exact]
    leftover = total - sum(shares)
    by_remainder = sorted(range(len(weights)), key=lambda i: exact[i] - shares[i], reverse=True)
    for index in by_remainder[:leftover]:
        shares[index] += 1
    return shares


_NAMES = {category: category.value for category in CasualtyCategory}


def casualty_ranges(
    best_by_category: Mapping[CasualtyCategory, int], *, low: int, high: int
) -> dict[str, dict[str, int]]:
    """Per-category low/best/high from per-category best counts and an overall range.

    The overall range is kept exactly: the shortfall ``best - low`` and the
    excess ``high - best`` are apportioned over the categories in proportion to
    their best counts. With no deaths counted, the excess goes to ``unknown``.
    """
    categories = [c for c, n in best_by_category.items() if n > 0]
    bests = [best_by_category[c] for c in categories]
    best = sum(bests)
    low, high = min(low, best), max(high, best)
    if low == best == high:  # the common case: an exact count
        return {
            _NAMES[c]: {"low": b, "best": b, "high": b}
            for c, b in zip(categories, bests, strict=True)
        }
    if not categories and high > 0:
        return {_NAMES[CasualtyCategory.UNKNOWN]: {"low": 0, "best": 0, "high": high}}
    shortfalls = apportion(best - low, bests)
    excesses = apportion(high - best, bests)
    return {
        _NAMES[category]: {"low": b - s, "best": b, "high": b + e}
        for category, b, s, e in zip(categories, bests, shortfalls, excesses, strict=True)
    }


#: The state of an incident imported from an event dataset (UCDP GED, ACLED): history,
#: kept for context and analysis. Thousands of such events would otherwise stand in the
#: ``reported`` state and fill the analysts' triage queue.
IMPORTED_HISTORY = State.HISTORICAL.value


def text_hash(text: str) -> str:
    """SHA-256 hex of a report's verbatim text (``Report.content_hash``)."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


INCIDENT_DEFAULTS: dict[str, Any] = {
    "title": "",
    "occurred_until": None,
    "time_precision": 1,
    "lat": None,
    "lon": None,
    "geo_precision": 1,
    "place_name": "",
    "country": None,
    "admin1": None,
    "admin2": None,
    "perpetrator": "unknown",
    "perpetrator_label": "",
    "target_actor": None,
    "target_label": "",
    "targets": [],
    "casualties": {},
    "attribution": [],
    "verification_state": "reported",
    "released": False,
    "notes": "",
    "origin_dataset": None,
    "origin_event_id": None,
    "origin_record": {},
}

REPORT_DEFAULTS: dict[str, Any] = {
    "version": 1,
    "channel": "import",
    "source_type": "dataset",
    "source_name": "",
    "source_party": None,
    "reliability": "F",
    "credibility": 6,
    "text": "",
    "language": None,
    "occurred_at": None,
    "time_precision": 1,
    "lat": None,
    "lon": None,
    "geo_precision": 1,
    "place_text": "",
    "event_type": None,
    "claimed_perpetrator": None,
    "claimed_targets": [],
    "casualties": {},
    "origin_dataset": None,
    "origin_event_id": None,
    "submitted_by": None,
    "kind": "account",
    "origin": "unknown",
    "relayed_from": "",
    "relayed_from_party": None,
    "origin_note": "",
}


INCIDENT_KEYS = frozenset(INCIDENT_DEFAULTS) | {"code", "occurred_at", "event_type"}
REPORT_KEYS = frozenset(REPORT_DEFAULTS) | {"code", "received_at"}


def incident_columns(values: Mapping[str, Any]) -> dict[str, Any]:
    """Every ``Incident`` column except ids and timestamps, defaults filled in."""
    if not INCIDENT_KEYS.issuperset(values):
        raise ValueError(f"not incident columns: {sorted(set(values) - INCIDENT_KEYS)}")
    return {**INCIDENT_DEFAULTS, **values}


def report_columns(values: Mapping[str, Any]) -> dict[str, Any]:
    """Every ``Report`` column except ids and timestamps; ``content_hash`` from the text."""
    if not REPORT_KEYS.issuperset(values):
        raise ValueError(f"not report columns: {sorted(set(values) - REPORT_KEYS)}")
    columns = {**REPORT_DEFAULTS, **values}
    too_long = report_text_problem(columns["text"], "report text")
    if too_long:  # the same limit as the intake API, its forms and CSV intake
        raise RowError(too_long)
    columns["content_hash"] = text_hash(columns["text"])
    return columns


def truncate(text: str, length: int) -> str:
    """Fit ``text`` into a ``String(length)`` column (the full text is kept elsewhere)."""
    return text if len(text) <= length else text[: length - 1] + "…"
