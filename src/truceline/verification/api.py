"""HTTP API of the verification workflow, under ``/api/verification``.

Each route names what it does in its path and declares in its signature what
the access policy must grant (``Authorized(action, resource type)``: a caller
who could never do it is refused before anything is read). The case itself is
then checked by the services with its facts (state, team, accused party:
``policy.require`` and the workflow's step table; 401/403 carry the reason),
the same checks the CLI and the pages get. A refused transition is 409 with
the state, the attempted transition and the reason. Input errors are 422 naming the field.
Evidence routes live in ``evidence_api.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, HTTPException, Query
from sqlalchemy.orm import Session

from truceline.accounts.access import Access, Authorized
from truceline.accounts.policy import Action, ResourceType
from truceline.accounts.roles import Principal, Role
from truceline.accounts.services import AccountError, require_user
from truceline.db.bounds import RecordId
from truceline.http.deps import CurrentPrincipal, SessionDep
from truceline.verification import determination, history, parties, queue, record, services
from truceline.verification.access import step_answers
from truceline.verification.api_errors import REFUSALS, refusals
from truceline.verification.models import VerificationCase
from truceline.verification.schemas import (
    ActionOut,
    CaseOut,
    CorrectionIn,
    DeterminationIn,
    ObstructionIn,
    OpenCaseIn,
    PartiesIn,
    QueueItemOut,
    ReplyIn,
    ReplyWindowIn,
    TaskBlockedIn,
    TaskCompleteIn,
    TaskIn,
    TeamIn,
    TransitionIn,
    ViewIn,
)
from truceline.verification.serialisation import case_record
from truceline.verification.services import MemberSpec

router = APIRouter(prefix="/api/verification", tags=["verification"])

CASE = ResourceType.VERIFICATION_CASE
ReadsCases = Annotated[Access, Authorized(Action.READ, CASE)]
OpensCases = Annotated[Access, Authorized(Action.CREATE, CASE)]
WorksCases = Annotated[Access, Authorized(Action.UPDATE, CASE)]
ManagesCases = Annotated[Access, Authorized(Action.MANAGE, CASE)]
DraftsFindings = Annotated[Access, Authorized(Action.CREATE, ResourceType.FINDING)]
RepliesForParty = Annotated[Access, Authorized(Action.CREATE, ResourceType.PARTY_REPLY)]
RecordsViews = Annotated[Access, Authorized(Action.CREATE, ResourceType.MEMBER_VIEW)]
OpensIncidents = Annotated[Access, Authorized(Action.CREATE, ResourceType.INCIDENT)]

T = TypeVar("T")


def _case(session: Session, incident_ref: str) -> VerificationCase:
    incident = services.find_incident(session, incident_ref)
    return services.case_for(session, incident.id)


def _answer(
    session: Session,
    principal: Principal,
    incident_ref: str,
    work: Callable[[VerificationCase], T],
) -> Any:
    """Do ``work`` on the incident's case and answer with the case's record."""
    with refusals():
        case = _case(session, incident_ref)
        work(case)
        session.flush()
        return case_record(session, case, principal=principal)


@router.get("/queue", response_model=list[QueueItemOut])
def read_queue(
    session: SessionDep,
    access: ReadsCases,
    overdue: Annotated[bool, Query(description="Only overdue tasks")] = False,
    now: Annotated[datetime | None, Query(description="Evaluate as of this instant")] = None,
) -> list[dict[str, Any]]:
    """Open verification tasks, soonest due first; overdue ones say why."""
    items = queue.work_queue(session, principal=access.principal, overdue_only=overdue, now=now)
    return [item.to_json() for item in items]


@router.post("/{incident_ref}", response_model=CaseOut, responses=REFUSALS)
def open_case(incident_ref: str, body: OpenCaseIn, session: SessionDep, access: OpensCases) -> Any:
    """Open the verification of an incident (idempotent), with its first-assessment task."""
    with refusals():
        incident = services.find_incident(session, incident_ref)
        case = services.open_case(
            session, incident, principal=access.principal, **body.model_dump()
        )
        return case_record(session, case, principal=access.principal)


@router.get("/{incident_ref}", response_model=CaseOut, responses=REFUSALS)
def read_case(
    incident_ref: str,
    session: SessionDep,
    principal: CurrentPrincipal,
    access: Annotated[Access, Authorized(Action.READ, ResourceType.VERIFICATION_CASE)],
) -> Any:
    """The case's whole record: history, team, tasks, replies, views with dissent, findings."""
    access.require(services.CASE)
    with refusals():
        return case_record(session, _case(session, incident_ref), principal=principal)


