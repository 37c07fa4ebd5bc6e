"""HTTP API of the designations context: registry, positions, joint list, matrix, process, replay.

Reads are open to every principal. Writes are the access policy's
(``accounts/policy_designations.py``), declared in each route's signature: the
mediators and the administrator edit the registry (``group_registry``) and run
the alignment process; a party liaison records only its own party's positions,
evidence and process positions (``designation``, whose party is checked against
the body). Every write is audited by the service it calls. Bad input gets 422
with the message naming the problem.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException
from sqlalchemy import select

from truceline.accounts.access import Access, Authorized
from truceline.accounts.policy import Action, Resource, ResourceType, require
from truceline.agreements.threat import ThreatDefinition
from truceline.db.bounds import RecordId
from truceline.designations import queries
from truceline.designations.definitions import definition_for, what_if_definition
from truceline.designations.domain.alignment import Step, StepKind
from truceline.designations.domain.positions import DesignationError, Position
from truceline.designations.models import AlignmentProcess
from truceline.designations.replay import replay
from truceline.designations.resolution import resolve_group
from truceline.designations.schemas import (
    AliasIn,
    EvidenceIn,
    GroupIn,
    ListingIn,
    PositionIn,
    ProposalIn,
    RelationIn,
    ReplayIn,
    StepIn,
)
from truceline.designations.services import alignment, evidence, positions, registry
from truceline.http.deps import Public, SessionDep

router = APIRouter(prefix="/api", tags=["designations"])

#: Edits the armed-group registry, or runs a step of an alignment process (mediators, admin).
EditsRegistry = Annotated[Access, Authorized(Action.CREATE, ResourceType.GROUP_REGISTRY)]
#: Records a designation; the party it speaks for is checked with ``access.require`` (own party).
RecordsDesignations = Annotated[Access, Authorized(Action.CREATE, ResourceType.DESIGNATION)]


def _today(as_of: date | None) -> date:
    return as_of or datetime.now(UTC).date()


def _for_party(access: Access, party: str | None) -> None:
    """The designation speaks for ``party``: a liaison records only its own party's."""
    access.require(Resource(ResourceType.DESIGNATION, owner_party=party))


def _bad(exc: Exception) -> HTTPException:
    return HTTPException(422, str(exc))


@router.get("/groups")
def list_groups(_: Public, session: SessionDep, as_of: date | None = None) -> dict[str, Any]:
    day = _today(as_of)
    return {"as_of": day.isoformat(), "groups": queries.list_groups(session, as_of=day)}


@router.get("/groups/resolve")
def resolve(_: Public, session: SessionDep, name: str) -> dict[str, Any]:
    result = resolve_group(name, session=session)
    if result is None:
        raise HTTPException(404, f"no group matches {name!r}")
    return {
        "query": name,
        "group_id": result.group_id,
        "ambiguous": result.ambiguous,
        "method": result.method,
        "score": result.score,
        "matched_alias": result.matched_alias,
        "origin": result.origin,
        "candidates": [c.__dict__ for c in result.candidates],
    }


@router.get("/groups/{group_id}")
def group_history(_: Public, group_id: str, session: SessionDep) -> dict[str, Any]:
    try:
        return queries.group_history(session, group_id)
    except DesignationError as exc:
        raise HTTPException(404, str(exc)) from exc


@router.post("/groups", status_code=201)
def add_group(body: GroupIn, session: SessionDep, access: EditsRegistry) -> dict[str, Any]:
    principal = access.principal
    try:
        _, created = registry.add_group(
            session,
            actor=principal.as_actor(),
            group_id=body.id,
            name=body.name,
            description=body.description,
            founded_year=body.founded_year,
            source=body.source,
        )
    except DesignationError as exc:
        raise _bad(exc) from exc
    return {"id": body.id, "created": created}


@router.post("/groups/{group_id}/aliases", status_code=201)
def add_alias(
    group_id: str, body: AliasIn, session: SessionDep, access: EditsRegistry
) -> dict[str, Any]:
    principal = access.principal
    try:
        created = registry.add_alias(
            session, actor=principal.as_actor(), group_id=group_id, **body.model_dump()
        )
    except DesignationError as exc:
        raise _bad(exc) from exc
    return {"group": group_id, "alias": body.alias, "created": created}


@router.post("/groups/{group_id}/relations", status_code=201)
def add_relation(
    group_id: str, body: RelationIn, session: SessionDep, access: EditsRegistry
) -> dict[str, Any]:
    principal = access.principal
    data = body.model_dump()
    try:
        relation = registry.parse_relation({**data, "subject": group_id})
        created = registry.add_relation(
            session,
            actor=principal.as_actor(),
            relation=relation,
            note=body.note,
            source=body.source,
        )
    except DesignationError as exc:
        raise _bad(exc) from exc
    return {"subject": group_id, "kind": body.kind, "object": body.object, "created": created}


