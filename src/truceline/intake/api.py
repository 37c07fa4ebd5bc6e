"""API of intake and incident linking: submit and correct reports, candidates, links, merges, splits.

Every route names its principal (``CurrentPrincipal``). Binding reports into
incidents (link, merge, split, undo) is asked of the accounts policy
(``incident_link``: the mechanism's neutral analysts), as the triage pages do;
``_authorize`` keeps this context's submission and reading rules.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Response, status
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from truceline.accounts.policy import Action, Resource, ResourceType, require
from truceline.accounts.roles import Principal, Role
from truceline.db.bounds import Count, RecordId
from truceline.incidents.curation import (
    CurationError,
    corroboration,
    merge_incidents,
    split_incident,
    undo_operation,
)
from truceline.incidents.linking_services import (
    LinkingError,
    confirm_link,
    find_candidates,
    open_incident_for,
)
from truceline.incidents.models import IncidentOperation, Report
from truceline.intake.schemas import ReportCorrection, ReportOut, ReportSubmission, SubmissionResult
from truceline.intake.services import (
    IntakeError,
    correct_report,
    list_reports,
    report_out,
    submit_report,
)
from truceline.web.deps import CurrentPrincipal, SessionDep

router = APIRouter(prefix="/api", tags=["intake"])

#: Who may do what. Party liaisons file allegations only for their own party.
ACTION_ROLES: dict[str, frozenset[Role]] = {
    "report.submit": frozenset(Role) - {Role.PUBLIC},
    "report.read": frozenset(Role) - {Role.PUBLIC, Role.COMMUNITY_REPORTER},
    "report.correct": frozenset(
        {Role.ADMIN, Role.MEDIATOR, Role.FIELD_MONITOR, Role.PARTY_LIAISON}
    ),
}

INCIDENT_LINKS = Resource(ResourceType.INCIDENT_LINK)


def _authorize(principal: Principal, action: str, *, party: str | None = None) -> None:
    """Refuse with 401/403 unless ``principal`` may do ``action`` (for ``party``, when it matters)."""
    if principal.role is Role.PUBLIC:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, f"{action} needs a signed-in user")
    if principal.role not in ACTION_ROLES[action]:
        raise HTTPException(
            status.HTTP_403_FORBIDDEN, f"role {principal.role.value} may not {action}"
        )
    if principal.role is Role.PARTY_LIAISON and party is not None and party != principal.party:
        raise HTTPException(
            status.HTTP_403_FORBIDDEN,
            f"a liaison of party {principal.party} may not act for party {party}",
        )


class CandidateOut(BaseModel):
    incident_id: int
    incident_code: str
    score: float
    decision: str
    components: dict[str, float]
    reasons: list[str]


class LinkRequest(BaseModel):
    incident_id: RecordId | None = Field(
        default=None, description="Incident to link to (confirms or moves)."
    )
    new_incident: bool = Field(
        default=False, description="Open a new incident for the report instead."
    )


class LinkOut(BaseModel):
    report_id: int
    incident_id: int
    method: str


class MergeRequest(BaseModel):
    into: RecordId = Field(description="The incident that remains.")
    reason: str = ""


class SplitRequest(BaseModel):
    report_ids: list[RecordId] = Field(min_length=1)
    reason: str = ""


class UndoRequest(BaseModel):
    reason: str = ""


class OperationOut(BaseModel):
    id: int
    kind: str
    source_incident_id: int
    target_incident_id: int
    details: dict[str, Any]
    performed_by: str
    undoes_id: int | None
    undone_by_id: int | None


def _unprocessable(exc: IntakeError) -> HTTPException:
    return HTTPException(422, {"field": exc.field, "message": str(exc)})


def _report(session: Session, report_id: int) -> Report:
    report = session.get(Report, report_id)
    if report is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"report {report_id} does not exist")
    return report


@router.post(
    "/intake/reports", response_model=SubmissionResult, status_code=status.HTTP_201_CREATED
)
def submit(
    body: ReportSubmission, session: SessionDep, principal: CurrentPrincipal, response: Response
) -> SubmissionResult:
    """Submit a report; a resubmission with the same ``client_token`` returns the stored one (200)."""
    _authorize(
        principal,
        "report.submit",
        party=body.source_party if body.source_type == "party_liaison" else None,
    )
    if principal.role is Role.PARTY_LIAISON and body.source_type != "party_liaison":
        raise HTTPException(
            status.HTTP_403_FORBIDDEN, "a party liaison files reports as source_type party_liaison"
        )
    try:
        result = submit_report(session, body, actor=principal.as_actor())
    except IntakeError as exc:
        raise _unprocessable(exc) from None
    if not result.created:
        response.status_code = status.HTTP_200_OK
    return result


@router.get("/intake/reports", response_model=list[ReportOut])
def list_(
    session: SessionDep,
    principal: CurrentPrincipal,
    limit: Count = 50,
    offset: Count = 0,
    unlinked: bool = False,
) -> list[ReportOut]:
    """Reports, newest first; ``unlinked=true`` is the queue of reports awaiting an analyst."""
    _authorize(principal, "report.read")
    return [
        report_out(session, r)
        for r in list_reports(session, limit=min(limit, 500), offset=offset, unlinked_only=unlinked)
    ]


@router.get("/intake/reports/{report_id}", response_model=ReportOut)
def get(report_id: RecordId, session: SessionDep, principal: CurrentPrincipal) -> ReportOut:
    _authorize(principal, "report.read")
    return report_out(session, _report(session, report_id))


@router.post(
    "/intake/reports/{report_id}/corrections",
    response_model=ReportOut,
    status_code=status.HTTP_201_CREATED,
)
def correct(
    report_id: RecordId, body: ReportCorrection, session: SessionDep, principal: CurrentPrincipal
) -> ReportOut:
    """Correct a report: a new version that supersedes it. The old version stays as it was."""
    old = _report(session, report_id)
    # A liaison corrects only its own party's allegations; "-" matches no party.
    _authorize(principal, "report.correct", party=old.source_party or "-")
    try:
        return report_out(
            session, correct_report(session, report_id, body, actor=principal.as_actor())
        )
    except IntakeError as exc:
        raise _unprocessable(exc) from None


@router.get("/intake/reports/{report_id}/candidates", response_model=list[CandidateOut])
def candidates(
    report_id: RecordId, session: SessionDep, principal: CurrentPrincipal, limit: Count = 10
) -> list[CandidateOut]:
    """Incidents the report may describe, best first, with the score and the reasons."""
    _authorize(principal, "report.read")
    found = find_candidates(session, _report(session, report_id), limit=min(limit, 100))
    return [CandidateOut(incident_id=c.incident_id, incident_code=c.incident_code, score=c.match.score,
                         decision=c.match.decision, components=c.match.components,
                         reasons=list(c.match.reasons)) for c in found]  # fmt: skip


@router.post(
    "/intake/reports/{report_id}/links", response_model=LinkOut, status_code=status.HTTP_201_CREATED
)
def link(
    report_id: RecordId, body: LinkRequest, session: SessionDep, principal: CurrentPrincipal
) -> LinkOut:
    """Confirm (or move) a report's link to an incident, or open a new incident for it."""
    require(principal, Action.CREATE, INCIDENT_LINKS)
    report, actor = _report(session, report_id), principal.as_actor()
    try:
        if body.new_incident:
            incident = open_incident_for(session, report, actor=actor, method="confirmed")
            return LinkOut(report_id=report_id, incident_id=incident.id, method="confirmed")
        if body.incident_id is None:
            raise HTTPException(422, "give incident_id or new_incident")
        made = confirm_link(session, report=report, incident_id=body.incident_id, actor=actor)
    except LinkingError as exc:
        raise HTTPException(status.HTTP_409_CONFLICT, str(exc)) from None
    return LinkOut(report_id=report_id, incident_id=made.incident_id, method=made.method)


