"""Linking stored reports to incidents: candidates with scores and reasons, automatic and manual links.

Candidates come from the database by blocking on time (the ``occurred_at``
index) and a latitude/longitude box (the ``lat, lon`` index), then each is
scored by ``matching.score_match``. ``auto_link_report`` links above
``AUTO_LINK_THRESHOLD``, leaves the report for an analyst when the best
candidate is only above ``PROPOSE_THRESHOLD``, and otherwise opens a new
incident. Links are never rewritten: moving or confirming a report retires its
old link and adds a new one. Every change is in the audit log.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Select, and_, or_, select
from sqlalchemy.orm import Session

from truceline.audit.log import Actor, append_entry
from truceline.db.base import utcnow
from truceline.events.taxonomy import UNKNOWN_ACTOR, acled_label
from truceline.incidents.blocking import KM_PER_DEGREE
from truceline.incidents.matching import (
    AUTO_LINK_THRESHOLD,
    PROPOSE_THRESHOLD,
    SPACE_TOLERANCE_KM,
    TIME_TOLERANCE_H,
    Match,
    MatchFeatures,
    hours_since_epoch,
    score_match,
)
from truceline.incidents.models import Incident, IncidentReportLink, Report

#: Incidents are compared with up to this many of their reports' texts.
TEXTS_PER_INCIDENT = 3
#: The widest incident tolerance looked for around a report (a month, a province).
WIDEST_TIME_H = TIME_TOLERANCE_H[3]
WIDEST_SPACE_KM = SPACE_TOLERANCE_KM[4]


class LinkingError(ValueError):
    """A link that cannot be made, with the reason."""


@dataclass(frozen=True)
class LinkingFacts:
    """What was read from a report's text (intake's proposed facts): linking uses the day,
    point and type from here when the report itself has none typed."""

    occurred_at: datetime | None = None
    lat: float | None = None
    lon: float | None = None
    geo_precision: int | None = None
    event_type: str | None = None


@dataclass(frozen=True)
class Candidate:
    incident_id: int
    incident_code: str
    match: Match


def report_features(report: Report, read: LinkingFacts | None = None) -> MatchFeatures:
    occurred_at, lat, lon, geo_precision, event_type = _typed_or_read(report, read)
    return MatchFeatures(
        hours=hours_since_epoch(occurred_at) if occurred_at else None,
        time_precision=report.time_precision,
        lat=lat,
        lon=lon,
        geo_precision=geo_precision,
        event_type=event_type,
        actor=report.claimed_perpetrator,
        texts=(report.text,) if report.text else (),
    )


def _typed_or_read(
    report: Report, read: LinkingFacts | None
) -> tuple[datetime | None, float | None, float | None, int, str | None]:
    """The report's typed day, point and type; each missing one from ``read`` when given."""
    occurred_at, event_type = report.occurred_at, report.event_type
    lat, lon, geo_precision = report.lat, report.lon, report.geo_precision
    if read is not None:
        occurred_at = occurred_at or read.occurred_at
        event_type = event_type or read.event_type
        if lat is None and read.lat is not None and read.lon is not None:
            lat, lon = read.lat, read.lon
            geo_precision = max(geo_precision, read.geo_precision or geo_precision)
    return occurred_at, lat, lon, geo_precision, event_type


def incident_features(
    session: Session, incident: Incident, *, excluding_report: int | None = None
) -> MatchFeatures:
    """The incident as matching sees it; texts of the report being matched are left out."""
    texts = session.scalars(
        select(Report.text)
        .join(IncidentReportLink, IncidentReportLink.report_id == Report.id)
        .where(
            IncidentReportLink.incident_id == incident.id,
            IncidentReportLink.unlinked_at.is_(None),
            Report.id != (excluding_report or -1),
        )
        .order_by(IncidentReportLink.id)
        .limit(TEXTS_PER_INCIDENT)
    ).all()
    return MatchFeatures(
        hours=hours_since_epoch(incident.occurred_at),
        time_precision=incident.time_precision,
        lat=incident.lat,
        lon=incident.lon,
        geo_precision=incident.geo_precision,
        event_type=incident.event_type,
        actor=incident.perpetrator,
        texts=tuple(t for t in texts if t),
    )


def find_candidates(
    session: Session, report: Report, *, limit: int = 10, read: LinkingFacts | None = None
) -> list[Candidate]:
    """Incidents the report may describe, best first, each with its score and reasons."""
    features = report_features(report, read)
    scored = []
    for incident in session.scalars(_blocking_query(report, read)):
        match = score_match(
            features, incident_features(session, incident, excluding_report=report.id)
        )
        if match is not None:
            scored.append(Candidate(incident.id, incident.code, match))
    scored.sort(key=lambda c: c.match.score, reverse=True)
    return scored[:limit]


