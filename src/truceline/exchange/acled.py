"""ACLED CSV: reading ACLED exports into incidents, and writing incidents with ACLED's columns.

ACLED's own columns are kept verbatim in ``origin_record`` on import and reused
on export for what truceline does not model (associated actors, ``admin3``,
``source_scale``). truceline values with no ACLED equivalent (ceasefire event
types, finer precision codes) travel in ``tags`` as ``truceline:key=value``, so
an export read back in gives the same incident. ``docs/data-model.md`` has the
field mapping.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pycountry

from truceline.events.taxonomy import (
    ACLED_LABEL_TO_TYPE,
    EVENT_TYPES,
    CasualtyCategory,
    PlacePrecision,
    TimePrecision,
    acled_label,
)
from truceline.exchange.actors import actor_id, casualty_category
from truceline.exchange.records import ImportRecord, Rejection, ReportValues
from truceline.exchange.rows import (
    IMPORTED_HISTORY,
    RowError,
    check_plausible,
    incident_columns,
    is_hxl_hashtag_row,
    parse_coordinates,
    parse_int,
    report_columns,
    truncate,
)
from truceline.exchange.textio import CsvProblem, check_header, read_csv

DATASET = "acled"

ACLED_COLUMNS: tuple[str, ...] = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2",
    "admin3", "location", "latitude", "longitude", "geo_precision", "source", "source_scale",
    "notes", "fatalities", "tags", "timestamp",
)  # fmt: skip

#: Columns found in older ACLED exports, accepted on import.
LEGACY_COLUMNS = frozenset({"data_id", "iso3", "event_id_no_cnty"})

REQUIRED_COLUMNS = frozenset(
    {
        "event_id_cnty",
        "event_date",
        "sub_event_type",
        "actor1",
        "latitude",
        "longitude",
        "fatalities",
    }
)

#: ACLED actor type codes (``inter1``/``inter2``), numeric and as newer files spell them.
INTER_CODES = {
    "state forces": 1, "rebel group": 2, "political militia": 3, "identity militia": 4,
    "rioters": 5, "protesters": 6, "civilians": 7, "external/other forces": 8,
}  # fmt: skip
INTER_TARGETS = {1: "security_forces", 2: "militants", 3: "militants", 4: "militants", 7: "civilians", 8: "security_forces"}  # fmt: skip

#: ACLED sub-event type used for each ceasefire-specific type on export.
CEASEFIRE_AS_ACLED = {
    "cross_border_fire": "shelling_artillery_missile_attack",
    "incursion": "armed_clash",
}
DISORDER_TYPES = {
    "battles": "Political violence",
    "explosions_remote_violence": "Political violence",
    "violence_against_civilians": "Political violence",
    "riots": "Political violence; Demonstrations",
    "protests": "Demonstrations",
    "strategic_developments": "Strategic developments",
}
REGIONS = {"AF": "South Asia", "PK": "South Asia", "IN": "South Asia", "IR": "Middle East"}
LOCAL_ZONES = {"AF": ZoneInfo("Asia/Kabul"), "PK": ZoneInfo("Asia/Karachi")}
DATE_FORMATS = ("%Y-%m-%d", "%d %B %Y", "%d-%B-%Y", "%d %b %Y")


def read_records(
    path: Path, *, on_progress: Callable[[int], None] | None = None
) -> Iterator[ImportRecord | Rejection]:
    """Each ACLED row as an ``ImportRecord``, or a ``Rejection`` saying where and why."""
    items = read_csv(path, on_progress=on_progress)
    header_item = next(items, None)
    if header_item is None or isinstance(header_item, CsvProblem):
        reason = header_item.reason if header_item else "the file is empty"
        yield Rejection(0, f"header: {reason}")
        return
    header = [name.strip() for name in header_item.fields]
    known = frozenset(ACLED_COLUMNS) | LEGACY_COLUMNS
    problems = check_header(header, known=known, required=REQUIRED_COLUMNS, format_name="ACLED")
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
                f"line {item.first_line}: {len(item.fields)} fields but the header has {len(header)} columns",
            )
        else:
            try:
                yield map_row(dict(zip(header, item.fields, strict=True)), row)
            except RowError as error:
                yield Rejection(row, f"line {item.first_line}: {error}")


def map_row(record: dict[str, str], row: int) -> ImportRecord:
    """One ACLED row as an incident plus the report holding ACLED's account of it."""
    event_id = record["event_id_cnty"].strip()
    if not event_id or len(event_id) > 48:
        raise RowError(f"event_id_cnty: {event_id!r} must be 1 to 48 characters")
    tags = parse_tags(record.get("tags", ""))
    event_type = _event_type(record, tags)
    occurred_at = parse_acled_date(record["event_date"])
    lat, lon = parse_coordinates(record["latitude"], record["longitude"])
    fatalities = parse_int(record["fatalities"], "fatalities", minimum=0)
    targets = _targets(record, event_type)
    category = "civilians" if targets == ["civilians"] else "unknown"
    shared: dict[str, Any] = {
        "occurred_at": occurred_at,
        "time_precision": _precision(tags, "time_precision", record, TimePrecision),
        "lat": lat,
        "lon": lon,
        "geo_precision": _precision(tags, "geo_precision", record, PlacePrecision),
        "event_type": event_type,
        "casualties": {category: {"low": fatalities, "best": fatalities, "high": fatalities}}
        if fatalities
        else {},
        "origin_dataset": DATASET,
        "origin_event_id": event_id,
    }
    actor1, actor2 = record["actor1"].strip(), record.get("actor2", "").strip()
    incident = incident_columns(
        {
            **shared,
            "code": f"{DATASET}-{event_id}",
            "title": truncate(
                f"{acled_label(event_type)}: {record.get('location', '').strip()}", 300
            ),
            "place_name": truncate(record.get("location", "").strip(), 300),
            "country": _country(record.get("country", ""), record.get("iso", "")),
            "admin1": truncate(record.get("admin1", "").strip(), 120) or None,
            "admin2": truncate(record.get("admin2", "").strip(), 120) or None,
            "perpetrator": actor_id(actor1),
            "perpetrator_label": truncate(actor1, 300),
            "target_actor": actor_id(actor2) if actor2 else None,
            "target_label": truncate(actor2, 300),
            "targets": targets,
            "verification_state": IMPORTED_HISTORY,
            "notes": record.get("notes", ""),
            "origin_record": record,
        }
    )
    return ImportRecord(row, incident, [_report(record, shared, incident)])


