"""HTTP API of the agreements context: agreements, their versions, and findings.

- ``GET /api/agreements``: stored agreements with their current version;
- ``GET /api/agreements/{id}/versions`` and ``GET /api/agreements/{id}?version=N``;
- ``GET /api/incidents/{incident_id}/findings?history=true``: a stored incident's findings
  (for the public, released incidents only);
- ``POST /api/adjudications``: a batch of incident facts in, findings (and rejections) out.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, HTTPException, Query
from pydantic import BaseModel

from truceline.accounts.access import Access, Authorized
from truceline.accounts.policy import AccessDenied, Action, Resource, ResourceType
from truceline.accounts.scoping import resource_of
from truceline.agreements import services
from truceline.agreements.facts import parse_facts
from truceline.agreements.versions import effective_start
from truceline.db.bounds import INT32_MAX, RecordId
from truceline.http.deps import Public, SessionDep
from truceline.incidents.models import Incident

router = APIRouter(prefix="/api", tags=["agreements"])
FactsBody = Body(
    ..., description="A JSON list of incident facts (docs/cli.md, section Incident facts)."
)


class AgreementSummary(BaseModel):
    id: str
    title: str
    current_version: int


class AgreementVersionOut(BaseModel):
    agreement_id: str
    version: int
    created_at: str
    created_by: str
    note: str
    #: From when this version governs incidents (null: from the start).
    effective_from: str | None = None
    document: dict[str, Any]


class AdjudicationResult(BaseModel):
    findings: list[dict[str, Any]]
    rejected: list[dict[str, Any]]


@router.get("/agreements", response_model=list[AgreementSummary])
def get_agreements(_: Public, session: SessionDep) -> list[AgreementSummary]:
    return [
        AgreementSummary(id=a.id, title=a.title, current_version=a.current_version)
        for a in services.list_agreements(session)
    ]


@router.get("/agreements/{agreement_id}/versions", response_model=list[AgreementVersionOut])
def get_agreement_versions(
    _: Public, agreement_id: str, session: SessionDep
) -> list[AgreementVersionOut]:
    versions = services.agreement_versions(session, agreement_id)
    if not versions:
        raise HTTPException(404, f"no agreement {agreement_id!r}")
    return [_version_out(v) for v in versions]


@router.get("/agreements/{agreement_id}", response_model=AgreementVersionOut)
def get_agreement(
    _: Public,
    agreement_id: str,
    session: SessionDep,
    version: int | None = Query(None, ge=1, le=INT32_MAX),
) -> AgreementVersionOut:
    versions = services.agreement_versions(session, agreement_id)
    if not versions:
        raise HTTPException(404, f"no agreement {agreement_id!r}")
    chosen = (
        versions[-1]
        if version is None
        else next((v for v in versions if v.version == version), None)
    )
    if chosen is None:
        raise HTTPException(404, f"{agreement_id} has no version {version}")
    return _version_out(chosen)


def _version_out(row: Any) -> AgreementVersionOut:
    return AgreementVersionOut(
        agreement_id=row.agreement_id,
        version=row.version,
        created_at=row.created_at.isoformat(),
        created_by=row.created_by,
        note=row.note,
        effective_from=start.isoformat() if (start := effective_start(row)) else None,
        document=row.document,
    )


@router.get("/incidents/{incident_id}/findings")
def get_incident_findings(
    incident_id: RecordId,
    session: SessionDep,
    access: Annotated[Access, Authorized(Action.READ, ResourceType.FINDING)],
    history: bool = Query(False),
) -> list[dict[str, Any]]:
    """The incident's current findings, or with ``history=true`` every finding ever computed.

    The policy decides with the incident's facts (findings are released with it):
    before release only the mechanism and both parties read them. To the public
    an unreleased incident is simply not found.
    """
    incident = session.get(Incident, incident_id)
    if incident is None:
        raise HTTPException(404, f"no incident {incident_id}")
    facts = resource_of(incident)
    decision = access.check(
        Resource(ResourceType.FINDING, released=facts.released, determined=facts.determined)
    )
    if not decision.allowed:
        if not access.principal.signed_in:
            raise HTTPException(404, f"no incident {incident_id}")
        raise AccessDenied(decision, access.principal)
    rows = (
        services.findings_history(session, incident_id)
        if history
        else services.current_findings(session, incident_id)
    )
    return [row.to_json() for row in rows]


@router.post("/adjudications", response_model=AdjudicationResult)
def post_adjudications(
    _: Public,
    session: SessionDep,
    facts: list[Any] = FactsBody,
    definition: str = Query("joint", description="joint, AF or PK"),
) -> AdjudicationResult:
    """Judge a batch of facts; bad incidents are listed with index, id, field and reason."""
    try:
        threat = services.definition_for(session, definition)
    except (LookupError, ValueError) as error:  # DesignationError is a ValueError
        raise HTTPException(422, {"field": "definition", "message": str(error)}) from None
    adjudicator = services.adjudicator_for(session, definition=threat)
    accepted, errors = parse_facts(facts, known_groups=adjudicator.known_groups)
    return AdjudicationResult(
        findings=[f.to_json() for f in adjudicator.adjudicate_many(accepted)],
        rejected=[e.to_json() for e in errors],
    )
