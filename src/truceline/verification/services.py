"""Use cases of the verification workflow: open a case, move it, compose its team.

Every function takes a ``Session`` and a ``Principal``; it asks the access
policy first (``accounts.policy.require``), then the pure state machine
(``verification.domain.check_transition``), and audits every change with
``audit.log.append_entry`` in the caller's transaction.

Concurrency: a transition locks the case row (``SELECT ... FOR UPDATE`` on
PostgreSQL) and then moves it with a compare-and-set on ``version``, so of two
mediators determining the same case at once exactly one succeeds and the
other gets ``TransitionRefused`` (on SQLite too, where there is no row lock).
Replies, views, obstruction and the determination live in ``record.py``; tasks
and the overdue queue in ``queue.py``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from truceline.accounts.policy import (
    Action,
    Resource,
    ResourceType,
    Step,
    require,
    require_step,
)
from truceline.accounts.roles import Principal, Role
from truceline.agreements.models import Agreement, AgreementVersion
from truceline.audit.log import add_logged, append_entry
from truceline.db.base import utcnow
from truceline.db.bounds import parse_record_id
from truceline.errors import CodedError
from truceline.events.provenance import PARTIES, ReportKind
from truceline.incidents.models import Incident, IncidentReportLink, Report
from truceline.verification.access import TRANSITION_STEPS, require_case_step
from truceline.verification.domain import (
    State,
    TeamMember,
    Transition,
    TransitionRefused,
    VerificationContext,
    check_transition,
    team_composition_problems,
)
from truceline.verification.models import (
    CaseTransition,
    MemberView,
    PartyReply,
    TeamMembership,
    VerificationCase,
    VerificationTask,
)
from truceline.verification.tasks import TaskRefused, check_party, deadlines_for, due_time

CASE = Resource(ResourceType.VERIFICATION_CASE)


class VerificationError(CodedError, ValueError):
    """A request that is understood but cannot be carried out (unknown incident, bad team...).

    ``field`` names the input refused (``None`` for the case as a whole); the message
    starts with it, as ``field: reason``, for the API and the CLI.
    """

    default_code = "invalid_input"


def require_read(principal: Principal) -> None:
    """Refuse (``AccessDenied``) a caller who may not follow verifications."""
    require(principal, Action.READ, CASE)


def find_incident(session: Session, ref: str | int) -> Incident:
    """An incident by id or code; ``LookupError`` naming the reference otherwise."""
    incident = None
    number = ref if isinstance(ref, int) else parse_record_id(ref)
    if number is not None:
        incident = session.get(Incident, number)
    if incident is None:
        incident = session.scalar(select(Incident).where(Incident.code == str(ref)))
    if incident is None:
        raise LookupError(f"no incident {ref!r} (give its id or code)")
    return incident


def case_of_incident(session: Session, incident: Incident) -> VerificationCase | None:
    """The incident's case, or None when no verification is open."""
    return session.scalar(
        select(VerificationCase).where(VerificationCase.incident_id == incident.id)
    )


def case_for(session: Session, incident_id: int, *, lock: bool = False) -> VerificationCase:
    stmt = select(VerificationCase).where(VerificationCase.incident_id == incident_id)
    if lock:
        stmt = stmt.with_for_update()
    case = session.scalar(stmt)
    if case is None:
        raise LookupError(f"incident {incident_id} has no verification case; open one first")
    return case


def open_case(
    session: Session,
    incident: Incident,
    *,
    principal: Principal,
    agreement_id: str | None = None,
    alleging_party: str | None = None,
    accused_party: str | None = None,
    now: datetime | None = None,
) -> VerificationCase:
    """Open the incident's case (idempotent) with its first-assessment task.

    Unless given, the alleging party, the accused party and the agreement come
    from the incident's first party allegation (``allegation_of``); the case
    remembers which report that was. A mediator corrects them with
    ``parties.correct_parties``.
    """
    require(principal, Action.CREATE, CASE)
    existing = session.scalar(
        select(VerificationCase).where(VerificationCase.incident_id == incident.id)
    )
    if existing is not None:
        return existing
    require_step(principal, Step.OPEN, CASE)
    return create_case(
        session, incident, principal=principal, agreement_id=agreement_id,
        alleging_party=alleging_party, accused_party=accused_party, now=now,
    )  # fmt: skip