def _report(
    record: dict[str, str], shared: dict[str, Any], incident: dict[str, Any]
) -> ReportValues:
    source = record.get("source", "").strip()
    text = record.get("notes", "")
    if source:
        text += f"\nSources: {source}"
    columns = report_columns(
        {
            **shared,
            "code": f"{incident['code']}-r1",
            "source_type": "dataset",
            "source_name": truncate(f"ACLED ({source})" if source else "ACLED", 300),
            "reliability": "B",
            "credibility": 3,
            "text": text,
            "place_text": incident["place_name"],
            "claimed_perpetrator": incident["perpetrator"],
            "claimed_targets": incident["targets"],
        }
    )
    return ReportValues(columns, {"method": "import", "linked_by": f"import:{DATASET}"})


def parse_tags(text: str) -> dict[str, str]:
    """The ``truceline:key=value`` entries of ACLED's semicolon-separated ``tags``."""
    found: dict[str, str] = {}
    for part in text.split(";"):
        key, _, value = part.strip().partition("=")
        if key.startswith("truceline:") and value:
            found[key.removeprefix("truceline:")] = value.strip()
    return found


def _event_type(record: dict[str, str], tags: dict[str, str]) -> str:
    if tags.get("type") in EVENT_TYPES:
        return tags["type"]
    label = record["sub_event_type"].strip()
    event_type = ACLED_LABEL_TO_TYPE.get(label.lower())
    if event_type is None or event_type not in EVENT_TYPES:
        raise RowError(f"sub_event_type: {label!r} is not an ACLED sub-event type")
    parent = record.get("event_type", "").strip()
    if parent and acled_label(EVENT_TYPES[event_type]).lower() != parent.lower():
        raise RowError(f"sub_event_type: {label!r} does not belong to event_type {parent!r}")
    return event_type


def _precision(tags: dict[str, str], key: str, record: dict[str, str], kind: Any) -> int:
    if key in tags:
        try:
            return int(kind(parse_int(tags[key], f"tags truceline:{key}")))
        except ValueError as error:
            raise RowError(f"tags: truceline:{key}={tags[key]} is not a valid code") from error
    text = record.get(key, "").strip()
    return int(kind.from_acled(parse_int(text, key, minimum=1, maximum=3) if text else 1))


def parse_acled_date(text: str) -> datetime:
    """ACLED's ``event_date`` (ISO or ``15 January 2023``) as 00:00 UTC of that day."""
    stripped = text.strip()
    for pattern in DATE_FORMATS:
        try:
            parsed = datetime.strptime(stripped, pattern)
        except ValueError:
            continue
        return check_plausible(parsed.replace(tzinfo=UTC), "event_date")
    raise RowError(f"event_date: {text!r} is not a valid date (expected YYYY-MM-DD)")


def _inter(text: str) -> int | None:
    stripped = text.strip().lower()
    if stripped.isdigit():
        return int(stripped)
    return INTER_CODES.get(stripped)


def _targets(record: dict[str, str], event_type: str) -> list[str]:
    if record.get("civilian_targeting", "").strip():
        return ["civilians"]
    target = INTER_TARGETS.get(_inter(record.get("inter2", "")) or 0)
    if target is None and EVENT_TYPES[event_type] == "violence_against_civilians":
        return ["civilians"]
    return [target] if target else []