def _blocking_query(report: Report, read: LinkingFacts | None = None) -> Select[Incident]:
    """Open incidents within the widest time window and place box the report could match."""
    occurred_at, lat, lon, geo_precision, _ = _typed_or_read(report, read)
    anchor = occurred_at or report.received_at
    window = timedelta(
        hours=max(TIME_TOLERANCE_H.get(report.time_precision, WIDEST_TIME_H), WIDEST_TIME_H)
    )
    query = select(Incident).where(
        Incident.merged_into_id.is_(None),
        Incident.occurred_at.between(anchor - window, anchor + window),
    )
    if lat is not None and lon is not None:
        reach = max(SPACE_TOLERANCE_KM.get(geo_precision, WIDEST_SPACE_KM), WIDEST_SPACE_KM)
        dlat = reach / KM_PER_DEGREE
        dlon = dlat * 1.5  # generous for latitudes up to 48 degrees
        in_box = and_(
            Incident.lat.between(lat - dlat, lat + dlat),
            Incident.lon.between(lon - dlon, lon + dlon),
        )
        query = query.where(or_(in_box, Incident.lat.is_(None)))
    return query.order_by(Incident.id)


def active_links(session: Session, report_id: int) -> list[IncidentReportLink]:
    return list(
        session.scalars(
            select(IncidentReportLink).where(
                IncidentReportLink.report_id == report_id, IncidentReportLink.unlinked_at.is_(None)
            )
        )
    )


def auto_link_report(
    session: Session, report: Report, *, actor: Actor, read: LinkingFacts | None = None
) -> dict[str, object]:
    """Link a new report automatically, propose candidates, or open a new incident
    (``read``: the facts read from its text, used where it typed none)."""
    if active_links(session, report.id):
        return {
            "status": "already_linked",
            "incident_id": active_links(session, report.id)[0].incident_id,
        }
    candidates = find_candidates(session, report, read=read)
    best = candidates[0] if candidates else None
    if best is not None and best.match.score >= AUTO_LINK_THRESHOLD:
        link_report(
            session,
            report=report,
            incident_id=best.incident_id,
            actor=actor,
            method="auto",
            match=best.match,
        )
        return _outcome("auto_linked", best.incident_id, best.match)
    proposals = [c.incident_id for c in candidates if c.match.score >= PROPOSE_THRESHOLD]
    if proposals:
        return _outcome("proposed", None, best.match if best else None, proposals)
    incident = open_incident_for(session, report, actor=actor)
    return _outcome("new_incident", incident.id, best.match if best else None)


def _outcome(
    status: str, incident_id: int | None, match: Match | None, proposals: list[int] | None = None
) -> dict[str, object]:
    return {
        "status": status,
        "incident_id": incident_id,
        "score": match.score if match else None,
        "reasons": list(match.reasons) if match else [],
        "proposals": proposals or [],
    }


def open_incident_for(
    session: Session, report: Report, *, actor: Actor, method: str = "new"
) -> Incident:
    """A new incident seeded from a report's place, time, type and actors, with the report linked."""
    incident = Incident(
        code=f"INC-{uuid.uuid4().hex[:10].upper()}",
        title=_title_for(report),
        occurred_at=report.occurred_at or report.received_at,
        time_precision=report.time_precision,
        lat=report.lat,
        lon=report.lon,
        geo_precision=report.geo_precision,
        place_name=report.place_text,
        event_type=report.event_type or "other",
        perpetrator=report.claimed_perpetrator or UNKNOWN_ACTOR,
        perpetrator_label=report.claimed_perpetrator_label,
        targets=list(report.claimed_targets),
        casualties=dict(report.casualties),
    )
    session.add(incident)
    session.flush()
    append_entry(session, actor=actor, action="incident.opened", object_type="incident",
                 object_id=incident.id, after={"code": incident.code, "from_report": report.id})  # fmt: skip
    link_report(
        session, report=report, incident_id=incident.id, actor=actor, method=method, match=None
    )
    return incident


def _title_for(report: Report) -> str:
    what = acled_label(report.event_type) if report.event_type else "Reported incident"
    return f"{what} — {report.place_text}"[:300] if report.place_text else what


def link_report(
    session: Session,
    *,
    report: Report,
    incident_id: int,
    actor: Actor,
    method: str,
    match: Match | None,
) -> IncidentReportLink:
    """Link a report to an incident, retiring its links to any other incident (a move)."""
    incident = session.get(Incident, incident_id)
    if incident is None:
        raise LinkingError(f"incident {incident_id} does not exist")
    if incident.merged_into_id is not None:
        raise LinkingError(
            f"incident {incident.code} was merged into incident {incident.merged_into_id}; link there"
        )
    now = utcnow()
    for old in active_links(session, report.id):
        old.unlinked_at, old.unlinked_by = now, actor.name
    link = IncidentReportLink(
        incident_id=incident_id,
        report_id=report.id,
        linked_by=actor.name,
        method=method,
        score=match.score if match else None,
        reasons=list(match.reasons) if match else [],
    )
    session.add(link)
    session.flush()
    append_entry(session, actor=actor, action="incident.report_linked", object_type="incident",
                 object_id=incident_id, after={"report": report.id, "link": link.id, "method": method,
                                               "score": link.score})  # fmt: skip
    return link


def confirm_link(
    session: Session, *, report: Report, incident_id: int, actor: Actor
) -> IncidentReportLink:
    """An analyst's confirmation that the report belongs to the incident (a new, confirmed link)."""
    features = report_features(report)
    incident = session.get(Incident, incident_id)
    match = (
        score_match(features, incident_features(session, incident, excluding_report=report.id))
        if incident
        else None
    )
    return link_report(
        session,
        report=report,
        incident_id=incident_id,
        actor=actor,
        method="confirmed",
        match=match,
    )