@router.post("/groups/{group_id}/listings", status_code=201)
def add_listing(
    group_id: str, body: ListingIn, session: SessionDep, access: EditsRegistry
) -> dict[str, Any]:
    principal = access.principal
    try:
        created = registry.add_listing(
            session, actor=principal.as_actor(), group_id=group_id, **body.model_dump()
        )
    except DesignationError as exc:
        raise _bad(exc) from exc
    return {"group": group_id, "list": body.list_name, "created": created}


@router.post("/designations/positions", status_code=201)
def record_position(
    body: PositionIn, session: SessionDep, access: RecordsDesignations
) -> dict[str, Any]:
    _for_party(access, body.holder)
    principal = access.principal
    position = Position(
        holder=body.holder,
        group_id=body.group,
        stance=body.stance,
        effective_from=body.effective_from,
        rationale=body.rationale,
        source=body.source,
        criteria=tuple(body.criteria),
        date_precision=body.date_precision,
        supersedes_id=body.supersedes,
    )
    try:
        row = positions.record_position(session, actor=principal.as_actor(), position=position)
    except DesignationError as exc:
        raise _bad(exc) from exc
    return {"id": row.id if row else None, "duplicate": row is None}


@router.post("/designations/evidence", status_code=201)
def record_evidence(
    body: EvidenceIn, session: SessionDep, access: RecordsDesignations
) -> dict[str, Any]:
    _for_party(access, body.asserted_by)
    principal = access.principal
    try:
        row = evidence.record_evidence(
            session,
            actor=principal.as_actor(),
            group_id=body.group,
            criterion=body.criterion,
            asserted_by=body.asserted_by,
            assessment=body.assessment,
            summary=body.summary,
            source=body.source,
            observed_on=body.observed_on,
            incident_code=body.incident,
        )
    except DesignationError as exc:
        raise _bad(exc) from exc
    return {"id": row.id if row else None, "duplicate": row is None}


@router.get("/designations/joint")
def joint_list(_: Public, session: SessionDep, as_of: date | None = None) -> dict[str, Any]:
    return queries.joint_list(session, as_of=_today(as_of))


@router.get("/designations/matrix")
def matrix(_: Public, session: SessionDep, as_of: date | None = None) -> dict[str, Any]:
    return queries.divergence_matrix(session, as_of=_today(as_of))


@router.get("/designations/processes")
def list_processes(_: Public, session: SessionDep) -> list[dict[str, Any]]:
    processes = session.scalars(select(AlignmentProcess).order_by(AlignmentProcess.id))
    return [alignment.process_json(p) for p in processes]


@router.post("/designations/processes", status_code=201)
def open_process(
    body: ProposalIn, session: SessionDep, access: RecordsDesignations
) -> dict[str, Any]:
    """Propose a stance on a group: a party in its own name, or the mediators."""
    principal = access.principal
    _for_party(access, principal.party)
    try:
        process = alignment.open_process(
            session,
            actor=principal.as_actor(),
            group_id=body.group,
            stance=body.stance,
            rationale=body.rationale,
            on=body.on,
        )
    except DesignationError as exc:
        raise _bad(exc) from exc
    return alignment.process_json(process)


@router.post("/designations/processes/{process_id}/steps")
def add_step(
    process_id: RecordId, body: StepIn, session: SessionDep, access: RecordsDesignations
) -> dict[str, Any]:
    """A party's position (its own party's), or a session, decision or deferral (mediators)."""
    principal = access.principal
    try:
        kind = StepKind(body.kind)
    except ValueError:
        raise HTTPException(
            422, f"kind {body.kind!r}: must be one of position, session, decision, deferral"
        ) from None
    if kind is StepKind.POSITION:
        _for_party(access, body.party)
    else:
        require(principal, Action.CREATE, Resource(ResourceType.GROUP_REGISTRY))
    details: dict[str, Any] = {"attendees": body.attendees}
    if body.effective_from:
        details["effective_from"] = body.effective_from.isoformat()
    step = Step(kind, body.rationale, party=body.party, stance=body.stance)
    try:
        process = alignment.add_step(
            session,
            actor=principal.as_actor(),
            process_id=process_id,
            step=step,
            on=body.on,
            details=details,
        )
    except DesignationError as exc:
        raise _bad(exc) from exc
    return alignment.process_json(process)


@router.post("/designations/replay")
def replay_definition(_: Public, body: ReplayIn, session: SessionDep) -> dict[str, Any]:
    candidate: ThreatDefinition
    try:
        if body.what_if is not None:
            candidate = what_if_definition(session, body.what_if, disputed=body.disputed)
        elif body.list_name:
            candidate = definition_for(session, body.list_name)
        else:
            raise HTTPException(422, "give either list (AF, PK, joint) or what_if (group ids)")
        return replay(session, candidate=candidate, baseline=definition_for(session, body.baseline))
    except DesignationError as exc:
        raise _bad(exc) from exc
