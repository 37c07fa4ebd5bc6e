"""The events of other contexts that the warning context reacts to.

``subscribe`` is called once at start-up (``truceline.startup.wire``); intake
never imports warning, it only publishes ``ReportStored``.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from truceline.db.domain_events import subscribe as subscribe_to
from truceline.incidents.models import Report
from truceline.intake.events import ReportStored
from truceline.warning.services import after_report_stored


def on_report_stored(session: Session, event: ReportStored) -> None:
    """A stored party allegation starts its clock; the incident it joined is checked."""
    report = session.get_one(Report, event.report_id)
    after_report_stored(session, report, actor=event.actor, incident_id=event.incident_id)


def subscribe() -> None:
    """Subscribe the warning context to the events it handles (idempotent)."""
    subscribe_to(ReportStored, on_report_stored)
