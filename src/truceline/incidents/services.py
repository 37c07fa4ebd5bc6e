"""Linking stored reports to incidents: candidates with scores and reasons, automatic and manual links.

Candidates come from the database in two queries (``linking_search``): the
incidents whose box of time and place, widened by their own tolerances,
overlaps the report's (an R*Tree on SQLite, a GiST index on PostgreSQL), then
their texts; each is scored by ``matching.score_match``. This is the only
linker: live intake and the CLI and API candidate lists all use it. ``auto_link_report`` links above
``AUTO_LINK_THRESHOLD``, leaves the report for an analyst when the best
candidate is only above ``PROPOSE_THRESHOLD``, and otherwise opens a new
incident. Links are never rewritten: moving or confirming a report retires its
old link and adds a new one. Every change is in the audit log.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from truceline.audit.actor import Actor
from truceline.audit.log import add_logged
from truceline.db.base import utcnow
from truceline.errors import CodedError
from truceline.events.taxonomy import UNKNOWN_ACTOR, TimePrecision, acled_label
from truceline.incidents.linking_search import (
    StoredIncident,
    candidate_incidents,
    incident_texts,
)
from truceline.incidents.matching import (
    AUTO_LINK_THRESHOLD,
    PROPOSE_THRESHOLD,
    Match,
    MatchFeatures,
    hours_since_epoch,
    score_match,
)
from truceline.incidents.models import Incident, IncidentReportLink, Report


class LinkingError(CodedError, ValueError):
    """A link that cannot be made, with the reason (``code`` and ``params`` for pages)."""

    default_code = "link_refused"


@dataclass(frozen=True)
class LinkingFacts:
    """What was read from a report's text (intake's proposed facts): linking uses the day,
    point and type from here when the report itself has none typed."""

    occurred_at: datetime | None = None
    lat: float | None = None
    lon: float | None = None
    geo_precision: int | None = None
    event_type: str | None = None
    place_name: str | None = None
    #: Where each fact comes from, by field (``occurred_on``, ``place``, ``event_type``):
    #: ``proposed`` (read from the text at intake), ``accepted`` or ``corrected`` (triage).
    sources: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Candidate:
    incident_id: int
    incident_code: str
    match: Match


def report_features(report: Report, read: LinkingFacts | None = None) -> MatchFeatures:
    occurred_at, lat, lon, geo_precision, event_type = _typed_or_read(report, read)
    return MatchFeatures(
        type_read=not report.event_type and event_type is not None,
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
    texts = incident_texts(session, [incident.id], excluding_report=excluding_report)
    return MatchFeatures(
        hours=hours_since_epoch(incident.occurred_at),
        time_precision=incident.time_precision,
        lat=incident.lat,
        lon=incident.lon,
        geo_precision=incident.geo_precision,
        event_type=incident.event_type,
        actor=incident.perpetrator,
        texts=texts.get(incident.id, ()),
    )


def find_candidates(
    session: Session, report: Report, *, limit: int = 10, read: LinkingFacts | None = None
) -> list[Candidate]:
    """Incidents the report may describe, best first, each with its score and reasons.

    Two queries whatever the number of candidates: the incidents whose linking
    box overlaps the report's, then their texts (``linking_search``). ``read``
    (the facts read from its text) stands in for a day or place the report did
    not type.
    """
    features = report_features(report, read)
    anchor = _typed_or_read(report, read)[0] or report.received_at
    scored = []
    for incident in candidate_incidents(session, features, anchor, excluding_report=report.id):
        match = best_match(features, incident)
        if match is not None:
            scored.append(Candidate(incident.id, incident.code, match))
    scored.sort(key=lambda c: c.match.score, reverse=True)
    return scored[:limit]


def best_match(features: MatchFeatures, incident: StoredIncident) -> Match | None:
    """The report against the incident and against each of its first accounts; the best score.

    An incident's own place and time are those of the report that opened it. A
    later account of the same event may be closer to another of its accounts
    than to that first one (several sources with independent errors), so the
    report is compared with each, with the incident's texts, and the closest
    counts. The reasons are those of the comparison that scored best.
    """
    best = score_match(features, incident.features)
    for account in incident.accounts:
        match = score_match(features, account)
        if match is not None and (best is None or match.score > best.score):
            best = match
    return best


def active_links(session: Session, report_id: int) -> list[IncidentReportLink]:
    return list(
        session.scalars(
            select(IncidentReportLink).where(
                IncidentReportLink.report_id == report_id, IncidentReportLink.unlinked_at.is_(None)
            )
        )
    )


def auto_link_report(
    session: Session,
    report: Report,
    *,
    actor: Actor,
    read: LinkingFacts | None = None,
    just_stored: bool = False,
) -> dict[str, object]:
    """Link a new report automatically, propose candidates, or open a new incident
    (``read``: the facts read from its text, used where it typed none).

    ``just_stored``: the caller stored the report in this transaction, so it has no
    links yet and none are looked up (two fewer queries on every submission).
    """
    links = [] if just_stored else active_links(session, report.id)
    if links:
        return {"status": "already_linked", "incident_id": links[0].incident_id}
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
            unlinked=True,
        )
        return _outcome("auto_linked", best.incident_id, best.match)
    proposals = [c.incident_id for c in candidates if c.match.score >= PROPOSE_THRESHOLD]
    if proposals:
        return _outcome("proposed", None, best.match if best else None, proposals)
    incident = open_incident_for(session, report, actor=actor, read=read)
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
    session: Session,
    report: Report,
    *,
    actor: Actor,
    method: str = "new",
    read: LinkingFacts | None = None,
) -> Incident:
    """A new incident seeded from a report's place, time, type and actors, with the report linked.

    Where the report typed no time, place or type, the facts read from its text
    (``read``: proposed at intake, or as accepted or corrected in triage) fill them in;
    which ones did, and from where, is kept in ``origin_record["read_from_text"]`` and
    in the audit entry. With no type from either, the incident is ACLED's ``other``."""
    facts, sources = _facts_read(report, read)
    given_type = report.event_type or facts.get("event_type")
    place_name = report.place_text or facts.get("place_name", "")
    incident = Incident(
        code=f"INC-{uuid.uuid4().hex[:10].upper()}",
        title=_title_for(given_type, place_name),
        occurred_at=report.occurred_at or facts.get("occurred_at") or report.received_at,
        time_precision=facts.get("time_precision", report.time_precision),
        lat=report.lat if report.lat is not None else facts.get("lat"),
        lon=report.lon if report.lat is not None else facts.get("lon"),
        geo_precision=facts.get("geo_precision", report.geo_precision),
        place_name=place_name,
        event_type=given_type or "other",
        perpetrator=report.claimed_perpetrator or UNKNOWN_ACTOR,
        perpetrator_label=report.claimed_perpetrator_label,
        targets=list(report.claimed_targets),
        casualties=dict(report.casualties),
        origin_record={"read_from_text": {"report": report.id, "facts": sources}}
        if sources
        else {},
    )
    add_logged(
        session,
        incident,
        actor=actor,
        action="incident.opened",
        object_type="incident",
        after=lambda incident: (
            {"code": incident.code, "from_report": report.id}
            | ({"read_from_text": sources} if sources else {})
        ),
    )
    link_report(
        session, report=report, incident_id=incident.id, actor=actor, method=method, match=None
    )
    return incident


