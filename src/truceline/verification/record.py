"""What a verification adds to the record: the right of reply, member views,
obstruction of monitors, and the mediator's determination.

All of it is append-only. A member's new view supersedes their earlier one,
which stays readable; dissent is therefore never overwritten. Obstruction is
recorded as an incident of its own (event type ``obstruction_of_monitors``)
linked to the case it obstructed, with its own verification case. The
determination carries the established facts onto the incident and runs the
agreements adjudication (``agreements.services.refresh_findings``), keeping
the findings it produced with the determination.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from truceline.accounts.policy import Action, Resource, ResourceType, Step, require
from truceline.accounts.roles import Principal
from truceline.audit.log import add_logged, append_entry
from truceline.db.base import utcnow
from truceline.incidents.limits import MAX_REPORT_TEXT_CHARS
from truceline.incidents.models import Incident
from truceline.verification.access import require_case_step
from truceline.verification.domain import TransitionRefused
from truceline.verification.models import (
    MemberView,
    Obstruction,
    PartyReply,
    VerificationCase,
    VerificationTask,
)
from truceline.verification.services import (
    CASE,
    VerificationError,
    active_team,
    case_snapshot,
    insert_task,
    open_case,
    task_snapshot,
)
from truceline.verification.tasks import BlockedReason, ViewPosition, check_party

MAX_TEXT_CHARS = MAX_REPORT_TEXT_CHARS


def text_field(value: str, *, field: str) -> str:
    text = value.strip()
    if not text:
        raise VerificationError(f"{field}: must not be empty", field=field)
    if len(text) > MAX_TEXT_CHARS:
        raise VerificationError(
            f"{field}: {len(text)} characters is over the limit of {MAX_TEXT_CHARS}",
            field=field,
        )
    return text


def open_reply_window(
    session: Session,
    case: VerificationCase,
    *,
    principal: Principal,
    party: str | None = None,
    due_at: datetime | None = None,
    now: datetime | None = None,
) -> VerificationTask:
    """Open the accused party's right of reply to the proposed findings (mediators, once findings
    are proposed), with a ``right_of_reply`` task due at its end."""
    require(principal, Action.UPDATE, CASE)
    require_case_step(session, principal, Step.OPEN_REPLY_WINDOW, case)
    now = now or utcnow()
    accused = check_party(party or case.accused_party, field="party")
    if accused is None:
        raise VerificationError("party: the case names no accused party; give one", field="party")
    task = insert_task(
        session,
        case,
        "right_of_reply",
        principal=principal,
        due_at=due_at,
        requested_from=accused,
        description=f"reply of {accused}",
        now=now,
    )
    before = case_snapshot(case)
    case.accused_party = accused
    case.reply_opened_at = now
    case.reply_due = task.due_at
    append_entry(
        session,
        actor=principal.as_actor(),
        action="verification.reply_window_opened",
        object_type="incident",
        object_id=case.incident_id,
        before=before,
        after=case_snapshot(case),
    )
    return task


def file_reply(
    session: Session, case: VerificationCase, text: str, *, principal: Principal
) -> PartyReply:
    """The accused party's reply, by its liaison; a late reply is kept and marked late."""
    if case.accused_party is None or case.reply_opened_at is None:
        raise VerificationError(
            "no right of reply has been opened on this case", code="reply_not_opened"
        )
    require(principal, Action.CREATE, Resource(ResourceType.PARTY_REPLY, case.accused_party))
    require_case_step(session, principal, Step.REPLY, case)
    now = utcnow()
    reply = PartyReply(
        case_id=case.id,
        party=case.accused_party,
        text=text_field(text, field="text"),
        submitted_by=principal.name,
        submitted_at=now,
        late=bool(case.reply_due and now > case.reply_due),
    )
    session.add(reply)
    session.flush()
    _close_tasks(session, case, "right_of_reply", principal=principal, outcome="reply filed")
    append_entry(
        session,
        actor=principal.as_actor(),
        action="verification.reply_filed",
        object_type="verification_reply",
        object_id=reply.id,
        after={"case_id": case.id, "party": reply.party, "text": reply.text, "late": reply.late},
    )
    return reply


def _close_tasks(
    session: Session, case: VerificationCase, kind: str, *, principal: Principal, outcome: str
) -> None:
    open_tasks = session.scalars(
        select(VerificationTask).where(
            VerificationTask.case_id == case.id,
            VerificationTask.kind == kind,
            VerificationTask.done_at.is_(None),
        )
    )
    for task in open_tasks:
        task.done_at = utcnow()
        task.done_by = principal.name
        task.outcome = outcome


