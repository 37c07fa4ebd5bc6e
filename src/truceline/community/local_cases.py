"""Local cases: an incident a committee settles (resolved locally) or hands on (escalated).

- **Resolved locally**: the committee records the outcome; the incident's
  verification is closed as ``resolved_locally`` with that outcome as its reason
  (``verification.local.close_as_resolved_locally``; a case is opened first if
  there was none). Possible while the case is only reported or triaged: once a
  joint team verifies it, the national level owns it.
- **Escalated**: the committee states why it cannot settle the incident; the
  incident's verification case is opened, or the escalation is linked to the
  case already running, and every mediator is notified (in-app notice, and the
  mediators' webhook and e-mail subscriptions through the warning outbox).
  Once escalated, an incident cannot be resolved locally any more.

The committee then follows the case's progress (``committee_cases``): its state
and deadlines, never its evidence, views or reports. Each function checks the
committee rule for the committee itself (``community.access``: keepers, or one
of its own members), then the verification workflow for the step, and audits
the decision in the caller's transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from truceline.accounts.policy import Action
from truceline.accounts.roles import Principal
from truceline.audit.log import add_logged
from truceline.community.access import require_committee
from truceline.community.committees import CommitteeError, DecisionKind
from truceline.community.models import Committee, LocalDecision, Meeting
from truceline.incidents.models import Incident, IncidentReportLink, Report
from truceline.verification.domain import TransitionRefused
from truceline.verification.local import (
    Progress,
    close_as_resolved_locally,
    escalate_to_verification,
    progress_of,
)
from truceline.verification.services import find_incident
from truceline.warning.domain import MEDIATOR_AUDIENCE
from truceline.warning.notify import announce

ESCALATION_EVENT = "community.escalated"


def find_local_case(session: Session, ref: str | int) -> Incident:
    """An incident by id or code, or the incident a report (by its code, as the reporter's
    confirmation gives it) is linked to; ``CommitteeError`` on the ``incident`` field otherwise."""
    try:
        return find_incident(session, ref)
    except LookupError:
        pass
    incident = session.scalar(
        select(Incident)
        .join(IncidentReportLink, IncidentReportLink.incident_id == Incident.id)
        .join(Report, Report.id == IncidentReportLink.report_id)
        .where(Report.code == str(ref).strip(), IncidentReportLink.unlinked_at.is_(None))
    )
    if incident is None:
        raise CommitteeError(
            f"incident: no incident or linked report {ref!r} (give the incident's code or id, "
            "or the report code the reporter was sent)",
            code="unknown_incident",
            field="incident",
        )
    return incident


def resolve_locally(
    session: Session,
    committee: Committee,
    incident_id: int,
    *,
    outcome: str,
    principal: Principal,
    meeting: Meeting | None = None,
) -> LocalDecision:
    """Record that the committee settled the incident, and close its verification so."""
    require_committee(session, principal, Action.UPDATE, committee)
    if not outcome.strip():
        raise CommitteeError(
            "outcome: say how the incident was settled", code="missing", field="outcome"
        )
    incident = _incident(session, incident_id)
    if latest_kind(session, incident_id) == DecisionKind.ESCALATED:
        raise CommitteeError(
            f"incident {incident.code} was escalated to the national level; "
            "it can no longer be resolved locally",
            code="already_escalated",
            field="incident",
        )
    try:
        close_as_resolved_locally(
            session, incident, principal=principal, reason=f"{committee.code}: {outcome.strip()}"
        )
    except TransitionRefused as refused:
        raise CommitteeError(
            f"incident {incident.code} is {refused.state.value.replace('_', ' ')}: only a case "
            "that is reported or triaged can be resolved locally; escalate it instead",
            code="not_locally_resolvable",
            field="incident",
        ) from None
    return _decide(session, committee, incident, DecisionKind.RESOLVED_LOCALLY, outcome,
                   principal=principal, meeting=meeting, case={"state": "resolved_locally"})  # fmt: skip


def escalate(
    session: Session,
    committee: Committee,
    incident_id: int,
    *,
    reason: str,
    principal: Principal,
    meeting: Meeting | None = None,
) -> LocalDecision:
    """Hand the incident to verification (open or link its case) and notify the mediators."""
    require_committee(session, principal, Action.UPDATE, committee)
    if not reason.strip():
        raise CommitteeError(
            "reason: an escalation states its reason", code="missing", field="reason"
        )
    incident = _incident(session, incident_id)
    if latest_kind(session, incident_id) == DecisionKind.ESCALATED:
        raise CommitteeError(
            f"incident {incident.code} is already escalated", code="already_escalated",
            field="incident",
        )  # fmt: skip
    try:
        handoff = escalate_to_verification(session, incident, principal=principal)
    except TransitionRefused as refused:
        raise CommitteeError(
            f"incident {incident.code}: its verification is already closed "
            f"({refused.state.value.replace('_', ' ')}); there is nothing to escalate",
            code="verification_closed",
            field="incident",
        ) from None
    case = {"state": handoff.case.state, "opened": handoff.opened}
    decision = _decide(session, committee, incident, DecisionKind.ESCALATED, reason,
                       principal=principal, meeting=meeting, case=case)  # fmt: skip
    _notify_mediators(session, committee, incident, decision, principal, handoff.opened)
    return decision


def _notify_mediators(
    session: Session,
    committee: Committee,
    incident: Incident,
    decision: LocalDecision,
    principal: Principal,
    opened: bool,
) -> None:
    how = "opened its verification case" if opened else "joined its verification case"
    announce(
        session,
        audiences=[MEDIATOR_AUDIENCE],
        event=ESCALATION_EVENT,
        subject=f"Committee {committee.code} escalated incident {incident.code}",
        body=(
            f"The local committee {committee.name} ({committee.code}) could not settle incident "
            f"{incident.code} and {how}. Its reason: {decision.text}"
        ),
        payload={
            "incident": incident.code,
            "committee": committee.code,
            "reason": decision.text,
            "case_opened": opened,
        },  # fmt: skip
        object_ref=("incident", incident.code),
        actor=principal.as_actor(),
    )


def _incident(session: Session, incident_id: int) -> Incident:
    incident = session.get(Incident, incident_id)
    if incident is None:
        raise CommitteeError(
            f"no incident {incident_id}", code="unknown_incident", field="incident"
        )
    return incident


def _decide(
    session: Session,
    committee: Committee,
    incident: Incident,
    kind: DecisionKind,
    text: str,
    *,
    principal: Principal,
    meeting: Meeting | None,
    case: dict[str, object],
) -> LocalDecision:
    if meeting is not None and meeting.committee_id != committee.id:
        raise CommitteeError(
            f"meeting: meeting {meeting.id} is not one of {committee.code}'s", code="not_ours"
        )
    decision = LocalDecision(
        incident_id=incident.id, committee_id=committee.id, kind=kind.value, text=text.strip(),
        meeting_id=meeting.id if meeting else None, decided_by=principal.name,
    )  # fmt: skip
    add_logged(session, decision, actor=principal.as_actor(),
               action=f"community.incident_{kind.value}", object_type="incident",
               object_id=incident.id, after={"committee": committee.code, "kind": kind.value,
                                             "text": decision.text, "verification": case})  # fmt: skip
    return decision


def latest_kind(session: Session, incident_id: int) -> str | None:
    return session.scalars(
        select(LocalDecision.kind)
        .where(LocalDecision.incident_id == incident_id)
        .order_by(LocalDecision.id.desc())
    ).first()


def decisions_for(session: Session, incident_id: int) -> list[LocalDecision]:
    return list(
        session.scalars(
            select(LocalDecision)
            .where(LocalDecision.incident_id == incident_id)
            .order_by(LocalDecision.id)
        )
    )


@dataclass(frozen=True)
class LocalCase:
    """An incident a committee took up, with its latest decision and the case's progress."""

    incident_id: int
    code: str
    decision: LocalDecision | None
    progress: Progress


def committee_cases(
    session: Session, committee: Committee, *, principal: Principal, now: datetime | None = None
) -> list[LocalCase]:
    """The incidents the committee decided on or discussed in its meetings, newest first."""
    require_committee(session, principal, Action.READ, committee)
    decided = session.scalars(
        select(LocalDecision)
        .where(LocalDecision.committee_id == committee.id)
        .order_by(LocalDecision.id)
    ).all()
    latest = {d.incident_id: d for d in decided}
    discussed = session.scalars(
        select(Meeting.incident_ids).where(Meeting.committee_id == committee.id)
    )
    ids = set(latest) | {int(i) for ids in discussed for i in ids or []}
    incidents = session.scalars(select(Incident).where(Incident.id.in_(sorted(ids)))).all()
    cases = [
        LocalCase(i.id, i.code, latest.get(i.id), progress_of(session, i, now=now))
        for i in incidents
    ]
    return sorted(cases, key=lambda c: -c.incident_id)