def create_case(
    session: Session,
    incident: Incident,
    *,
    principal: Principal,
    agreement_id: str | None = None,
    alleging_party: str | None = None,
    accused_party: str | None = None,
    now: datetime | None = None,
) -> VerificationCase:
    """The case of an incident that has none, opened as part of a step already authorised
    (``open_case``, or a local committee's escalation or resolution)."""
    now = now or utcnow()
    _take_up(session, incident, principal)
    allegation = allegation_of(session, incident)
    agreement_id = agreement_id or (allegation.agreement_id if allegation else None)
    if agreement_id is not None and session.get(Agreement, agreement_id) is None:
        raise VerificationError(
            f"agreement_id: unknown agreement {agreement_id!r}", field="agreement_id"
        )
    alleging = check_party(
        alleging_party or (allegation.source_party if allegation else None), field="alleging_party"
    )
    case = VerificationCase(
        incident_id=incident.id,
        state=State(incident.verification_state).value,
        agreement_id=agreement_id,
        alleging_party=alleging,
        accused_party=check_party(
            accused_party or accused_by(allegation, alleging) or _party_perpetrator(incident),
            field="accused",
        ),
        allegation_report_id=allegation.id if allegation and not alleging_party else None,
        opened_by=principal.name,
        opened_at=now,
    )
    add_logged(
        session,
        case,
        actor=principal.as_actor(),
        action="verification.opened",
        object_type="incident",
        object_id=incident.id,
        after=case_snapshot,
    )
    insert_task(session, case, "first_assessment", principal=principal, now=now)
    return case


def _take_up(session: Session, incident: Incident, principal: Principal) -> None:
    """Imported history enters the workflow as a fresh allegation when a case is opened on it."""
    if incident.verification_state != State.HISTORICAL:
        return
    incident.verification_state = State.REPORTED.value
    append_entry(
        session,
        actor=principal.as_actor(),
        action="verification.taken_up",
        object_type="incident",
        object_id=incident.id,
        before={"verification_state": State.HISTORICAL.value},
        after={"verification_state": State.REPORTED.value},
    )


def allegation_of(session: Session, incident: Incident) -> Report | None:
    """The first party allegation now linked to the incident (never a denial or a media item)."""
    return session.scalars(
        select(Report)
        .join(IncidentReportLink, IncidentReportLink.report_id == Report.id)
        .where(
            IncidentReportLink.incident_id == incident.id,
            IncidentReportLink.unlinked_at.is_(None),
            Report.kind == ReportKind.ALLEGATION.value,
            Report.source_party.in_(PARTIES),
        )
        .order_by(Report.received_at, Report.id)
        .limit(1)
    ).first()


def accused_by(allegation: Report | None, alleging: str | None) -> str | None:
    """Whom the allegation accuses: the party it names, else the other party (there are two)."""
    if allegation is None or alleging is None:
        return None
    named = allegation.claimed_perpetrator
    if named in PARTIES and named != alleging:
        return named
    return next(p for p in PARTIES if p != alleging)


def _party_perpetrator(incident: Incident) -> str | None:
    return incident.perpetrator if incident.perpetrator in ("AF", "PK") else None


def case_snapshot(case: VerificationCase) -> dict[str, Any]:
    return {
        "incident_id": case.incident_id,
        "state": case.state,
        "version": case.version,
        "agreement_id": case.agreement_id,
        "alleging_party": case.alleging_party,
        "accused_party": case.accused_party,
        "allegation_report_id": case.allegation_report_id,
        "reply_due": case.reply_due.isoformat() if case.reply_due else None,
    }


