"""A local committee's hand-off to verification: escalation opens or links the incident's case,
local resolution closes it as ``resolved_locally`` with the committee's outcome as its reason.

The community context calls these after checking that the principal may work the
committee's records (the committee rule: its keepers, or one of its own members);
here the workflow table says whether the principal may speak for a committee in
the case's present state (``Step.ESCALATE``, ``Step.RESOLVE_LOCALLY``). An
incident with no case yet gets one (``services.create_case``), so that its
verification state always says where it stands. Every change is audited by the
services it goes through (``verification.opened``, ``verification.resolve_locally``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from truceline.accounts.policy import Resource, ResourceType, Step, require_step
from truceline.accounts.roles import Principal
from truceline.db.base import utcnow
from truceline.incidents.models import Incident
from truceline.verification.access import require_case_step
from truceline.verification.domain import State, check_transition
from truceline.verification.models import CaseTransition, VerificationCase, VerificationTask
from truceline.verification.services import (
    apply_transition,
    case_of_incident,
    create_case,
    verification_context,
)

NO_CASE = Resource(ResourceType.VERIFICATION_CASE)


@dataclass(frozen=True)
class Handoff:
    """The case an escalation reached, and whether it opened it (False: it was already open)."""

    case: VerificationCase
    opened: bool


def escalate_to_verification(
    session: Session, incident: Incident, *, principal: Principal, now: datetime | None = None
) -> Handoff:
    """Open the incident's case, or link the escalation to the case already running."""
    case = case_of_incident(session, incident)
    if case is None:
        require_step(principal, Step.ESCALATE, NO_CASE)
        return Handoff(create_case(session, incident, principal=principal, now=now), True)
    require_case_step(session, principal, Step.ESCALATE, case)
    return Handoff(case, False)


def close_as_resolved_locally(
    session: Session,
    incident: Incident,
    *,
    principal: Principal,
    reason: str,
    now: datetime | None = None,
) -> VerificationCase:
    """Close the incident's verification (opening its case first if none) as resolved locally."""
    now = now or utcnow()
    case = case_of_incident(session, incident)
    if case is None:
        require_step(principal, Step.RESOLVE_LOCALLY, NO_CASE)
        case = create_case(session, incident, principal=principal, now=now)
    else:
        require_case_step(session, principal, Step.RESOLVE_LOCALLY, case)
    step = check_transition(
        State(case.state),
        "resolve_locally",
        role=principal.role,
        context=verification_context(session, case),
        now=now,
    )
    apply_transition(session, case, step, principal=principal, note=reason, now=now)
    return case


@dataclass(frozen=True)
class Progress:
    """What a committee may follow of a case it escalated: its state, when it moved last,
    and the deadlines of its open tasks (kind and due time; never their content)."""

    state: str
    opened_at: datetime
    last_moved_at: datetime | None
    open_deadlines: list[tuple[str, datetime]]
    overdue: int
    reply_due: datetime | None


def progress_of(session: Session, incident: Incident, *, now: datetime | None = None) -> Progress:
    """The case's progress (state and deadlines only), or the incident's state if no case."""
    now = now or utcnow()
    case = case_of_incident(session, incident)
    if case is None:
        return Progress(incident.verification_state, incident.created_at, None, [], 0, None)
    last = session.scalar(
        select(CaseTransition.at)
        .where(CaseTransition.case_id == case.id)
        .order_by(CaseTransition.id.desc())
        .limit(1)
    )
    tasks = session.execute(
        select(VerificationTask.kind, VerificationTask.due_at)
        .where(VerificationTask.case_id == case.id, VerificationTask.done_at.is_(None))
        .order_by(VerificationTask.due_at)
    ).all()
    deadlines = [(kind, due) for kind, due in tasks]
    return Progress(
        state=case.state,
        opened_at=case.opened_at,
        last_moved_at=last,
        open_deadlines=deadlines,
        overdue=sum(1 for _, due in deadlines if due < now),
        reply_due=case.reply_due,
    )