def _facts_read(report: Report, read: LinkingFacts | None) -> tuple[dict[str, Any], dict[str, str]]:
    """The facts a new incident takes from ``read`` because the report typed none, and
    the source of each (``occurred_on``/``place``/``event_type`` -> proposed/accepted/...)."""
    if read is None:
        return {}, {}
    facts: dict[str, Any] = {}
    sources: dict[str, str] = {}
    if report.occurred_at is None and read.occurred_at is not None:
        facts.update(occurred_at=read.occurred_at, time_precision=int(TimePrecision.DAY))
        sources["occurred_on"] = read.sources.get("occurred_on", "proposed")
    if report.lat is None and read.lat is not None and read.lon is not None:
        facts.update(lat=read.lat, lon=read.lon)
        if read.geo_precision is not None:
            facts["geo_precision"] = read.geo_precision
    if not report.place_text and read.place_name:
        facts["place_name"] = read.place_name
    if "lat" in facts or "place_name" in facts:
        sources["place"] = read.sources.get("place", "proposed")
    if not report.event_type and read.event_type:
        facts["event_type"] = read.event_type
        sources["event_type"] = read.sources.get("event_type", "proposed")
    return facts, sources


def _title_for(event_type: str | None, place_name: str) -> str:
    what = acled_label(event_type) if event_type else "Reported incident"
    return f"{what} — {place_name}"[:300] if place_name else what


def link_report(
    session: Session,
    *,
    report: Report,
    incident_id: int,
    actor: Actor,
    method: str,
    match: Match | None,
    unlinked: bool = False,
) -> IncidentReportLink:
    """Link a report to an incident, retiring its links to any other incident (a move).

    ``unlinked``: the caller knows the report has no active link (nothing to retire).
    """
    incident = session.get(Incident, incident_id)
    if incident is None:
        raise LinkingError(f"incident {incident_id} does not exist", code="incident_missing")
    if incident.merged_into_id is not None:
        raise LinkingError(
            f"incident {incident.code} was merged into incident {incident.merged_into_id}; link there",
            code="incident_merged_link_there",
            params={"code": incident.code},
        )
    now = utcnow()
    for old in [] if unlinked else active_links(session, report.id):
        old.unlinked_at, old.unlinked_by = now, actor.name
    link = IncidentReportLink(
        incident_id=incident_id,
        report_id=report.id,
        linked_by=actor.name,
        method=method,
        score=match.score if match else None,
        reasons=list(match.reasons) if match else [],
    )
    add_logged(
        session,
        link,
        actor=actor,
        action="incident.report_linked",
        object_type="incident",
        object_id=incident_id,
        after=lambda link: {
            "report": report.id,
            "link": link.id,
            "method": method,
            "score": link.score,
        },
    )
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