def deadline_hours(session: Session, case: VerificationCase) -> dict[str, int]:
    """The task deadlines of the case's agreement (its current version), else the defaults."""
    if case.agreement_id is None:
        return deadlines_for(None)
    agreement = session.get(Agreement, case.agreement_id)
    if agreement is None:
        return deadlines_for(None)
    version = session.scalar(
        select(AgreementVersion).where(
            AgreementVersion.agreement_id == agreement.id,
            AgreementVersion.version == agreement.current_version,
        )
    )
    configured = (version.document or {}).get("verification_deadlines_hours") if version else None
    return deadlines_for(configured)


def add_task(
    session: Session,
    case: VerificationCase,
    kind: str,
    *,
    principal: Principal,
    due_at: datetime | None = None,
    description: str = "",
    assignee: str | None = None,
    requested_from: str | None = None,
    now: datetime | None = None,
) -> VerificationTask:
    """Add a task due at ``due_at`` (never in the past) or the agreement's default for its kind."""
    require(principal, Action.UPDATE, CASE)
    require_case_step(session, principal, Step.ADD_TASK, case)
    return insert_task(
        session, case, kind, principal=principal, due_at=due_at, description=description,
        assignee=assignee, requested_from=requested_from, now=now,
    )  # fmt: skip


def insert_task(
    session: Session,
    case: VerificationCase,
    kind: str,
    *,
    principal: Principal,
    due_at: datetime | None = None,
    description: str = "",
    assignee: str | None = None,
    requested_from: str | None = None,
    now: datetime | None = None,
) -> VerificationTask:
    """A task that comes with another step (a case's first assessment, a reply's deadline),
    already authorised as part of that step."""
    now = now or utcnow()
    task = VerificationTask(
        case_id=case.id,
        kind=kind,
        description=description,
        assignee=assignee,
        requested_from=check_party(requested_from, field="requested_from"),
        due_at=due_time(
            kind, now=now, deadlines_hours=deadline_hours(session, case), due_at=due_at
        ),
        created_by=principal.name,
        created_at=now,
    )
    add_logged(
        session,
        task,
        actor=principal.as_actor(),
        action="verification.task_added",
        object_type="verification_task",
        after=task_snapshot,
    )
    return task


def task_snapshot(task: VerificationTask) -> dict[str, Any]:
    return {
        "case_id": task.case_id,
        "kind": task.kind,
        "due_at": task.due_at.isoformat(),
        "assignee": task.assignee,
        "requested_from": task.requested_from,
        "blocked_reason": task.blocked_reason,
        "done_at": task.done_at.isoformat() if task.done_at else None,
        "outcome": task.outcome,
    }


def active_team(session: Session, case_id: int) -> list[TeamMembership]:
    return list(
        session.scalars(
            select(TeamMembership)
            .where(TeamMembership.case_id == case_id, TeamMembership.released_at.is_(None))
            .order_by(TeamMembership.id)
        )
    )


@dataclass(frozen=True)
class MemberSpec:
    name: str
    nominated_by: str | None
    role: Role | None = None


def assign_team(
    session: Session,
    case: VerificationCase,
    members: Sequence[MemberSpec],
    *,
    principal: Principal,
    roles_by_name: dict[str, Role] | None = None,
) -> list[TeamMembership]:
    """Compose the joint team (replacing any earlier one, which is kept as history)."""
    require(principal, Action.MANAGE, CASE)
    require_case_step(session, principal, Step.ASSIGN_TEAM, case)
    team = [_team_member(m, roles_by_name or {}) for m in members]
    problems = team_composition_problems(team)
    if problems:
        raise VerificationError(
            "team: " + "; ".join(problems), code="team_incomplete", field="team"
        )
    before = [_member_json(m) for m in active_team(session, case.id)]
    now = utcnow()
    for old in active_team(session, case.id):
        old.released_at = now
    rows = [
        TeamMembership(
            case_id=case.id,
            name=m.name,
            role=m.role.value,
            nominated_by=m.nominated_by,
            assigned_by=principal.name,
            assigned_at=now,
        )
        for m in team
    ]
    session.add_all(rows)
    session.flush()
    append_entry(
        session,
        actor=principal.as_actor(),
        action="verification.team_assigned",
        object_type="incident",
        object_id=case.incident_id,
        before=before or None,
        after=[_member_json(r) for r in rows],
    )
    return rows


