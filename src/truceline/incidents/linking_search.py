"""Linking candidates from the database: one index query for the incidents, one for their texts.

A report can describe an incident when they are within the larger of their
space tolerances and the larger of their time tolerances
(``matching.score_match``). The migration ``geo_0002_link_boxes`` indexes each
incident as a box of time and place widened by its *own* tolerances (an R*Tree
on SQLite, an n-D GiST index on PostgreSQL); the report asks for the boxes
that overlap its own box, widened by *its* tolerances. Overlap is implied by
being within tolerance, so nothing matchable is missed, and a precise report
searches a small box (a day and a few kilometres for a village-level account)
instead of the widest window any record could need. ``score_match`` then
decides exactly.

The accounts each incident is compared by (its first ``TEXTS_PER_INCIDENT``
linked reports: their place, time, type, perpetrator and text) come in a
second query for all candidates at once.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import bindparam, text
from sqlalchemy.orm import Session

from truceline.db.base import UTCDateTime
from truceline.incidents.matching import (
    SPACE_TOLERANCE_KM,
    TIME_TOLERANCE_H,
    MatchFeatures,
    hours_since_epoch,
)

#: Incidents are compared with up to this many of their reports' texts.
TEXTS_PER_INCIDENT = 3
#: Kilometres per degree of latitude, rounded down as in the index (boxes err on the wide side).
KM_PER_DEGREE = 110.5
#: An unknown place spans every latitude and longitude (as in the index).
UNBOUNDED = 1000.0
DEFAULT_TIME_TOLERANCE_H = 48000.0
DEFAULT_SPACE_TOLERANCE_KM = 900.0


@dataclass(frozen=True, slots=True)
class Box:
    """A range of hours since the epoch, of latitude and of longitude."""

    min_h: float
    max_h: float
    min_lat: float
    max_lat: float
    min_lon: float
    max_lon: float

    def params(self) -> dict[str, float]:
        return {name: getattr(self, name) for name in self.__slots__}


@dataclass(frozen=True, slots=True)
class StoredIncident:
    """An open incident as linking sees it: its own features and its first linked accounts'."""

    id: int
    code: str
    features: MatchFeatures
    accounts: tuple[MatchFeatures, ...] = ()


def search_box(features: MatchFeatures, anchor: datetime) -> Box:
    """The report's place and time (or ``anchor`` without a time), widened by its own tolerances."""
    hours = features.hours if features.hours is not None else hours_since_epoch(anchor)
    dt = TIME_TOLERANCE_H.get(features.time_precision, DEFAULT_TIME_TOLERANCE_H)
    if features.lat is None or features.lon is None:
        return Box(hours - dt, hours + dt, -UNBOUNDED, UNBOUNDED, -UNBOUNDED, UNBOUNDED)
    dlat = (
        SPACE_TOLERANCE_KM.get(features.geo_precision, DEFAULT_SPACE_TOLERANCE_KM) / KM_PER_DEGREE
    )
    poleward = min(abs(features.lat) + dlat, 89.0)
    dlon = min(dlat / math.cos(math.radians(poleward)), UNBOUNDED)
    lat, lon = features.lat, features.lon
    return Box(hours - dt, hours + dt, lat - dlat, lat + dlat, lon - dlon, lon + dlon)


def candidate_incidents(
    session: Session, features: MatchFeatures, anchor: datetime, *, excluding_report: int | None
) -> list[StoredIncident]:
    """Open incidents whose linking box overlaps the report's, with their accounts, in id order."""
    box = search_box(features, anchor)
    sqlite = session.get_bind().dialect.name == "sqlite"
    rows = session.execute(_SQLITE_SEARCH if sqlite else _POSTGRES_SEARCH, box.params()).all()
    accounts = incident_accounts(
        session, [row.id for row in rows], excluding_report=excluding_report
    )
    found = []
    for row in rows:
        linked = accounts.get(row.id, ())
        texts = tuple(account.texts[0] for account in linked if account.texts)
        own = MatchFeatures(
            hours=hours_since_epoch(row.occurred_at), time_precision=row.time_precision,
            lat=row.lat, lon=row.lon, geo_precision=row.geo_precision,
            event_type=row.event_type, actor=row.perpetrator, texts=texts)  # fmt: skip
        found.append(
            StoredIncident(row.id, row.code, own, tuple(replace(a, texts=texts) for a in linked))
        )
    return found