@router.get("/{incident_ref}/actions", response_model=list[ActionOut], responses=REFUSALS)
def read_actions(
    incident_ref: str,
    session: SessionDep,
    principal: CurrentPrincipal,
    access: Annotated[Access, Authorized(Action.READ, ResourceType.VERIFICATION_CASE)],
) -> Any:
    """Every step of the workflow with the policy's answer for the caller now, and its reason
    (the same answers the incident page and ``truceline verification actions`` give)."""
    access.require(services.CASE)
    with refusals():
        incident = services.find_incident(session, incident_ref)
        return step_answers(session, principal, services.case_of_incident(session, incident))


@router.post("/{incident_ref}/transitions", response_model=CaseOut, responses=REFUSALS)
def take_transition(
    incident_ref: str, body: TransitionIn, session: SessionDep, access: WorksCases
) -> Any:
    """Move the case: triage, start_verification, propose_findings, reopen, refute, close."""
    if body.name == "determine":
        raise HTTPException(422, detail="name: determine through POST .../determination")
    return _answer(
        session,
        access.principal,
        incident_ref,
        lambda case: services.transition(
            session, case.incident_id, body.name, principal=access.principal, note=body.note
        ),
    )


@router.post("/{incident_ref}/proposal", response_model=CaseOut, responses=REFUSALS)
def propose_findings(
    incident_ref: str, body: DeterminationIn, session: SessionDep, access: WorksCases
) -> Any:
    """Propose findings: the draft facts, adjudicated into draft findings both parties see
    when the right of reply opens (``transitions`` with ``propose_findings`` proposes the
    incident's facts as they stand)."""
    with refusals():
        draft = determination.established_facts(body.model_dump())
    return _answer(
        session,
        access.principal,
        incident_ref,
        lambda case: services.transition(
            session, case.incident_id, "propose_findings", principal=access.principal,
            note=draft["summary"], draft=draft,
        ),
    )  # fmt: skip


@router.post("/{incident_ref}/corrections", response_model=CaseOut, responses=REFUSALS)
def correct_facts(
    incident_ref: str, body: CorrectionIn, session: SessionDep, access: WorksCases
) -> Any:
    """A mediator corrects a determined incident's facts, with the reason: a new version of
    the incident (its history keeps every earlier one); findings are recomputed."""
    changes = body.model_dump(exclude={"reason"}, exclude_none=True)
    return _answer(
        session,
        access.principal,
        incident_ref,
        lambda case: history.correct_incident(
            session,
            case.incident_id,
            principal=access.principal,
            changes=changes,
            reason=body.reason,
        ),
    )


@router.put("/{incident_ref}/team", response_model=CaseOut, responses=REFUSALS)
def assign_team(incident_ref: str, body: TeamIn, session: SessionDep, access: ManagesCases) -> Any:
    """Compose the joint team: a nominee of each party and a mediator or neutral monitor."""
    members = [MemberSpec(m.name, m.nominated_by, _role(m.role)) for m in body.members]
    roles = known_roles(session, [m.name for m in body.members])
    return _answer(
        session,
        access.principal,
        incident_ref,
        lambda case: services.assign_team(
            session, case, members, principal=access.principal, roles_by_name=roles
        ),
    )


def _role(value: str | None) -> Role | None:
    return Role(value) if value else None


def known_roles(session: Session, names: list[str]) -> dict[str, Role]:
    """The roles of members who have accounts (others are typed by who nominated them)."""
    roles: dict[str, Role] = {}
    for name in names:
        try:
            roles[name] = Role(require_user(session, name).role)
        except AccountError:
            continue
    return roles