def _team_member(spec: MemberSpec, roles_by_name: dict[str, Role]) -> TeamMember:
    """A member's role: as given, else their account's, else by who nominated them."""
    role = spec.role or roles_by_name.get(spec.name)
    if role is None:
        role = Role.TEAM_MEMBER if spec.nominated_by else Role.FIELD_MONITOR
    if spec.nominated_by is None and role not in (Role.MEDIATOR, Role.FIELD_MONITOR):
        raise VerificationError(
            f"member {spec.name}: a neutral member must be a mediator or field monitor, "
            f"not a {role.value}",
            code="neutral_member_role",
            field="member",
            params={"member": spec.name},
        )
    return TeamMember(spec.name, role, check_party(spec.nominated_by, field="member"))


def _member_json(member: TeamMembership) -> dict[str, Any]:
    return {"name": member.name, "role": member.role, "nominated_by": member.nominated_by}


def verification_context(session: Session, case: VerificationCase) -> VerificationContext:
    """What the state machine's guards need, read from the case's records."""
    team = [TeamMember(m.name, Role(m.role), m.nominated_by) for m in active_team(session, case.id)]
    replied = session.scalar(
        select(PartyReply.id).where(
            PartyReply.case_id == case.id, PartyReply.party == case.accused_party
        )
    )
    views = session.scalars(select(MemberView.id).where(MemberView.case_id == case.id)).all()
    return VerificationContext(
        team=team,
        reply_due=case.reply_due,
        reply_received=replied is not None,
        member_views=len(views),
        accused_party=case.accused_party,
    )


def transition(
    session: Session,
    incident_id: int,
    name: str,
    *,
    principal: Principal,
    note: str = "",
    now: datetime | None = None,
    draft: dict[str, Any] | None = None,
) -> CaseTransition:
    """Take transition ``name``, or raise ``TransitionRefused`` with the state and the reason.

    Proposing findings records the proposal (``proposal.record_proposal``): the
    ``draft`` facts, else the incident's as they stand, and their draft findings."""
    require(principal, Action.UPDATE, CASE)
    now = now or utcnow()
    case = case_for(session, incident_id, lock=True)
    state = State(case.state)
    if name in TRANSITION_STEPS:  # an unknown name is the state machine's to refuse
        require_case_step(session, principal, Step(name), case)
    step = check_transition(
        state,
        name,
        role=principal.role,
        context=verification_context(session, case),
        now=now,
    )
    row = apply_transition(session, case, step, principal=principal, note=note, now=now)
    if step.name == "propose_findings":
        from truceline.verification.proposal import record_proposal

        record_proposal(session, case, principal=principal, facts=draft, now=now)
    return row


def apply_transition(
    session: Session,
    case: VerificationCase,
    step: Transition,
    *,
    principal: Principal,
    note: str,
    now: datetime,
) -> CaseTransition:
    """Move the case with a compare-and-set on its version; a lost race is refused."""
    before = case_snapshot(case)
    moved = session.execute(
        update(VerificationCase)
        .where(VerificationCase.id == case.id, VerificationCase.version == case.version)
        .values(state=step.target.value, version=case.version + 1)
        .execution_options(synchronize_session=False)
    )
    if moved.rowcount != 1:  # type: ignore[attr-defined]
        raise TransitionRefused(
            step.source,
            step.name,
            "another user changed this case at the same time; reload it",
            code="concurrent_change",
        )
    session.refresh(case)
    incident = session.get(Incident, case.incident_id)
    assert incident is not None
    incident.verification_state = step.target.value
    row = CaseTransition(
        case_id=case.id,
        name=step.name,
        from_state=step.source.value,
        to_state=step.target.value,
        actor=principal.name,
        actor_role=principal.role.value,
        actor_party=principal.party,
        note=note,
        at=now,
    )
    add_logged(
        session,
        row,
        actor=principal.as_actor(),
        action=f"verification.{step.name}",
        object_type="incident",
        object_id=case.incident_id,
        before=before,
        after=case_snapshot(case),
    )
    return row


__all__ = ["TaskRefused", "TransitionRefused", "VerificationError"]
