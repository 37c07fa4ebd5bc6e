"""Working on tasks (start, complete, blocked) on both back ends, audited; the queue follows."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, select

from truceline.accounts.policy import AccessDenied
from truceline.accounts.roles import Principal, Role
from truceline.audit.models import AuditEntry
from truceline.db.engine import transaction
from truceline.verification import queue, services
from truceline.verification.models import VerificationTask
from truceline.verification.services import VerificationError

from .factories import AF_MEMBER, JOINT_TEAM, MEDIATOR, cross_border_fire

OUTSIDER = Principal("another-nominee", Role.TEAM_MEMBER)


def _case_with_team(engine: Engine) -> int:
    """A case with its joint team; returns the id of its first-assessment task."""
    with transaction(engine) as session:
        incident = cross_border_fire(session)
        case = services.open_case(session, incident, principal=MEDIATOR)
        services.assign_team(session, case, JOINT_TEAM, principal=MEDIATOR)
        return session.scalars(select(VerificationTask.id)).one()


def test_a_team_member_starts_blocks_and_completes_a_task(engine: Engine) -> None:
    task_id = _case_with_team(engine)
    with transaction(engine) as session:
        queue.start_task(session, task_id, principal=AF_MEMBER)
        queue.block_task(
            session, task_id, principal=AF_MEMBER, reason="access_denied", note="Checkpoint closed"
        )
        (item,) = queue.work_queue(session, principal=MEDIATOR)
        assert (item.assignee, item.blocked_note) == ("af-nominee", "Checkpoint closed")
        queue.complete_task(session, task_id, principal=AF_MEMBER, outcome="Craters face east.")
        assert queue.work_queue(session, principal=MEDIATOR) == []
        actions = session.scalars(
            select(AuditEntry.action).where(AuditEntry.action.like("verification.task_%"))
        ).all()
    assert actions[-3:] == [
        "verification.task_started",
        "verification.task_blocked",
        "verification.task_completed",
    ]


def test_a_task_needs_an_outcome_a_known_reason_and_is_not_reopened(engine: Engine) -> None:
    task_id = _case_with_team(engine)
    with transaction(engine) as session:
        with pytest.raises(VerificationError, match="outcome: say what the task found"):
            queue.complete_task(session, task_id, principal=MEDIATOR, outcome="  ")
        with pytest.raises(VerificationError, match="reason: 'tired' is not one of"):
            queue.block_task(session, task_id, principal=MEDIATOR, reason="tired", note="")
        queue.complete_task(session, task_id, principal=MEDIATOR, outcome="Done.")
        with pytest.raises(VerificationError, match="already completed"):
            queue.complete_task(session, task_id, principal=MEDIATOR, outcome="Again.")


def test_a_team_member_off_the_cases_team_may_not_work_its_tasks(engine: Engine) -> None:
    task_id = _case_with_team(engine)
    with transaction(engine) as session:
        with pytest.raises(AccessDenied, match="not on this case's joint team"):
            queue.complete_task(session, task_id, principal=OUTSIDER, outcome="Seen it.")
        task = session.get(VerificationTask, task_id)
        assert task is not None and task.done_at is None