def record_view(
    session: Session,
    case: VerificationCase,
    *,
    principal: Principal,
    position: str,
    text: str,
) -> MemberView:
    """A team member's view, appended; their earlier view is kept and marked superseded."""
    require(principal, Action.CREATE, Resource(ResourceType.MEMBER_VIEW, owner_user=principal.name))
    require_case_step(session, principal, Step.RECORD_VIEW, case)
    member = next(m for m in active_team(session, case.id) if m.name == principal.name)
    try:
        stance = ViewPosition(position)
    except ValueError:
        choices = ", ".join(p.value for p in ViewPosition)
        raise VerificationError(
            f"position: {position!r} is not one of {choices}", field="position"
        ) from None
    previous = latest_views(session, case.id).get(principal.name)
    view = MemberView(
        case_id=case.id,
        member=principal.name,
        nominated_by=member.nominated_by,
        position=stance.value,
        text=text_field(text, field="text"),
        supersedes_id=previous.id if previous else None,
    )
    add_logged(
        session,
        view,
        actor=principal.as_actor(),
        action="verification.view_recorded",
        object_type="verification_view",
        after=lambda view: {
            "case_id": case.id,
            "member": view.member,
            "position": view.position,
            "text": view.text,
            "supersedes_id": view.supersedes_id,
        },
    )
    return view


def latest_views(session: Session, case_id: int) -> dict[str, MemberView]:
    """Each member's current view (the one no later view supersedes)."""
    views = session.scalars(
        select(MemberView).where(MemberView.case_id == case_id).order_by(MemberView.id)
    ).all()
    superseded = {v.supersedes_id for v in views if v.supersedes_id is not None}
    return {v.member: v for v in views if v.id not in superseded}


def record_obstruction(
    session: Session,
    case: VerificationCase,
    *,
    principal: Principal,
    description: str,
    obstructing_party: str | None,
    occurred_at: datetime | None = None,
    task_id: int | None = None,
) -> Obstruction:
    """Record denial of access as an incident of its own, linked to the obstructed case."""
    require(principal, Action.UPDATE, CASE)
    require(principal, Action.CREATE, Resource(ResourceType.INCIDENT))
    require_case_step(session, principal, Step.RECORD_OBSTRUCTION, case)
    original = session.get(Incident, case.incident_id)
    assert original is not None
    party = check_party(obstructing_party, field="obstructing_party")
    task = _blocked_task(session, case, task_id, principal)
    incident = Incident(
        code=f"{original.code}-OBS-{_obstruction_count(session, case) + 1}",
        title=f"Monitors obstructed while verifying {original.code}",
        occurred_at=occurred_at or utcnow(),
        lat=original.lat,
        lon=original.lon,
        geo_precision=original.geo_precision,
        place_name=original.place_name,
        country=original.country,
        admin1=original.admin1,
        event_type="obstruction_of_monitors",
        perpetrator=party or "unknown",
        notes=text_field(description, field="description"),
    )
    session.add(incident)
    session.flush()
    obstruction = Obstruction(
        case_id=case.id,
        incident_id=incident.id,
        task_id=task.id if task else None,
        obstructing_party=party,
        description=incident.notes,
        recorded_by=principal.name,
    )
    add_logged(
        session,
        obstruction,
        actor=principal.as_actor(),
        action="verification.obstruction_recorded",
        object_type="incident",
        object_id=incident.id,
        after=lambda obstruction: {
            "obstructed_incident_id": original.id,
            "party": party,
            "task_id": obstruction.task_id,
            "description": obstruction.description,
        },
    )
    open_case(
        session, incident, principal=principal, agreement_id=case.agreement_id, accused_party=party
    )
    return obstruction


def _obstruction_count(session: Session, case: VerificationCase) -> int:
    return len(session.scalars(select(Obstruction.id).where(Obstruction.case_id == case.id)).all())


def _blocked_task(
    session: Session, case: VerificationCase, task_id: int | None, principal: Principal
) -> VerificationTask | None:
    """Mark the obstructed task as refused access.

    The task keeps its own note (what the team wrote when it got stuck, e.g. "Checkpoint
    at Barmal turned the team back"); the obstruction is linked to it by its ``task_id``
    and carries its own description."""
    if task_id is None:
        return None
    task = session.get(VerificationTask, task_id)
    if task is None or task.case_id != case.id:
        raise VerificationError(f"task_id: no task {task_id} on this case", field="task_id")
    if task.blocked_reason != BlockedReason.ACCESS_DENIED.value:
        task.blocked_reason = BlockedReason.ACCESS_DENIED.value
        append_entry(
            session,
            actor=principal.as_actor(),
            action="verification.task_blocked",
            object_type="verification_task",
            object_id=task.id,
            after=task_snapshot(task),
        )
    return task


__all__ = ["TransitionRefused"]