def incident_texts(
    session: Session, incident_ids: list[int], *, excluding_report: int | None
) -> dict[int, tuple[str, ...]]:
    """The texts of each incident's first accounts (see ``incident_accounts``)."""
    accounts = incident_accounts(session, incident_ids, excluding_report=excluding_report)
    return {
        incident_id: tuple(account.texts[0] for account in linked if account.texts)
        for incident_id, linked in accounts.items()
    }


def incident_accounts(
    session: Session, incident_ids: list[int], *, excluding_report: int | None
) -> dict[int, tuple[MatchFeatures, ...]]:
    """Each incident's first ``TEXTS_PER_INCIDENT`` active linked reports (in link order), as matching
    sees them; the excluded report is left out."""
    if not incident_ids:
        return {}
    found: defaultdict[int, list[MatchFeatures]] = defaultdict(list)
    parameters = {
        "ids": incident_ids,
        "excluded": excluding_report or -1,
        "texts": TEXTS_PER_INCIDENT,
    }
    for row in session.execute(_ACCOUNTS, parameters):
        found[row.incident_id].append(MatchFeatures(
            hours=hours_since_epoch(row.occurred_at) if row.occurred_at else None,
            time_precision=row.time_precision, lat=row.lat, lon=row.lon,
            geo_precision=row.geo_precision, event_type=row.event_type,
            actor=row.claimed_perpetrator, texts=(row.text,) if row.text else ()))  # fmt: skip
    return {incident_id: tuple(linked) for incident_id, linked in found.items()}


# The statements are written out (and compiled once) rather than built per call: building a
# Core statement and its cache key cost more than running it.
_SQLITE_SEARCH = text(
    "SELECT i.id, i.code, i.occurred_at, i.time_precision, i.lat, i.lon, i.geo_precision,"
    " i.event_type, i.perpetrator FROM incidents_link_rtree AS r JOIN incidents AS i ON i.id = r.id"
    " WHERE r.max_h >= :min_h AND r.min_h <= :max_h AND r.max_lat >= :min_lat"
    " AND r.min_lat <= :max_lat AND r.max_lon >= :min_lon AND r.min_lon <= :max_lon"
    " AND i.merged_into_id IS NULL ORDER BY i.id"
).columns(occurred_at=UTCDateTime())
_POSTGRES_SEARCH = text(
    "SELECT i.id, i.code, i.occurred_at, i.time_precision, i.lat, i.lon, i.geo_precision,"
    " i.event_type, i.perpetrator FROM incidents AS i"
    " WHERE truceline_link_box(i.lat, i.lon, i.occurred_at, i.time_precision, i.geo_precision)"
    " &&& ST_MakeLine(ST_MakePoint(:min_lon, :min_lat, :min_h),"
    " ST_MakePoint(:max_lon, :max_lat, :max_h))"
    " AND i.merged_into_id IS NULL ORDER BY i.id"
).columns(occurred_at=UTCDateTime())
_ACCOUNTS = (
    text(
        "SELECT incident_id, text, occurred_at, time_precision, lat, lon, geo_precision, event_type,"
        " claimed_perpetrator FROM ("
        " SELECT l.incident_id AS incident_id, r.text AS text, r.occurred_at AS occurred_at,"
        " r.time_precision AS time_precision, r.lat AS lat, r.lon AS lon,"
        " r.geo_precision AS geo_precision, r.event_type AS event_type,"
        " r.claimed_perpetrator AS claimed_perpetrator,"
        " row_number() OVER (PARTITION BY l.incident_id ORDER BY l.id) AS rank"
        " FROM incident_report_links AS l JOIN reports AS r ON r.id = l.report_id"
        " WHERE l.incident_id IN :ids AND l.unlinked_at IS NULL AND r.id != :excluded) AS ranked"
        " WHERE rank <= :texts ORDER BY incident_id, rank"
    )
    .bindparams(bindparam("ids", expanding=True))
    .columns(occurred_at=UTCDateTime())
)
