"""API of intake and incident linking: submit, correct and annotate reports, candidates, links.

Every route asks the one accounts policy with the record's facts: a report's
party and submitter (``scoping.resource_of``), an incident's determination and
release. Lists are narrowed in SQL by the policy-derived ``visible_filter``, so a
party's liaison never sees the other party's allegations, by id or in a list.
Binding reports into incidents and the candidates for it are the mechanism's
analysis (``incident_link``); merging, splitting and undoing incidents, and an
incident's corroboration, are the incidents context's (``incidents/api.py``).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Response, status
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from truceline.accounts.access import Access, Authorized
from truceline.accounts.policy import Action, Resource, ResourceType, authorize, require
from truceline.accounts.roles import Principal
from truceline.accounts.scoping import resource_of
from truceline.config import get_settings
from truceline.content_store import ContentStore
from truceline.db.bounds import Count, RecordId
from truceline.http.deps import CurrentPrincipal, SessionDep
from truceline.incidents.models import Incident, Report
from truceline.incidents.services import (
    LinkingError,
    confirm_link,
    find_candidates,
    open_incident_for,
)
from truceline.intake.annotations import AnnotationError, annotate_report
from truceline.intake.proposals import reviewed_facts
from truceline.intake.schemas import (
    AnnotationIn,
    AnnotationOut,
    ReportCorrection,
    ReportOut,
    ReportSubmission,
    SubmissionResult,
)
from truceline.intake.services import (
    IntakeError,
    correct_report,
    list_reports,
    report_out,
    submit_report,
)
from truceline.intake.submitters import SourceRefused, check_source, speaks_for

router = APIRouter(prefix="/api", tags=["intake"])

INCIDENT_LINKS = Resource(ResourceType.INCIDENT_LINK)
ReadReports = Annotated[Access, Authorized(Action.READ, ResourceType.REPORT)]
#: Reports come from known accounts here; anonymous accounts arrive through other channels.
SubmitsReports = Annotated[Access, Authorized(Action.CREATE, ResourceType.REPORT, signed_in=True)]


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
    body: ReportSubmission, session: SessionDep, access: SubmitsReports, response: Response
) -> SubmissionResult:
    """Submit a report; a resubmission with the same ``client_token`` returns the stored one (200)."""
    principal = access.principal
    access.require(
        Resource(ResourceType.REPORT, owner_party=speaks_for(body.source_type, body.source_party))
    )
    try:
        check_source(principal, body.source_type)
    except SourceRefused as refused:
        raise HTTPException(status.HTTP_403_FORBIDDEN, str(refused)) from None
    try:
        result = submit_report(
            session,
            body,
            actor=principal.as_actor(),
            store=ContentStore.under(get_settings().data_dir),
        )
    except IntakeError as exc:
        raise _unprocessable(exc) from None
    if not result.created:
        response.status_code = status.HTTP_200_OK
    return result


@router.get("/intake/reports", response_model=list[ReportOut])
def list_(
    session: SessionDep,
    access: ReadReports,
    limit: Count = 50,
    offset: Count = 0,
    unlinked: bool = False,
) -> list[ReportOut]:
    """Reports the caller may read, newest first; ``unlinked=true`` is the analysts' queue."""
    found = list_reports(session, limit=min(limit, 500), offset=offset, unlinked_only=unlinked,
                         visible=access.filter(Report))  # fmt: skip
    return [report_out(session, r) for r in found]


@router.get("/intake/reports/{report_id}", response_model=ReportOut)
def get(report_id: RecordId, session: SessionDep, access: ReadReports) -> ReportOut:
    """One report version, if the policy lets the caller read it (a party reads only its own)."""
    report = _report(session, report_id)
    access.require(report)
    return report_out(session, report)


@router.post(
    "/intake/reports/{report_id}/corrections",
    response_model=ReportOut,
    status_code=status.HTTP_201_CREATED,
)
def correct(
    report_id: RecordId,
    body: ReportCorrection,
    session: SessionDep,
    access: Annotated[Access, Authorized(Action.CORRECT, ResourceType.REPORT)],
) -> ReportOut:
    """Correct a report: a new version that supersedes it, filed by its source only.

    A party's allegation is corrected only by that party's liaisons; the mechanism
    annotates it instead (``POST .../annotations``). The old version stays as it was.
    """
    _report(session, report_id)
    try:
        corrected = correct_report(session, report_id, body, principal=access.principal)
    except IntakeError as exc:
        raise _unprocessable(exc) from None
    return report_out(session, corrected)


@router.post(
    "/intake/reports/{report_id}/annotations",
    response_model=AnnotationOut,
    status_code=status.HTTP_201_CREATED,
)
def annotate(
    report_id: RecordId,
    body: AnnotationIn,
    session: SessionDep,
    access: Annotated[Access, Authorized(Action.ANNOTATE, ResourceType.REPORT)],
) -> AnnotationOut:
    """Add a note to a report in the caller's own name; the report itself is never changed."""
    try:
        annotation = annotate_report(session, report_id, body, principal=access.principal)
    except AnnotationError as exc:
        raise HTTPException(status.HTTP_404_NOT_FOUND, str(exc)) from None
    return AnnotationOut.model_validate(annotation, from_attributes=True)


@router.get("/intake/reports/{report_id}/candidates", response_model=list[CandidateOut])
def candidates(
    report_id: RecordId, session: SessionDep, access: ReadReports, limit: Count = 10
) -> list[CandidateOut]:
    """Incidents the report may describe, best first, with the score and the reasons.

    Proposing links is the analysts' work (``incident_link``), on a report the
    caller may read; only incidents the caller may read are named.
    """
    require(access.principal, Action.READ, INCIDENT_LINKS)
    report = _report(session, report_id)
    access.require(report)
    found = [
        c
        for c in find_candidates(session, report, limit=min(limit, 100))
        if _may_read(access.principal, session.get(Incident, c.incident_id))
    ]
    return [CandidateOut(incident_id=c.incident_id, incident_code=c.incident_code, score=c.match.score,
                         decision=c.match.decision, components=c.match.components,
                         reasons=list(c.match.reasons)) for c in found]  # fmt: skip


@router.post(
    "/intake/reports/{report_id}/links", response_model=LinkOut, status_code=status.HTTP_201_CREATED
)
def link(
    report_id: RecordId,
    body: LinkRequest,
    session: SessionDep,
    principal: CurrentPrincipal,
    access: Annotated[Access, Authorized(Action.CREATE, ResourceType.INCIDENT_LINK)],
) -> LinkOut:
    """Confirm (or move) a report's link to an incident, or open a new incident for it."""
    access.require(INCIDENT_LINKS)
    report, actor = _report(session, report_id), principal.as_actor()
    try:
        if body.new_incident:
            incident = open_incident_for(session, report, actor=actor, method="confirmed",
                                         read=reviewed_facts(session, report.id))  # fmt: skip
            return LinkOut(report_id=report_id, incident_id=incident.id, method="confirmed")
        if body.incident_id is None:
            raise HTTPException(422, "give incident_id or new_incident")
        made = confirm_link(session, report=report, incident_id=body.incident_id, actor=actor)
    except LinkingError as exc:
        raise HTTPException(status.HTTP_409_CONFLICT, str(exc)) from None
    return LinkOut(report_id=report_id, incident_id=made.incident_id, method=made.method)


def _may_read(principal: Principal, record: object | None) -> bool:
    return record is not None and authorize(principal, Action.READ, resource_of(record)).allowed
