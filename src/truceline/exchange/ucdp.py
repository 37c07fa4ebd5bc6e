"""UCDP Georeferenced Event Dataset (GED) CSV: reading rows into incidents and reports.

Every GED column is kept verbatim in ``Incident.origin_record``; the mapped
columns (deaths by side, low/best/high, precision codes, places, text fields)
follow ``docs/data-model.md``. Files may carry the Humanitarian Data Exchange
tag row (a second line starting with ``#``), which is skipped and not counted.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import pycountry

from truceline.events.taxonomy import CasualtyCategory
from truceline.exchange.actors import actor_id, casualty_category, target_kind
from truceline.exchange.records import ImportRecord, Rejection, ReportValues
from truceline.exchange.rows import (
    IMPORTED_HISTORY,
    RowError,
    casualty_ranges,
    incident_columns,
    is_hxl_hashtag_row,
    parse_coordinates,
    parse_day,
    parse_int,
    report_columns,
    truncate,
)
from truceline.exchange.textio import CsvProblem, check_header, read_csv

DATASET = "ucdp-ged"

GED_COLUMNS: tuple[str, ...] = (
    "id", "relid", "year", "active_year", "code_status", "type_of_violence",
    "conflict_dset_id", "conflict_new_id", "conflict_name", "dyad_dset_id", "dyad_new_id",
    "dyad_name", "side_a_dset_id", "side_a_new_id", "side_a", "side_b_dset_id",
    "side_b_new_id", "side_b", "number_of_sources", "source_article", "source_office",
    "source_date", "source_headline", "source_original", "where_prec", "where_coordinates",
    "where_description", "adm_1", "adm_2", "latitude", "longitude", "geom_wkt",
    "priogrid_gid", "country", "iso3", "country_id", "region", "event_clarity", "date_prec",
    "date_start", "date_end", "deaths_a", "deaths_b", "deaths_civilians", "deaths_unknown",
    "best", "high", "low", "gwnoa", "gwnob",
)  # fmt: skip

REQUIRED_COLUMNS = frozenset(
    {
        "id", "type_of_violence", "side_a", "side_b", "where_prec", "latitude", "longitude",
        "date_prec", "date_start", "date_end", "deaths_a", "deaths_b", "deaths_civilians",
        "deaths_unknown", "best", "high", "low",
    }
)  # fmt: skip

#: Text fields that make up the report: the source's own account, verbatim.
REPORT_FIELDS: tuple[tuple[str, str], ...] = (
    ("source_headline", "Headline"),
    ("source_article", "Sources"),
    ("source_office", "Source office"),
    ("source_date", "Source date"),
    ("source_original", "Original source"),
    ("where_description", "Where"),
)

#: Refines GED's coarse type of violence into an ACLED sub-event type when the
#: source text says how the violence was done: (event type, words that say so,
#: words that must stand alone). The first event type with a match wins.
EVENT_TYPE_KEYWORDS: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("suicide_bomb", ("suicide",), ()),
    ("air_drone_strike", ("drone", "airstrike", "air strike", "missile strike", "gunship"), ("jet", "jets")),
    ("shelling_artillery_missile_attack", ("shell", "mortar", "artillery", "rocket"), ()),
    ("remote_explosive_landmine_ied", ("roadside", "landmine", "land mine", "remote control", "remote-control", "bomb", "blast", "explosi"), ("ied",)),
    ("grenade", ("grenade",), ()),
    ("abduction_forced_disappearance", ("kidnap", "abduct"), ()),
)  # fmt: skip
_WORDS = re.compile(r"[a-z]+")

DEFAULT_EVENT_TYPE = {1: "armed_clash", 2: "armed_clash", 3: "attack"}


def read_records(
    path: Path, *, on_progress: Callable[[int], None] | None = None
) -> Iterator[ImportRecord | Rejection]:
    """Each GED row as an ``ImportRecord``, or a ``Rejection`` saying where and why."""
    items = read_csv(path, on_progress=on_progress)
    header_item = next(items, None)
    if header_item is None:
        yield Rejection(0, "the file is empty: expected a UCDP GED header row")
        return
    if isinstance(header_item, CsvProblem):
        yield Rejection(0, f"header: {header_item.reason}")
        return
    header = [name.strip() for name in header_item.fields]
    problems = check_header(
        header, known=frozenset(GED_COLUMNS), required=REQUIRED_COLUMNS, format_name="UCDP GED"
    )
    if problems:
        yield Rejection(0, "header: " + "; ".join(problems))
        return
    tag_rows = 0
    for item in items:
        if isinstance(item, CsvProblem):
            yield Rejection(item.row - tag_rows, item.reason)
            continue
        if item.row == 1 and is_hxl_hashtag_row(item.fields):
            tag_rows = 1  # the HDX hashtag row describes columns; it is not data
            continue
        row = item.row - tag_rows
        if len(item.fields) != len(header):
            yield Rejection(
                row,
                f"line {item.first_line}: {len(item.fields)} fields but the header has "
                f"{len(header)} columns",
            )
            continue
        try:
            yield map_row(dict(zip(header, item.fields, strict=True)), row)
        except RowError as error:
            yield Rejection(row, f"line {item.first_line}: {error}")


def map_row(record: dict[str, str], row: int) -> ImportRecord:
    """One GED row as an incident plus the report holding UCDP's account of it."""
    event_id = record["id"].strip()
    if not event_id:
        raise RowError("id: empty; every GED event needs its id")
    if len(event_id) > 48:
        raise RowError(f"id: {event_id[:20]!r}… is longer than 48 characters")
    violence = parse_int(record["type_of_violence"], "type_of_violence", minimum=1, maximum=3)
    start, end = _dates(record)
    lat, lon = parse_coordinates(record["latitude"], record["longitude"])
    side_a, side_b = record["side_a"].strip(), record["side_b"].strip()
    event_type = classify_event(violence, record)
    target = target_kind(side_b)
    shared = {
        "occurred_at": start,
        "time_precision": parse_int(record["date_prec"], "date_prec", minimum=1, maximum=5),
        "lat": lat,
        "lon": lon,
        "geo_precision": parse_int(record["where_prec"], "where_prec", minimum=1, maximum=7),
        "event_type": event_type,
        "casualties": _casualties(record, side_a, side_b),
        "origin_dataset": DATASET,
        "origin_event_id": event_id,
    }
    where = record.get("where_coordinates", "").strip()
    incident = incident_columns(
        {
            **shared,
            "code": f"{DATASET}-{event_id}",
            "title": truncate(f"{record.get('dyad_name') or f'{side_a} – {side_b}'}: {where}", 300),
            "occurred_until": end if end != start else None,
            "place_name": truncate(where, 300),
            "country": country_code(record.get("iso3", ""), record.get("country", "")),
            "admin1": record.get("adm_1", "").strip() or None,
            "admin2": record.get("adm_2", "").strip() or None,
            "perpetrator": actor_id(side_a),
            "perpetrator_label": truncate(side_a, 300),
            "target_actor": None if target == "civilians" else actor_id(side_b),
            "target_label": truncate(side_b, 300),
            "targets": [target] if target else [],
            "verification_state": IMPORTED_HISTORY,
            "notes": record.get("where_description", ""),
            "origin_record": record,
        }
    )
    return ImportRecord(row, incident, [_report(record, shared, incident)])


