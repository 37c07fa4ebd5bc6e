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

The texts the incidents are compared by (the first ``TEXTS_PER_INCIDENT`` of
their linked reports) come in a second query for all candidates at once.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Float, and_, column, func, select, table
from sqlalchemy.orm import Session

from truceline.incidents.matching import (
    SPACE_TOLERANCE_KM,
    TIME_TOLERANCE_H,
    MatchFeatures,
    hours_since_epoch,
)
from truceline.incidents.models import Incident, IncidentReportLink, Report

#: Incidents are compared with up to this many of their reports' texts.
TEXTS_PER_INCIDENT = 3
#: Kilometres per degree of latitude, rounded down as in the index (boxes err on the wide side).
KM_PER_DEGREE = 110.5
#: An unknown place spans every latitude and longitude (as in the index).
UNBOUNDED = 1000.0
DEFAULT_TIME_TOLERANCE_H = 48000.0
DEFAULT_SPACE_TOLERANCE_KM = 900.0

_rtree = table(
    "incidents_link_rtree",
    *(
        column(name, Float)
        for name in ("min_h", "max_h", "min_lat", "max_lat", "min_lon", "max_lon")
    ),
    column("id"),
)


@dataclass(frozen=True, slots=True)
class Box:
    """A range of hours since the epoch, of latitude and of longitude."""

    min_h: float
    max_h: float
    min_lat: float
    max_lat: float
    min_lon: float
    max_lon: float


@dataclass(frozen=True, slots=True)
class StoredIncident:
    """An open incident as linking sees it."""

    id: int
    code: str
    features: MatchFeatures


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
    """Open incidents whose linking box overlaps the report's, with their texts, in id order."""
    box = search_box(features, anchor)
    columns = (Incident.id, Incident.code, Incident.occurred_at, Incident.time_precision,
               Incident.lat, Incident.lon, Incident.geo_precision, Incident.event_type,
               Incident.perpetrator)  # fmt: skip
    query = select(*columns).where(Incident.merged_into_id.is_(None)).order_by(Incident.id)
    if session.get_bind().dialect.name == "sqlite":
        query = query.join(_rtree, _rtree.c.id == Incident.id).where(_rtree_overlaps(box))
    else:
        query = query.where(_gist_overlaps(box))
    rows = session.execute(query).all()
    texts = incident_texts(session, [row.id for row in rows], excluding_report=excluding_report)
    return [
        StoredIncident(row.id, row.code, MatchFeatures(
            hours=hours_since_epoch(row.occurred_at), time_precision=row.time_precision,
            lat=row.lat, lon=row.lon, geo_precision=row.geo_precision,
            event_type=row.event_type, actor=row.perpetrator, texts=texts.get(row.id, ())))
        for row in rows
    ]  # fmt: skip


def incident_texts(
    session: Session, incident_ids: list[int], *, excluding_report: int | None
) -> dict[int, tuple[str, ...]]:
    """The first texts of each incident's active links (in link order), the excluded report's left out."""
    if not incident_ids:
        return {}
    rank = func.row_number().over(
        partition_by=IncidentReportLink.incident_id, order_by=IncidentReportLink.id
    )
    ranked = (
        select(IncidentReportLink.incident_id, Report.text, rank.label("rank"))
        .join(Report, Report.id == IncidentReportLink.report_id)
        .where(
            IncidentReportLink.incident_id.in_(incident_ids),
            IncidentReportLink.unlinked_at.is_(None),
            Report.id != (excluding_report or -1),
        )
        .subquery()
    )
    found: defaultdict[int, list[str]] = defaultdict(list)
    for incident_id, text in session.execute(
        select(ranked.c.incident_id, ranked.c.text)
        .where(ranked.c.rank <= TEXTS_PER_INCIDENT)
        .order_by(ranked.c.incident_id, ranked.c.rank)
    ):
        if text:
            found[incident_id].append(text)
    return {incident_id: tuple(texts) for incident_id, texts in found.items()}


def _rtree_overlaps(box: Box) -> ColumnElement[bool]:
    r = _rtree.c
    return and_(r.max_h >= box.min_h, r.min_h <= box.max_h, r.max_lat >= box.min_lat,
                r.min_lat <= box.max_lat, r.max_lon >= box.min_lon, r.min_lon <= box.max_lon)  # fmt: skip


def _gist_overlaps(box: Box) -> ColumnElement[Any]:
    indexed = func.truceline_link_box(Incident.lat, Incident.lon, Incident.occurred_at,
                                      Incident.time_precision, Incident.geo_precision)  # fmt: skip
    wanted = func.ST_MakeLine(
        func.ST_MakePoint(box.min_lon, box.min_lat, box.min_h),
        func.ST_MakePoint(box.max_lon, box.max_lat, box.max_h),
    )
    return indexed.op("&&&")(wanted)
