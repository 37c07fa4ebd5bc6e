"""Reading a report's content from the database, as of its cut-off.

``build_document`` returns one JSON-able document; the HTML and PDF renderings
and the ``--format json`` output are all made from it, so the three never
disagree. Public documents hold only determined and released incidents, with
locations coarsened by ``geo.coarsening.coarsen_for_public``.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from truceline import __version__
from truceline.accounts.scoping import DETERMINED_STATES
from truceline.action_requests.report_section import public_counts, restricted_details
from truceline.agreements.models import StoredFinding
from truceline.agreements.services import current_documents
from truceline.config import Settings
from truceline.db.base import utcnow
from truceline.events.casualties import Casualties
from truceline.geo.coarsening import coarsen_for_public
from truceline.incidents.models import Incident, IncidentReportLink, Report
from truceline.reports.domain import (
    Period,
    ReportKind,
    area_of,
    compare_areas,
    summary_sentence,
)
from truceline.warning.domain import DEFAULT_COOLING_OFF_HOURS
from truceline.warning.escalation import escalation_report
from truceline.warning.models import CoolingOffClock, CoolingOffFlag
from truceline.warning.risk_models import RiskForecast

OBSTRUCTION = "obstruction_of_monitors"
ESCALATION_WINDOW = timedelta(days=90)
LIST_LIMIT = 100
ATTRIBUTION = [
    "Boundary and provinces: Made with Natural Earth (public domain). The "
    "Afghanistan–Pakistan boundary is shown as drawn by Natural Earth; it is the de facto "
    "line and its depiction implies no position on its status.",
    "Historical events: UCDP Georeferenced Event Dataset (GED), CC BY 4.0 — Sundberg, Ralph "
    "and Erik Melander (2013), 'Introducing the UCDP Georeferenced Event Dataset', Journal "
    "of Peace Research 50(4); Davies, Pettersson & Öberg (2023), Journal of Peace Research 60(4).",
    "Place names: GeoNames (geonames.org), CC BY 4.0.",
]


def build_document(
    session: Session,
    kind: ReportKind,
    period: Period,
    *,
    settings: Settings,
    now: datetime | None = None,
) -> dict[str, Any]:
    """Everything the report says, as of ``period.cutoff`` (places on ``settings``' grid)."""
    ceasefire = ceasefire_start(session)
    current = released_incidents(session, period.start, period.end, period.cutoff)
    previous = released_incidents(session, *_span(period.previous), period.cutoff)
    cumulative = released_incidents(session, ceasefire or period.start, period.end, period.cutoff)
    findings = findings_by_incident(session, [i.id for i in cumulative], period.cutoff)
    document: dict[str, Any] = {
        "kind": kind.value,
        "title": _title(kind, period),
        "period": period.as_json(),
        "generated_at": (now or utcnow()).isoformat(),
        "software": f"truceline {__version__}",
        "ceasefire_began": ceasefire.astimezone(UTC).isoformat() if ceasefire else None,
        "summary": summary_sentence(period, len(current), len(previous), len(cumulative)),
        "counts": {
            "total": len(current),
            "previous": len(previous),
            "cumulative": len(cumulative),
        },
        "incidents": [_public_incident(i, findings.get(i.id, []), settings) for i in current],
        "areas": compare_areas(_areas(current), _areas(previous)),
        "cumulative": _cumulative(cumulative, findings),
        "access_restrictions": [
            _public_incident(i, findings.get(i.id, []), settings)
            for i in current
            if i.event_type == OBSTRUCTION
        ],
        "attribution": ATTRIBUTION,
        "requests": public_counts(session, period.start, period.end, period.cutoff),
    }
    if kind is ReportKind.RESTRICTED:
        document["restricted"] = restricted_sections(session, period, ceasefire)
        document["restricted"]["requests"] = restricted_details(
            session, period.start, period.end, period.cutoff
        )
    return document


def _title(kind: ReportKind, period: Period) -> str:
    last_day = period.end - timedelta(seconds=1)
    label = "Public report" if kind is ReportKind.PUBLIC else "Restricted report"
    return f"{label} of the ceasefire mechanism, {period.start:%d %b} – {last_day:%d %b %Y}"


def _span(period: Period) -> tuple[datetime, datetime]:
    return period.start, period.end


def ceasefire_start(session: Session) -> datetime | None:
    """When the first truce or ceasefire among the stored agreements came into force."""
    starts = [
        d.in_force_from for d in current_documents(session) if d.kind in ("truce", "ceasefire")
    ]
    return min(starts, default=None)


def released_incidents(
    session: Session, start: datetime, end: datetime, cutoff: datetime
) -> list[Incident]:
    query = select(Incident).where(
        Incident.merged_into_id.is_(None),
        Incident.released.is_(True),
        Incident.verification_state.in_(sorted(DETERMINED_STATES)),
        Incident.occurred_at >= start,
        Incident.occurred_at < end,
        Incident.created_at <= cutoff,
    )
    return list(session.scalars(query.order_by(Incident.occurred_at, Incident.id)))


def findings_by_incident(
    session: Session, incident_ids: list[int], cutoff: datetime
) -> dict[int, list[StoredFinding]]:
    """The findings in force at the cut-off (later revisions are ignored)."""
    found: dict[int, list[StoredFinding]] = {}
    for start in range(0, len(incident_ids), 500):
        chunk = incident_ids[start : start + 500]
        rows = session.scalars(
            select(StoredFinding).where(
                StoredFinding.incident_id.in_(chunk),
                StoredFinding.computed_at <= cutoff,
                or_(StoredFinding.superseded_at.is_(None), StoredFinding.superseded_at > cutoff),
            )
        )
        for row in rows:
            found.setdefault(row.incident_id, []).append(row)
    return found


def _areas(incidents: list[Incident]) -> list[str]:
    return [area_of(i.country, i.admin1) for i in incidents]


def _public_incident(
    incident: Incident, findings: list[StoredFinding], settings: Settings
) -> dict[str, Any]:
    location = None
    if incident.lat is not None and incident.lon is not None:
        lat, lon = coarsen_for_public(
            incident.lat, incident.lon, population=None, settings=settings
        )
        location = {"lat": lat, "lon": lon}
    return {
        "code": incident.code,
        "date": incident.occurred_at.date().isoformat(),
        "area": area_of(incident.country, incident.admin1),
        "location": location,
        "event_type": incident.event_type,
        "perpetrator": incident.perpetrator_label or incident.perpetrator,
        "perpetrator_code": incident.perpetrator,
        "title": incident.title,
        "state": incident.verification_state,
        "fatalities_best": Casualties.from_json(incident.casualties).total.best,
        "findings": [
            {
                "finding": f.finding,
                "violating_party": f.violating_party,
                "agreement": f.agreement_id,
                "clauses": f.clauses,
                "explanation": f.explanation,
                "explanation_parts": f.explanation_parts,
            }
            for f in findings
        ],
    }


def _cumulative(
    incidents: list[Incident], findings: dict[int, list[StoredFinding]]
) -> dict[str, Any]:
    by_finding: Counter[str] = Counter()
    violations: Counter[str] = Counter()
    for incident in incidents:
        for finding in findings.get(incident.id, []):
            by_finding[finding.finding] += 1
            if finding.finding == "violation" and finding.violating_party:
                violations[finding.violating_party] += 1
    return {
        "incidents": len(incidents),
        "fatalities_best": sum(Casualties.from_json(i.casualties).total.best for i in incidents),
        "findings": dict(sorted(by_finding.items())),
        "violations_by_party": dict(sorted(violations.items())),
        "access_restrictions": sum(1 for i in incidents if i.event_type == OBSTRUCTION),
    }


# --- restricted sections ---------------------------------------------------------------


def restricted_sections(
    session: Session, period: Period, ceasefire: datetime | None
) -> dict[str, Any]:
    pending, overdue = pending_verifications(session, period.cutoff, ceasefire)
    until = min(period.end, period.cutoff)
    return {
        "allegations": allegations(session, period),
        "pending_verifications": pending,
        "overdue": overdue,
        "overdue_after_hours": DEFAULT_COOLING_OFF_HOURS,
        "cooling_off": cooling_off(session, period),
        "escalation": escalation_report(session, since=until - ESCALATION_WINDOW, until=until),
        "risk": district_risk(session, until),
    }


#: Districts listed by name in the report's risk table.
RISK_LISTED = 12


def district_risk(session: Session, until: datetime) -> dict[str, Any] | None:
    """The latest stored district forecast made by the cut-off, with its backtest score."""
    forecast = session.scalar(
        select(RiskForecast)
        .where(RiskForecast.computed_at <= until)
        .order_by(RiskForecast.computed_at.desc(), RiskForecast.id.desc())
        .limit(1)
    )
    if forecast is None:
        return None
    return {
        "forecast_date": forecast.forecast_date.date().isoformat(),
        "horizon_days": forecast.horizon_days,
        "districts": forecast.districts,
        "highest": [row for row in forecast.districts if row.get("p_event") is not None][
            :RISK_LISTED
        ],
        "backtest": forecast.backtest,
    }


def allegations(session: Session, period: Period) -> list[dict[str, Any]]:
    rows = session.execute(
        select(Report, Incident.code, Incident.verification_state)
        .outerjoin(
            IncidentReportLink,
            and_(
                IncidentReportLink.report_id == Report.id, IncidentReportLink.unlinked_at.is_(None)
            ),
        )
        .outerjoin(Incident, Incident.id == IncidentReportLink.incident_id)
        .where(
            Report.source_type == "party_liaison",
            Report.received_at >= period.start,
            Report.received_at < period.end,
            Report.created_at <= period.cutoff,
        )
        .order_by(Report.received_at, Report.id)
    )
    return [
        {
            "report": report.code,
            "party": report.source_party,
            "received_at": report.received_at.isoformat(),
            "event_type": report.event_type,
            "place": report.place_text,
            "claimed_perpetrator": report.claimed_perpetrator,
            "incident": incident_code,
            "state": state,
        }
        for report, incident_code, state in rows
    ]


def pending_verifications(
    session: Session, cutoff: datetime, ceasefire: datetime | None
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Open incidents since the ceasefire, and those open longer than the first-assessment window."""
    query = select(Incident).where(
        Incident.merged_into_id.is_(None),
        Incident.verification_state.not_in(sorted(DETERMINED_STATES)),
        Incident.created_at <= cutoff,
        Incident.occurred_at <= cutoff,
    )
    if ceasefire is not None:
        query = query.where(Incident.occurred_at >= ceasefire)
    incidents = list(session.scalars(query.order_by(Incident.created_at)))
    deadline = timedelta(hours=DEFAULT_COOLING_OFF_HOURS)
    overdue = [i for i in incidents if cutoff - i.created_at > deadline]
    counts = Counter(i.verification_state for i in incidents)
    summary = {"total": len(incidents), "by_state": dict(sorted(counts.items()))}
    return summary, [_open_incident(i, cutoff) for i in overdue[:LIST_LIMIT]]


def _open_incident(incident: Incident, cutoff: datetime) -> dict[str, Any]:
    age = cutoff - incident.created_at
    return {
        "code": incident.code,
        "state": incident.verification_state,
        "area": area_of(incident.country, incident.admin1),
        "opened_at": incident.created_at.isoformat(),
        "open_days": round(age.total_seconds() / 86400, 1),
    }


def cooling_off(session: Session, period: Period) -> list[dict[str, Any]]:
    clocks = session.scalars(
        select(CoolingOffClock)
        .where(CoolingOffClock.started_at < period.end, CoolingOffClock.ends_at > period.start)
        .order_by(CoolingOffClock.started_at)
    )
    result = []
    for clock in clocks:
        flags = session.scalars(
            select(CoolingOffFlag).where(
                CoolingOffFlag.clock_id == clock.id, CoolingOffFlag.flagged_at <= period.cutoff
            )
        )
        result.append(
            {
                "report": clock.report_code,
                "alleging_party": clock.alleging_party,
                "started_at": clock.started_at.isoformat(),
                "ends_at": clock.ends_at.isoformat(),
                "flags": [
                    {"incident": f.incident_code, "explanation": f.explanation} for f in flags
                ],
            }
        )
    return result