def _dates(record: dict[str, str]) -> tuple[datetime, datetime]:
    start = parse_day(record["date_start"], "date_start")
    end = parse_day(record["date_end"], "date_end")
    if end < start:
        raise RowError(f"date_end: {end.date()} is before date_start {start.date()}")
    year_text = record.get("year", "").strip()
    if year_text and parse_int(year_text, "year") not in (start.year, end.year):
        raise RowError(f"year: {year_text} does not match date_start {start.date()}")
    return start, end


def _casualties(record: dict[str, str], side_a: str, side_b: str) -> dict[str, dict[str, int]]:
    """Deaths by side into categories; GED's overall low/high spread over them exactly."""
    counts: dict[CasualtyCategory, int] = {}
    for column, category in (
        ("deaths_a", casualty_category(side_a)),
        ("deaths_b", casualty_category(side_b)),
        ("deaths_civilians", CasualtyCategory.CIVILIANS),
        ("deaths_unknown", CasualtyCategory.UNKNOWN),
    ):
        counts[category] = counts.get(category, 0) + parse_int(record[column], column, minimum=0)
    low = parse_int(record["low"], "low", minimum=0)
    parse_int(record["best"], "best", minimum=0)
    high = parse_int(record["high"], "high", minimum=0)
    return casualty_ranges(counts, low=low, high=high)


def _report(
    record: dict[str, str], shared: dict[str, Any], incident: dict[str, Any]
) -> ReportValues:
    lines = [
        f"{label}: {record[column]}"
        for column, label in REPORT_FIELDS
        if record.get(column, "").strip()
    ]
    text = f"UCDP GED event {record['id'].strip()} ({record.get('relid', '')})\n" + "\n".join(lines)
    clarity = record.get("event_clarity", "").strip()
    columns = report_columns(
        {
            **shared,
            "code": f"{incident['code']}-r1",
            "source_type": "dataset",
            "source_name": "UCDP GED",
            "reliability": "B",
            "credibility": 2 if clarity in ("", "1") else 3,
            "text": text,
            "language": "en",
            "place_text": truncate(
                record.get("where_description", "") or incident["place_name"], 300
            ),
            "claimed_perpetrator": incident["perpetrator"],
            "claimed_targets": incident["targets"],
        }
    )
    link = {"method": "import", "linked_by": f"import:{DATASET}", "reasons": ["source event id"]}
    return ReportValues(columns, link)


def classify_event(violence: int, record: dict[str, str]) -> str:
    """An ACLED sub-event type from GED's type of violence and the source's words."""
    text = f"{record.get('source_headline', '')} {record.get('source_article', '')}".lower()
    words: set[str] | None = None
    for event_type, fragments, whole_words in EVENT_TYPE_KEYWORDS:
        if any(fragment in text for fragment in fragments):
            return event_type
        if whole_words:
            words = words if words is not None else set(_WORDS.findall(text))
            if not words.isdisjoint(whole_words):
                return event_type
    return DEFAULT_EVENT_TYPE[violence]


@lru_cache(maxsize=512)
def country_code(iso3: str, name: str) -> str | None:
    """ISO 3166 alpha-2 code from GED's ``iso3`` (or the country name)."""
    country = None
    if iso3.strip():
        country = pycountry.countries.get(alpha_3=iso3.strip().upper())
    if country is None and name.strip():
        try:
            country = pycountry.countries.lookup(name.strip())
        except LookupError:
            return None
    return None if country is None else str(country.alpha_2)