@lru_cache(maxsize=512)
def _country(name: str, iso_numeric: str) -> str | None:
    country = None
    if iso_numeric.strip().isdigit():
        country = pycountry.countries.get(numeric=iso_numeric.strip().zfill(3))
    if country is None and name.strip():
        try:
            country = pycountry.countries.lookup(name.strip())
        except LookupError:
            return None
    return None if country is None else str(country.alpha_2)


def export_row(incident: Any, reports: list[Any]) -> dict[str, Any]:
    """One incident as an ACLED row (``incident`` and ``reports`` are ORM objects)."""
    origin = incident.origin_record if incident.origin_dataset == DATASET else {}
    row: dict[str, Any] = {column: origin.get(column, "") for column in ACLED_COLUMNS}
    acled_type = CEASEFIRE_AS_ACLED.get(incident.event_type, incident.event_type)
    if EVENT_TYPES.get(acled_type) == "ceasefire_violation":
        acled_type = "other"
    local = incident.occurred_at.astimezone(LOCAL_ZONES.get(incident.country or "", UTC))
    inter1 = _inter_for(incident.perpetrator, incident.perpetrator_label)
    inter2 = _inter_for(incident.target_actor, incident.target_label)
    row.update(
        {
            "event_id_cnty": incident.origin_event_id if origin else incident.code,
            "event_date": local.date().isoformat(),
            "year": local.year,
            "time_precision": TimePrecision(incident.time_precision).acled(),
            "disorder_type": DISORDER_TYPES[EVENT_TYPES[acled_type]],
            "event_type": acled_label(EVENT_TYPES[acled_type]),
            "sub_event_type": acled_label(acled_type),
            "actor1": incident.perpetrator_label or incident.perpetrator,
            "inter1": origin.get("inter1") or inter1 or "",
            "actor2": incident.target_label or (incident.target_actor or ""),
            "inter2": origin.get("inter2") or inter2 or "",
            "interaction": origin.get("interaction") or _interaction(inter1, inter2),
            "civilian_targeting": "Civilian targeting" if "civilians" in incident.targets else "",
            "latitude": "" if incident.lat is None else incident.lat,
            "longitude": "" if incident.lon is None else incident.lon,
            "geo_precision": PlacePrecision(incident.geo_precision).acled(),
            "source": origin.get("source") or "; ".join(_source_names(reports)),
            "notes": incident.notes or incident.title,
            "fatalities": sum(int(v.get("best", 0)) for v in incident.casualties.values()),
            "tags": _export_tags(incident, acled_type, origin.get("tags", "")),
            "timestamp": int(incident.updated_at.timestamp()),
            **_place(incident, origin),
        }
    )
    return row


def _place(incident: Any, origin: dict[str, Any]) -> dict[str, Any]:
    country = pycountry.countries.get(alpha_2=incident.country) if incident.country else None
    return {
        "iso": int(country.numeric) if country else origin.get("iso", ""),
        "region": REGIONS.get(incident.country or "", origin.get("region", "")),
        "country": country.name if country else origin.get("country", ""),
        "admin1": incident.admin1 or "",
        "admin2": incident.admin2 or "",
        "location": incident.place_name,
    }


def _inter_for(actor: str | None, label: str) -> int | None:
    """ACLED's actor type code: 1 state forces, 2 rebel group, 7 civilians."""
    category = casualty_category(label) if label else None
    if actor in ("AF", "PK") or category is CasualtyCategory.SECURITY_FORCES:
        return 1
    if actor == "civilians" or category is CasualtyCategory.CIVILIANS:
        return 7
    return None if actor in (None, "", "unknown") else 2


def _interaction(inter1: int | None, inter2: int | None) -> str:
    if inter1 is None:
        return ""
    if inter2 is None:
        return f"{inter1}0"
    low, high = sorted((inter1, inter2))
    return f"{low}{high}"


def _source_names(reports: list[Any]) -> list[str]:
    return list(dict.fromkeys(r.source_name for r in reports if r.source_name))


def _export_tags(incident: Any, acled_type: str, original: str) -> str:
    """ACLED's own tags, plus what truceline knows that ACLED's columns cannot say."""
    extra = []
    if acled_type != incident.event_type:
        extra.append(f"truceline:type={incident.event_type}")
    if (
        TimePrecision.from_acled(TimePrecision(incident.time_precision).acled())
        != incident.time_precision
    ):
        extra.append(f"truceline:time_precision={incident.time_precision}")
    if (
        PlacePrecision.from_acled(PlacePrecision(incident.geo_precision).acled())
        != incident.geo_precision
    ):
        extra.append(f"truceline:geo_precision={incident.geo_precision}")
    kept = [
        p.strip()
        for p in original.split(";")
        if p.strip() and not p.strip().startswith("truceline:")
    ]
    return "; ".join(kept + extra)
