"""The verification section of the incident page, assembled for one principal (read-only).

Everything is read from the verification context's tables; nothing here
changes anything. Who sees the section is the accounts policy's
``verification_case`` rule (mechanism staff, both parties' liaisons, admin).
Overdue tasks carry their reason from ``verification.tasks.overdue_reason``,
the same as the operators' queue. Member views are listed with every earlier
view each one superseded, so dissent stays on the record. Evidence is listed
only as far as the policy's evidence rules allow (an original stays hidden
from those who may read only redactions); the section says how many items
were left out. Obstructions of the monitors are listed with the code of the
incident each became.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from truceline.accounts.policy import Action, ResourceType, authorize
from truceline.accounts.roles import Principal
from truceline.db.base import utcnow
from truceline.http.access import may
from truceline.http.i18n import N_
from truceline.incidents.models import Incident
from truceline.verification.models import (
    CaseTransition,
    EvidenceItem,
    MemberView,
    Obstruction,
    PartyReply,
    TeamMembership,
    VerificationCase,
    VerificationTask,
)
from truceline.verification.pages.history import (
    VERSION_KIND_LABELS,
    ProposalView,
    VersionView,
    history_view,
    proposal_view,
)
from truceline.verification.record import latest_views
from truceline.verification.serialisation import evidence_resource
from truceline.verification.tasks import TaskStatus, overdue_reason

#: Labels for the page (English source strings, translated in the template).
TASK_KIND_LABELS: dict[str, str] = {
    "first_assessment": N_("First assessment"),
    "site_visit": N_("Site visit"),
    "interview": N_("Interview"),
    "evidence_request": N_("Evidence request"),
    "right_of_reply": N_("Right of reply"),
}
OVERDUE_REASON_LABELS: dict[str, str] = {
    "access_denied": N_("monitors were denied access"),
    "no_team": N_("no joint team is assigned"),
    "waiting_on_party": N_("waiting on a party"),
    "not_started": N_("not started"),
    "in_progress": N_("in progress, late"),
}
VIEW_POSITION_LABELS: dict[str, str] = {
    "concurs": N_("concurs"),
    "dissents": N_("dissents"),
    "abstains": N_("abstains"),
}
MEMBER_ROLE_LABELS: dict[str, str] = {
    "team_member": N_("Team member"),
    "field_monitor": N_("Field monitor"),
    "mediator": N_("Mediator"),
}
LABELS = {
    "task_kind_labels": TASK_KIND_LABELS,
    "overdue_reason_labels": OVERDUE_REASON_LABELS,
    "view_position_labels": VIEW_POSITION_LABELS,
    "member_role_labels": MEMBER_ROLE_LABELS,
    "version_kind_labels": VERSION_KIND_LABELS,
}


@dataclass(frozen=True)
class TaskLine:
    """One task with its deadline; ``overdue_reason`` is set only for an open, late task."""

    task: VerificationTask
    overdue_reason: str | None


@dataclass(frozen=True)
class ViewLine:
    """A member's current view and the views of theirs it superseded (newest first)."""

    current: MemberView
    earlier: list[MemberView]

    @property
    def dissents(self) -> bool:
        return self.current.position == "dissents"


@dataclass(frozen=True)
class VerificationSection:
    case: VerificationCase
    tasks: list[TaskLine]
    team: list[TeamMembership]
    views: list[ViewLine]
    replies: list[PartyReply]
    evidence: list[EvidenceItem]
    evidence_hidden: int
    reply_window_late: bool
    obstructions: list[tuple[Obstruction, str]] = field(default_factory=list)
    proposal: ProposalView | None = None
    history: list[VersionView] = field(default_factory=list)
    #: The step that closed the case as resolved locally (its note: the committee and outcome).
    local_resolution: CaseTransition | None = None

    @property
    def overdue_count(self) -> int:
        return sum(1 for t in self.tasks if t.overdue_reason)


def _rows(session: Session, model: Any, case_id: int) -> list[Any]:
    return list(session.scalars(select(model).where(model.case_id == case_id).order_by(model.id)))


def _task_lines(tasks: list[VerificationTask], has_team: bool, now: datetime) -> list[TaskLine]:
    lines = []
    for task in tasks:
        reason = None
        if task.done_at is None and now > task.due_at:
            status = TaskStatus(
                kind=task.kind,
                due_at=task.due_at,
                blocked_reason=task.blocked_reason,
                requested_from=task.requested_from,
                has_team=has_team,
                started=task.started_at is not None,
            )
            reason = overdue_reason(status).value
        lines.append(TaskLine(task, reason))
    return lines


def _view_lines(session: Session, case_id: int) -> list[ViewLine]:
    views = {v.id: v for v in _rows(session, MemberView, case_id)}
    lines = []
    for _member, current in sorted(latest_views(session, case_id).items()):
        earlier: list[MemberView] = []
        previous = current.supersedes_id
        while previous is not None and previous in views:
            earlier.append(views[previous])
            previous = views[previous].supersedes_id
        lines.append(ViewLine(current, earlier))
    return lines


def incident_verification(
    session: Session, incident: Incident, principal: Principal, *, now: datetime | None = None
) -> VerificationSection | None:
    """The section for ``principal``, or None (no case, or the policy keeps it from them)."""
    if not may(principal, Action.READ, ResourceType.VERIFICATION_CASE):
        return None
    case = session.scalar(
        select(VerificationCase).where(VerificationCase.incident_id == incident.id)
    )
    if case is None:
        return None
    now = now or utcnow()
    team = [m for m in _rows(session, TeamMembership, case.id) if m.released_at is None]
    evidence = _rows(session, EvidenceItem, case.id)
    names = frozenset(m.name for m in team)
    shown = [
        e
        for e in evidence
        if authorize(principal, Action.READ, evidence_resource(e, team=names)).allowed
    ]
    replies = _rows(session, PartyReply, case.id)
    return VerificationSection(
        case=case,
        tasks=_task_lines(_rows(session, VerificationTask, case.id), bool(team), now),
        team=team,
        views=_view_lines(session, case.id),
        replies=replies,
        evidence=shown,
        evidence_hidden=len(evidence) - len(shown),
        reply_window_late=bool(case.reply_due and not replies and now > case.reply_due),
        obstructions=_obstructions(session, case.id),
        proposal=proposal_view(session, case),
        history=history_view(session, incident.id),
        local_resolution=_local_resolution(session, case),
    )


def _local_resolution(session: Session, case: VerificationCase) -> CaseTransition | None:
    if case.state != "resolved_locally":
        return None
    return session.scalars(
        select(CaseTransition)
        .where(CaseTransition.case_id == case.id, CaseTransition.name == "resolve_locally")
        .order_by(CaseTransition.id.desc())
    ).first()


def _obstructions(session: Session, case_id: int) -> list[tuple[Obstruction, str]]:
    """Each obstruction of the case with the code of the incident it became."""
    stmt = (
        select(Obstruction, Incident.code)
        .join(Incident, Incident.id == Obstruction.incident_id)
        .where(Obstruction.case_id == case_id)
        .order_by(Obstruction.id)
    )
    return [(row, code) for row, code in session.execute(stmt)]