def _operation_out(operation: IncidentOperation) -> OperationOut:
    return OperationOut.model_validate(operation, from_attributes=True)


@router.post(
    "/incidents/{incident_id}/merge",
    response_model=OperationOut,
    status_code=status.HTTP_201_CREATED,
)
def merge(
    incident_id: RecordId, body: MergeRequest, session: SessionDep, principal: CurrentPrincipal
) -> OperationOut:
    """Merge this incident into ``into``; its reports move there and it is marked merged."""
    require(principal, Action.UPDATE, INCIDENT_LINKS)
    try:
        return _operation_out(
            merge_incidents(
                session,
                source_id=incident_id,
                target_id=body.into,
                actor=principal.as_actor(),
                reason=body.reason,
            )
        )
    except CurationError as exc:
        raise HTTPException(status.HTTP_409_CONFLICT, str(exc)) from None


@router.post(
    "/incidents/{incident_id}/split",
    response_model=OperationOut,
    status_code=status.HTTP_201_CREATED,
)
def split(
    incident_id: RecordId, body: SplitRequest, session: SessionDep, principal: CurrentPrincipal
) -> OperationOut:
    """Move the chosen reports of this incident to a new incident."""
    require(principal, Action.UPDATE, INCIDENT_LINKS)
    try:
        return _operation_out(
            split_incident(
                session,
                incident_id=incident_id,
                report_ids=body.report_ids,
                actor=principal.as_actor(),
                reason=body.reason,
            )
        )
    except CurationError as exc:
        raise HTTPException(status.HTTP_409_CONFLICT, str(exc)) from None


@router.post(
    "/incident-operations/{operation_id}/undo",
    response_model=OperationOut,
    status_code=status.HTTP_201_CREATED,
)
def undo(
    operation_id: RecordId, body: UndoRequest, session: SessionDep, principal: CurrentPrincipal
) -> OperationOut:
    """Undo a merge or split, if its links are still as it left them."""
    require(principal, Action.UPDATE, INCIDENT_LINKS)
    try:
        return _operation_out(
            undo_operation(
                session, operation_id=operation_id, actor=principal.as_actor(), reason=body.reason
            )
        )
    except CurationError as exc:
        raise HTTPException(status.HTTP_409_CONFLICT, str(exc)) from None


@router.get("/incidents/{incident_id}/corroboration")
def corroboration_view(
    incident_id: RecordId, session: SessionDep, principal: CurrentPrincipal
) -> dict[str, Any]:
    """The number of independent sources for the incident, and their grades."""
    _authorize(principal, "report.read")
    try:
        return corroboration(session, incident_id)
    except CurationError as exc:
        raise HTTPException(status.HTTP_404_NOT_FOUND, str(exc)) from None
