"""HTTP API of publication: ``POST /api/incidents/{ref}/release`` and ``/withdraw``.

Both call ``publication.set_released``: the access policy decides (mediators
only, declared in the signature; a release needs a determined incident, checked
on the record) and a refusal is 403 with the
policy's reason; an unknown incident is 404; a malformed body is 422.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException
from pydantic import BaseModel, ConfigDict, Field

from truceline.accounts.access import Access, Authorized
from truceline.accounts.policy import Action, ResourceType
from truceline.accounts.roles import Principal
from truceline.http.deps import SessionDep
from truceline.verification import publication, services

router = APIRouter(prefix="/api/incidents", tags=["verification"])


class PublicationIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(
        default="",
        max_length=publication.MAX_REASON_CHARS,
        description="Why; kept in the audit log and sent to both parties.",
    )


class PublicationOut(BaseModel):
    incident: str
    released: bool
    changed: bool


RESPONSES: dict[int | str, dict[str, Any]] = {
    403: {"description": "Refused by the access policy; the reason says why"},
    404: {"description": "No such incident"},
    422: {"description": "Bad input; the message names the field"},
}


def _publish(
    session: SessionDep,
    principal: Principal,
    incident_ref: str,
    body: PublicationIn | None,
    *,
    released: bool,
) -> PublicationOut:
    try:
        incident = services.find_incident(session, incident_ref)
    except LookupError as missing:
        raise HTTPException(404, detail=str(missing).strip("'\"")) from None
    try:
        outcome = publication.set_released(
            session,
            incident,
            principal=principal,
            released=released,
            reason=body.reason if body else "",
        )
    except publication.PublicationError as bad:
        raise HTTPException(422, detail=str(bad)) from None
    return PublicationOut(**outcome.as_json())


@router.post("/{incident_ref}/release", response_model=PublicationOut, responses=RESPONSES)
def release_incident(
    incident_ref: str,
    session: SessionDep,
    access: Annotated[Access, Authorized(Action.RELEASE, ResourceType.INCIDENT)],
    body: PublicationIn | None = None,
) -> PublicationOut:
    """Publish a determined incident (mediators only); audited, both parties notified."""
    return _publish(session, access.principal, incident_ref, body, released=True)


@router.post("/{incident_ref}/withdraw", response_model=PublicationOut, responses=RESPONSES)
def withdraw_incident(
    incident_ref: str,
    session: SessionDep,
    access: Annotated[Access, Authorized(Action.RELEASE, ResourceType.INCIDENT)],
    body: PublicationIn | None = None,
) -> PublicationOut:
    """Take a published incident back from the public (mediators only); audited, both notified."""
    return _publish(session, access.principal, incident_ref, body, released=False)
