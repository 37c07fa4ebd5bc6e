"""The operators' queue: open verification work, what is due and what is overdue, and why.

``work_queue`` lists every open task of every case that is not finished,
soonest due first; each overdue item carries one reason (``tasks.overdue_reason``):
monitors denied access, no joint team, waiting on a party, or simply late.
Tasks are completed, started and marked blocked here too, each audited; a
team member works only on the tasks of a case whose joint team they are on.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from truceline.accounts.policy import Action, Step, require
from truceline.accounts.roles import Principal
from truceline.audit.log import append_entry
from truceline.db.base import utcnow
from truceline.incidents.models import Incident
from truceline.verification.access import require_case_step
from truceline.verification.domain import TERMINAL_STATES
from truceline.verification.models import (
    Obstruction,
    TeamMembership,
    VerificationCase,
    VerificationTask,
)
from truceline.verification.services import CASE, VerificationError, task_snapshot
from truceline.verification.tasks import BlockedReason, TaskStatus, overdue_reason


@dataclass(frozen=True)
class QueueItem:
    task_id: int
    incident_id: int
    incident_code: str
    state: str
    kind: str
    description: str
    assignee: str | None
    requested_from: str | None
    due_at: str
    overdue: bool
    hours_overdue: float
    reason: str | None
    blocked_note: str
    #: why the team is stuck (``BlockedReason``), overdue or not; the note is the team's own
    blocked_reason: str | None = None
    #: codes of the obstruction incidents recorded against this task
    obstructions: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def work_queue(
    session: Session,
    *,
    principal: Principal,
    now: datetime | None = None,
    overdue_only: bool = False,
) -> list[QueueItem]:
    """Open tasks of unfinished cases, soonest due first, with the reason for any delay."""
    require(principal, Action.READ, CASE)
    now = now or utcnow()
    finished = sorted(state.value for state in TERMINAL_STATES)
    has_team = (
        select(TeamMembership.id)
        .where(TeamMembership.case_id == VerificationCase.id, TeamMembership.released_at.is_(None))
        .exists()
    )
    task = VerificationTask
    stmt = (
        select(
            task.id,
            task.kind,
            task.description,
            task.assignee,
            task.requested_from,
            task.due_at,
            task.blocked_reason,
            task.blocked_note,
            task.started_at,
            Incident.id,
            Incident.code,
            VerificationCase.state,
            has_team,
        )  # fmt: skip
        .join(VerificationCase, task.case_id == VerificationCase.id)
        .join(Incident, VerificationCase.incident_id == Incident.id)
        .where(task.done_at.is_(None), VerificationCase.state.not_in(finished))
        .order_by(task.due_at, task.id)
    )
    if overdue_only:
        stmt = stmt.where(task.due_at < now)
    items = [_item(row, now) for row in session.execute(stmt)]
    return _with_obstructions(session, items)


def _with_obstructions(session: Session, items: list[QueueItem]) -> list[QueueItem]:
    """Each item with the codes of the obstructions recorded against its task."""
    codes: dict[int, list[str]] = {}
    ids = [i.task_id for i in items if i.blocked_reason]
    for start in range(0, len(ids), 500):
        stmt = (
            select(Obstruction.task_id, Incident.code)
            .join(Incident, Incident.id == Obstruction.incident_id)
            .where(Obstruction.task_id.in_(ids[start : start + 500]))
            .order_by(Obstruction.id)
        )
        for task_id, code in session.execute(stmt):
            if task_id is not None:
                codes.setdefault(task_id, []).append(code)
    return [replace(i, obstructions=tuple(codes.get(i.task_id, ()))) for i in items]


def _item(row: Any, now: datetime) -> QueueItem:
    (task_id, kind, description, assignee, requested_from, due_at, blocked_reason, blocked_note,
     started_at, incident_id, incident_code, state, has_team) = row  # fmt: skip
    overdue = now > due_at
    status = TaskStatus(
        kind=kind,
        due_at=due_at,
        blocked_reason=blocked_reason,
        requested_from=requested_from,
        has_team=bool(has_team),
        started=started_at is not None,
    )
    return QueueItem(
        task_id=task_id,
        incident_id=incident_id,
        incident_code=incident_code,
        state=state,
        kind=kind,
        description=description,
        assignee=assignee,
        requested_from=requested_from,
        due_at=due_at.isoformat(),
        overdue=overdue,
        hours_overdue=round(max(0.0, (now - due_at).total_seconds() / 3600), 1),
        reason=overdue_reason(status).value if overdue else None,
        blocked_note=blocked_note,
        blocked_reason=blocked_reason,
    )


def open_tasks(session: Session, case_id: int) -> list[VerificationTask]:
    """The case's tasks not yet done, oldest first."""
    return list(
        session.scalars(
            select(VerificationTask)
            .where(VerificationTask.case_id == case_id, VerificationTask.done_at.is_(None))
            .order_by(VerificationTask.id)
        )
    )


def _task(session: Session, task_id: int, principal: Principal) -> VerificationTask:
    task = session.get(VerificationTask, task_id)
    if task is None:
        raise LookupError(f"no verification task {task_id}")
    if task.done_at is not None:
        raise VerificationError(
            f"task {task_id} was already completed; tasks are not reopened",
            code="task_already_completed",
        )
    case = session.get(VerificationCase, task.case_id)
    assert case is not None
    require_case_step(session, principal, Step.WORK_TASK, case)
    return task


def _audited(session: Session, task: VerificationTask, principal: Principal, action: str) -> None:
    append_entry(
        session,
        actor=principal.as_actor(),
        action=f"verification.task_{action}",
        object_type="verification_task",
        object_id=task.id,
        after=task_snapshot(task),
    )


def complete_task(
    session: Session, task_id: int, *, principal: Principal, outcome: str
) -> VerificationTask:
    require(principal, Action.UPDATE, CASE)
    task = _task(session, task_id, principal)
    if not outcome.strip():
        raise VerificationError("outcome: say what the task found", field="outcome")
    task.done_at = utcnow()
    task.done_by = principal.name
    task.outcome = outcome.strip()
    _audited(session, task, principal, "completed")
    return task


def start_task(session: Session, task_id: int, *, principal: Principal) -> VerificationTask:
    require(principal, Action.UPDATE, CASE)
    task = _task(session, task_id, principal)
    task.started_at = task.started_at or utcnow()
    task.assignee = task.assignee or principal.name
    _audited(session, task, principal, "started")
    return task


def block_task(
    session: Session, task_id: int, *, principal: Principal, reason: str, note: str
) -> VerificationTask:
    """Say why a task cannot go on (access denied, waiting on a party)."""
    require(principal, Action.UPDATE, CASE)
    task = _task(session, task_id, principal)
    try:
        task.blocked_reason = BlockedReason(reason).value
    except ValueError:
        choices = ", ".join(r.value for r in BlockedReason)
        raise VerificationError(
            f"reason: {reason!r} is not one of {choices}", field="reason"
        ) from None
    task.blocked_note = note.strip()
    _audited(session, task, principal, "blocked")
    return task