@router.post("/{incident_ref}/tasks", response_model=CaseOut, responses=REFUSALS)
def add_task(incident_ref: str, body: TaskIn, session: SessionDep, access: WorksCases) -> Any:
    """Add a task; its deadline defaults to the agreement's hours for the kind."""
    return _answer(
        session,
        access.principal,
        incident_ref,
        lambda case: services.add_task(
            session,
            case,
            body.kind,
            principal=access.principal,
            **body.model_dump(exclude={"kind"}),
        ),
    )


@router.post("/tasks/{task_id}/complete", response_model=QueueItemOut | None, responses=REFUSALS)
def complete_task(
    task_id: RecordId, body: TaskCompleteIn, session: SessionDep, access: WorksCases
) -> None:
    """Mark a task done with what it found."""
    with refusals():
        queue.complete_task(session, task_id, principal=access.principal, outcome=body.outcome)


@router.post("/tasks/{task_id}/blocked", response_model=None, responses=REFUSALS)
def block_task(
    task_id: RecordId, body: TaskBlockedIn, session: SessionDep, access: WorksCases
) -> None:
    """Say why a task is stuck: access denied, or waiting on a party."""
    with refusals():
        queue.block_task(
            session, task_id, principal=access.principal, reason=body.reason, note=body.note
        )


@router.post("/{incident_ref}/reply-window", response_model=CaseOut, responses=REFUSALS)
def open_reply_window(
    incident_ref: str, body: ReplyWindowIn, session: SessionDep, access: WorksCases
) -> Any:
    """Open the accused party's right of reply (default: the agreement's hours)."""
    return _answer(
        session,
        access.principal,
        incident_ref,
        lambda case: record.open_reply_window(
            session, case, principal=access.principal, party=body.party, due_at=body.due_at
        ),
    )


@router.post("/{incident_ref}/replies", response_model=CaseOut, responses=REFUSALS)
def file_reply(
    incident_ref: str, body: ReplyIn, session: SessionDep, access: RepliesForParty
) -> Any:
    """The accused party's reply, by its liaison; it becomes part of the record."""
    return _answer(
        session,
        access.principal,
        incident_ref,
        lambda case: record.file_reply(session, case, body.text, principal=access.principal),
    )


@router.post("/{incident_ref}/views", response_model=CaseOut, responses=REFUSALS)
def record_view(incident_ref: str, body: ViewIn, session: SessionDep, access: RecordsViews) -> Any:
    """A team member's view; a new one supersedes (and keeps) their earlier view."""
    return _answer(
        session,
        access.principal,
        incident_ref,
        lambda case: record.record_view(
            session, case, principal=access.principal, position=body.position, text=body.text
        ),
    )


@router.post("/{incident_ref}/obstructions", response_model=CaseOut, responses=REFUSALS)
def record_obstruction(
    incident_ref: str,
    body: ObstructionIn,
    session: SessionDep,
    access: WorksCases,
    _incidents: OpensIncidents,
) -> Any:
    """Record denial of access to monitors as an incident of its own."""
    return _answer(
        session,
        access.principal,
        incident_ref,
        lambda case: record.record_obstruction(
            session, case, principal=access.principal, **body.model_dump()
        ),
    )


@router.post("/{incident_ref}/determination", response_model=CaseOut, responses=REFUSALS)
def determine(
    incident_ref: str,
    body: DeterminationIn,
    session: SessionDep,
    access: WorksCases,
    _findings: DraftsFindings,
) -> Any:
    """The mediator's determination: established facts, then adjudication and findings."""
    return _answer(
        session,
        access.principal,
        incident_ref,
        lambda case: determination.determine(
            session, case.incident_id, principal=access.principal, facts=body.model_dump()
        ),
    )


@router.post("/{incident_ref}/parties", response_model=CaseOut, responses=REFUSALS)
def correct_parties(
    incident_ref: str, body: PartiesIn, session: SessionDep, access: ManagesCases
) -> Any:
    """Correct who alleges against whom (mediators only), with a reason kept and audited."""
    return _answer(
        session,
        access.principal,
        incident_ref,
        lambda case: parties.correct_parties(
            session, case, principal=access.principal, **body.model_dump()
        ),
    )
