"""Incident history: every determination and correction is a new version of the incident.

A determination used to overwrite the incident's perpetrator, attribution,
targets and casualties, the old values surviving only as a hash in the audit
log. Now ``record_version`` keeps them: the first change also records the
facts as they stood (version 1, ``recorded``), then each determination or
correction adds a version with who, when and why. ``correct_incident`` is the
mediator's correction of a determined incident (findings are recomputed).
``incident_history`` lists the versions with what changed from the one before.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from truceline.accounts.policy import Action, Step, require
from truceline.accounts.roles import Principal
from truceline.agreements.services import refresh_findings
from truceline.audit.log import add_logged
from truceline.db.base import utcnow
from truceline.incidents.models import Incident
from truceline.verification.access import require_case_step
from truceline.verification.models import IncidentVersion
from truceline.verification.proposal import incident_facts
from truceline.verification.services import CASE, VerificationError, case_for

FACTS = ("perpetrator", "attribution", "targets", "casualties")


def record_version(
    session: Session,
    incident: Incident,
    *,
    kind: str,
    reason: str,
    principal: Principal,
    before: dict[str, Any],
    now: datetime,
) -> IncidentVersion:
    """Append the incident's facts as a new version (with the earlier facts first, once)."""
    count = (
        session.scalar(
            select(func.count())
            .select_from(IncidentVersion)
            .where(IncidentVersion.incident_id == incident.id)
        )
        or 0
    )
    if count == 0:
        session.add(
            IncidentVersion(
                incident_id=incident.id, version=1, kind="recorded", facts=before,
                reason="", changed_by="", changed_at=incident.created_at,
            )
        )  # fmt: skip
        count = 1
    row = IncidentVersion(
        incident_id=incident.id,
        version=count + 1,
        kind=kind,
        facts=incident_facts(incident),
        reason=reason,
        changed_by=principal.name,
        changed_at=now,
    )
    add_logged(
        session,
        row,
        actor=principal.as_actor(),
        action="incident.version_added",
        object_type="incident_version",
        after=lambda row: {
            "incident_id": incident.id,
            "version": row.version,
            "kind": kind,
            "facts": row.facts,
            "reason": reason,
        },
    )
    return row


def correct_incident(
    session: Session,
    incident_id: int,
    *,
    principal: Principal,
    changes: dict[str, Any],
    reason: str,
) -> IncidentVersion:
    """The mediator's correction of a determined incident's facts, with its reason."""
    from truceline.verification.determination import established_facts

    require(principal, Action.UPDATE, CASE)
    require_case_step(session, principal, Step.CORRECT, case_for(session, incident_id))
    unknown = sorted(set(changes) - set(FACTS))
    if unknown:
        raise VerificationError(
            f"{unknown[0]}: not a fact a correction changes ({', '.join(FACTS)})",
            field=unknown[0],
        )
    if not reason.strip():
        raise VerificationError("reason: say why the facts are corrected", field="reason")
    incident = session.get(Incident, incident_id)
    assert incident is not None
    before = incident_facts(incident)
    checked = established_facts({**before, **changes, "confidence": "medium", "summary": reason})
    for name in FACTS:
        setattr(incident, name, checked[name])
    version = record_version(
        session, incident, kind="correction", reason=checked["summary"], principal=principal,
        before=before, now=utcnow(),
    )  # fmt: skip
    refresh_findings(session, incident_id, actor=principal.as_actor())
    return version


@dataclass(frozen=True)
class VersionLine:
    """One version as the incident page shows it: what changed from the one before."""

    version: int
    kind: str
    changed_by: str
    changed_at: datetime
    reason: str
    changes: list[tuple[str, Any, Any]]


def incident_history(session: Session, incident_id: int) -> list[VersionLine]:
    """The incident's versions, oldest first, each with the facts it changed."""
    rows = session.scalars(
        select(IncidentVersion)
        .where(IncidentVersion.incident_id == incident_id)
        .order_by(IncidentVersion.version)
    ).all()
    lines: list[VersionLine] = []
    previous: dict[str, Any] = {}
    for row in rows:
        changes = [
            (name, previous.get(name), row.facts.get(name))
            for name in FACTS
            if previous and previous.get(name) != row.facts.get(name)
        ]
        lines.append(
            VersionLine(row.version, row.kind, row.changed_by, row.changed_at, row.reason, changes)
        )
        previous = row.facts
    return lines


def history_json(lines: list[VersionLine]) -> list[dict[str, Any]]:
    return [
        {
            "version": line.version,
            "kind": line.kind,
            "changed_by": line.changed_by,
            "changed_at": line.changed_at.isoformat(),
            "reason": line.reason,
            "changes": [{"field": f, "before": b, "after": a} for f, b, a in line.changes],
        }
        for line in lines
    ]
