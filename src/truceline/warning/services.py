"""Cooling-off use cases: start a clock on a party allegation, flag breaches, list clocks.

``after_report_stored`` handles intake's ``ReportStored`` event (subscribed at
start-up by ``warning.subscriptions``), and anything that stores or updates an
incident may call ``on_incident_stored``; ``scan_breaches``
re-checks every clock against stored incidents (idempotent), so incidents that
arrive by import are flagged too. Notices go out through ``notify``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from truceline.agreements.schema import AgreementDocument
from truceline.agreements.services import current_documents
from truceline.audit.actor import SYSTEM, Actor
from truceline.audit.log import add_logged, append_entry
from truceline.db.base import utcnow
from truceline.incidents.models import Incident, Report
from truceline.warning import notify
from truceline.warning.domain import (
    ALLEGATION_EVENT,
    BREACH_EVENT,
    DEFAULT_COOLING_OFF_HOURS,
    MEDIATOR_AUDIENCE,
    IncidentSketch,
    WarningError,
    Window,
    audiences_for_allegation,
    breach_of,
    cooling_off_window,
    is_party_allegation,
    other_party,
)
from truceline.warning.models import CoolingOffClock, CoolingOffFlag


def after_report_stored(
    session: Session, report: Report, *, actor: Actor, incident_id: int | None = None
) -> CoolingOffClock | None:
    """What follows a report being stored (and linked to ``incident_id``).

    A party allegation starts its clock and notifies; an incident the report
    opened or joined is checked against every running clock.
    """
    clock = on_report_stored(session, report, actor)
    incident = session.get(Incident, incident_id) if incident_id is not None else None
    if incident is not None:
        on_incident_stored(session, incident)
    return clock


def on_report_stored(
    session: Session, report: Report, actor: Actor, *, agreement_id: str | None = None
) -> CoolingOffClock | None:
    """A party allegation starts a clock and notifies; other reports (a party's denial
    included) do nothing."""
    if report.kind != "allegation" or not is_party_allegation(
        report.source_type, report.source_party
    ):
        return None
    agreement = agreement_id or report.agreement_id
    return start_cooling_off(session, report, actor, agreement_id=agreement)


def start_cooling_off(
    session: Session, report: Report, actor: Actor, *, agreement_id: str | None = None
) -> CoolingOffClock:
    """Open the verification window of ``report`` and tell the other party and the mediators.

    Idempotent: a report has at most one clock.
    """
    existing = session.scalar(select(CoolingOffClock).where(CoolingOffClock.report_id == report.id))
    if existing is not None:
        return existing
    if report.source_party is None:
        raise WarningError(f"report {report.code} names no party, so it is not an allegation")
    agreement = agreement_in_force(session, report.received_at, agreement_id)
    hours = cooling_off_hours(agreement)
    window = cooling_off_window(report.received_at, hours)
    clock = CoolingOffClock(
        report_id=report.id,
        report_code=report.code,
        agreement_id=agreement.id if agreement else None,
        alleging_party=report.source_party,
        accused_party=other_party(report.source_party),
        hours=hours,
        started_at=window.starts,
        ends_at=window.ends,
    )
    add_logged(
        session,
        clock,
        actor=actor,
        action="warning.clock.start",
        object_type="cooling_off_clock",
        after=clock_json,
    )
    _announce_allegation(session, clock, report, actor)
    scan_breaches(session, clocks=[clock], actor=SYSTEM)
    return clock


def _announce_allegation(
    session: Session, clock: CoolingOffClock, report: Report, actor: Actor
) -> None:
    subject = (
        f"{clock.alleging_party} allegation {report.code}: cooling-off until "
        f"{clock.ends_at:%Y-%m-%d %H:%M} UTC"
    )
    body = (
        f"{clock.alleging_party} filed allegation {report.code} "
        f"({report.event_type or 'event type not stated'}, {report.place_text or 'place not stated'}"
        f", claimed perpetrator {report.claimed_perpetrator or 'not stated'}). "
        f"The verification window runs {clock.hours} h, until {clock.ends_at:%Y-%m-%d %H:%M} UTC; "
        "both parties have undertaken not to respond while it is verified."
    )
    payload = {
        "event": ALLEGATION_EVENT,
        "clock": clock_json(clock),
        "report": _report_json(report),
    }
    notify.announce(
        session,
        audiences=audiences_for_allegation(clock.alleging_party),
        event=ALLEGATION_EVENT,
        subject=subject,
        body=body,
        payload=payload,
        object_ref=("report", report.code),
        actor=actor,
    )


def agreement_in_force(
    session: Session, at: datetime, agreement_id: str | None
) -> AgreementDocument | None:
    """The named agreement, or else the latest one in force at ``at``."""
    documents = current_documents(session)
    if agreement_id is not None:
        for document in documents:
            if document.id == agreement_id:
                return document
        raise WarningError(f"unknown agreement {agreement_id!r}")
    started = [d for d in documents if d.in_force_from <= at and d.termination is None]
    return max(started, key=lambda d: d.in_force_from, default=None)


def cooling_off_hours(agreement: AgreementDocument | None) -> int:
    if agreement is None or agreement.cooling_off_hours is None:
        return DEFAULT_COOLING_OFF_HOURS
    return agreement.cooling_off_hours


def on_incident_stored(session: Session, incident: Incident) -> list[CoolingOffFlag]:
    """Flag ``incident`` on every allegation whose window it falls in."""
    clocks = session.scalars(
        select(CoolingOffClock).where(
            and_(
                CoolingOffClock.started_at < incident.occurred_at,
                CoolingOffClock.ends_at >= incident.occurred_at,
            )
        )
    ).all()
    return [flag for clock in clocks for flag in _flag_incidents(session, clock, [incident])]


def scan_breaches(
    session: Session, *, clocks: list[CoolingOffClock] | None = None, actor: Actor = SYSTEM
) -> list[CoolingOffFlag]:
    """Check clocks (all by default) against stored incidents; returns the new flags."""
    targets = clocks if clocks is not None else list(session.scalars(select(CoolingOffClock)))
    flags: list[CoolingOffFlag] = []
    for clock in targets:
        candidates = session.scalars(
            select(Incident).where(
                Incident.occurred_at > clock.started_at,
                Incident.occurred_at <= clock.ends_at,
                Incident.merged_into_id.is_(None),
            )
        ).all()
        flags.extend(_flag_incidents(session, clock, list(candidates), actor=actor))
    return flags


def _flag_incidents(
    session: Session, clock: CoolingOffClock, incidents: list[Incident], actor: Actor = SYSTEM
) -> list[CoolingOffFlag]:
    window = Window(clock.started_at, clock.ends_at)
    already = set(
        session.scalars(
            select(CoolingOffFlag.incident_id).where(CoolingOffFlag.clock_id == clock.id)
        )
    )
    flags = []
    for incident in incidents:
        if incident.id in already:
            continue
        explanation = breach_of(clock.alleging_party, window, clock.report_code, _sketch(incident))
        if explanation is not None:
            flags.append(_raise_flag(session, clock, incident, explanation, actor))
    return flags


def _raise_flag(
    session: Session, clock: CoolingOffClock, incident: Incident, explanation: str, actor: Actor
) -> CoolingOffFlag:
    flag = CoolingOffFlag(
        clock_id=clock.id,
        incident_id=incident.id,
        incident_code=incident.code,
        explanation=explanation,
    )
    session.add(flag)
    session.flush()
    after = {"clock": clock.id, "incident": incident.code, "explanation": explanation}
    append_entry(
        session,
        actor=actor,
        action="warning.flag.raise",
        object_type="cooling_off_flag",
        object_id=flag.id,
        after=after,
    )
    notify.announce(
        session,
        audiences=(clock.accused_party, MEDIATOR_AUDIENCE),
        event=BREACH_EVENT,
        subject=f"Cooling-off breach flagged on {clock.report_code}: incident {incident.code}",
        body=explanation,
        payload={"event": BREACH_EVENT, "clock": clock_json(clock), "flag": after},
        object_ref=("report", clock.report_code),
        actor=actor,
    )
    return flag


def _sketch(incident: Incident) -> IncidentSketch:
    return IncidentSketch(
        code=incident.code,
        occurred_at=incident.occurred_at,
        perpetrator=incident.perpetrator,
        attribution=tuple(incident.attribution or ()),
        title=incident.title,
    )


def list_clocks(
    session: Session, *, now: datetime | None = None, running_only: bool = True
) -> list[dict[str, Any]]:
    """Clocks (running ones by default), each with its flags and time remaining."""
    now = now or utcnow()
    query = select(CoolingOffClock).order_by(CoolingOffClock.ends_at)
    if running_only:
        query = query.where(CoolingOffClock.ends_at > now)
    clocks = session.scalars(query).all()
    return [clock_json(clock, session=session, now=now) for clock in clocks]


def clock_json(
    clock: CoolingOffClock, *, session: Session | None = None, now: datetime | None = None
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": clock.id,
        "report": clock.report_code,
        "agreement": clock.agreement_id,
        "alleging_party": clock.alleging_party,
        "accused_party": clock.accused_party,
        "hours": clock.hours,
        "started_at": clock.started_at.isoformat(),
        "ends_at": clock.ends_at.isoformat(),
    }
    if now is not None:
        remaining = Window(clock.started_at, clock.ends_at).remaining(now)
        data["running"] = clock.ends_at > now
        data["remaining_hours"] = round(remaining.total_seconds() / 3600, 1)
    if session is not None:
        data["flags"] = [flag_json(flag) for flag in flags_of(session, clock.id)]
    return data


def flags_of(session: Session, clock_id: int) -> list[CoolingOffFlag]:
    return list(
        session.scalars(
            select(CoolingOffFlag)
            .where(CoolingOffFlag.clock_id == clock_id)
            .order_by(CoolingOffFlag.id)
        )
    )


def flag_json(flag: CoolingOffFlag) -> dict[str, Any]:
    return {
        "incident": flag.incident_code,
        "explanation": flag.explanation,
        "flagged_at": flag.flagged_at.isoformat(),
    }


def _report_json(report: Report) -> dict[str, Any]:
    return {
        "code": report.code,
        "source_party": report.source_party,
        "received_at": report.received_at.isoformat(),
        "occurred_at": report.occurred_at.isoformat() if report.occurred_at else None,
        "event_type": report.event_type,
        "place": report.place_text,
        "claimed_perpetrator": report.claimed_perpetrator,
    }
