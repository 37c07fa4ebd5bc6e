"""API of the incidents context: merging, splitting and undoing incidents, and corroboration.

Curating incidents (merge, split, undo) is the mechanism's analysis
(``incident_link`` in the policy). Corroboration counts an incident's
independent sources and names each only to who may read one of its reports.
The routes keep the ``intake`` tag under which clients have always found them.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, status
from pydantic import BaseModel, Field

from truceline.accounts.access import Access, Authorized
from truceline.accounts.policy import Action, Resource, ResourceType, authorize
from truceline.accounts.roles import Principal
from truceline.accounts.scoping import resource_of
from truceline.db.bounds import RecordId
from truceline.http.deps import CurrentPrincipal, SessionDep
from truceline.incidents.curation import (
    CurationError,
    corroboration,
    merge_incidents,
    split_incident,
    undo_operation,
)
from truceline.incidents.models import Incident, IncidentOperation

router = APIRouter(prefix="/api", tags=["intake"])

INCIDENT_LINKS = Resource(ResourceType.INCIDENT_LINK)


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


def _operation_out(operation: IncidentOperation) -> OperationOut:
    return OperationOut.model_validate(operation, from_attributes=True)


@router.post(
    "/incidents/{incident_id}/merge",
    response_model=OperationOut,
    status_code=status.HTTP_201_CREATED,
)
def merge(
    incident_id: RecordId,
    body: MergeRequest,
    session: SessionDep,
    principal: CurrentPrincipal,
    access: Annotated[Access, Authorized(Action.UPDATE, ResourceType.INCIDENT_LINK)],
) -> OperationOut:
    """Merge this incident into ``into``; its reports move there and it is marked merged."""
    access.require(INCIDENT_LINKS)
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
    incident_id: RecordId,
    body: SplitRequest,
    session: SessionDep,
    principal: CurrentPrincipal,
    access: Annotated[Access, Authorized(Action.UPDATE, ResourceType.INCIDENT_LINK)],
) -> OperationOut:
    """Move the chosen reports of this incident to a new incident."""
    access.require(INCIDENT_LINKS)
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
    operation_id: RecordId,
    body: UndoRequest,
    session: SessionDep,
    principal: CurrentPrincipal,
    access: Annotated[Access, Authorized(Action.UPDATE, ResourceType.INCIDENT_LINK)],
) -> OperationOut:
    """Undo a merge or split, if its links are still as it left them."""
    access.require(INCIDENT_LINKS)
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
    incident_id: RecordId,
    session: SessionDep,
    access: Annotated[Access, Authorized(Action.READ, ResourceType.INCIDENT)],
) -> dict[str, Any]:
    """The number of independent sources for the incident, and their grades.

    The incident must be one the caller may read; each source is named only when
    the caller may read one of its reports (a party sees its own allegations).
    """
    incident = session.get(Incident, incident_id)
    if incident is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"incident {incident_id} does not exist")
    access.require(incident)
    principal = access.principal
    try:
        return corroboration(
            session, incident_id, may_read=lambda report: _may_read(principal, report)
        )
    except CurationError as exc:
        raise HTTPException(status.HTTP_404_NOT_FOUND, str(exc)) from None


def _may_read(principal: Principal, record: object | None) -> bool:
    return record is not None and authorize(principal, Action.READ, resource_of(record)).allowed
