"""Read-side queries: the registry as of a date, the joint list, and the divergence matrix.

Nothing here changes state; each function returns JSON-able data that the CLI
prints and the API returns unchanged, so both show the same thing.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from truceline.designations.definitions import definition_for
from truceline.designations.domain.matrix import (
    Assessment,
    EvidenceItem,
    ListingFact,
    MatrixInputs,
    build_matrix,
)
from truceline.designations.domain.positions import HOLDERS, JOINT, DesignationError
from truceline.designations.domain.threat_definition import RegistryThreatDefinition
from truceline.designations.models import (
    AlignmentProcess,
    ArmedGroup,
    Criterion,
    CriterionEvidence,
    ExternalListing,
    GroupAlias,
)
from truceline.designations.repository import load_positions, load_relations
from truceline.designations.services.alignment import process_json


def registry_definitions(session: Session) -> dict[str, RegistryThreatDefinition]:
    """The AF, PK and joint definitions, read from one snapshot of the registry."""
    result = {}
    for holder in HOLDERS:
        definition = definition_for(session, holder)
        assert isinstance(definition, RegistryThreatDefinition)
        result[holder] = definition
    return result


def list_groups(session: Session, *, as_of: date) -> list[dict[str, Any]]:
    """Every group with its aliases, listings, relations and positions in force on ``as_of``."""
    definitions = registry_definitions(session)
    relations = [r for r in load_relations(session) if r.holds_on(as_of)]
    groups = session.scalars(select(ArmedGroup).order_by(ArmedGroup.id)).all()
    return [_group_json(session, g, as_of, definitions, relations) for g in groups]


def _group_json(
    session: Session,
    group: ArmedGroup,
    as_of: date,
    definitions: dict[str, RegistryThreatDefinition],
    relations: list[Any],
) -> dict[str, Any]:
    aliases = session.scalars(
        select(GroupAlias).where(GroupAlias.group_id == group.id).order_by(GroupAlias.id)
    )
    return {
        "id": group.id,
        "name": group.name,
        "description": group.description,
        "aliases": [
            {"alias": a.alias, "language": a.language, "kind": a.kind, "origin": a.origin}
            for a in aliases
        ],
        "positions": {
            holder: _reading_json(definitions[holder], group.id, as_of) for holder in HOLDERS
        },
        "relations": [
            {"kind": r.kind.value, "object": r.object} for r in relations if r.subject == group.id
        ],
        "listings": [
            _listing_json(x) for x in _listings(session, group.id) if _listed_by(x, as_of)
        ],
    }


def _reading_json(definition: RegistryThreatDefinition, group_id: str, on: date) -> dict[str, Any]:
    reading = definition.read(group_id, on=on)
    return {
        "stance": reading.stance.value if reading.stance else None,
        "covered": reading.covered,
        "reason": reading.reason,
    }


def _listings(session: Session, group_id: str) -> list[ExternalListing]:
    query = select(ExternalListing).where(ExternalListing.group_id == group_id)
    return list(session.scalars(query.order_by(ExternalListing.id)))


def _listed_by(listing: ExternalListing, as_of: date) -> bool:
    return listing.listed_year is None or listing.listed_year <= as_of.year


def _listing_json(listing: ExternalListing) -> dict[str, Any]:
    return {
        "list": listing.list_name,
        "listed_by": listing.listed_by,
        "year": listing.listed_year,
        "reference": listing.reference,
        "source": listing.source,
    }


def joint_list(session: Session, *, as_of: date) -> dict[str, Any]:
    """The joint list on ``as_of``: covered groups, groups agreed not covered, and undecided ones."""
    joint = registry_definitions(session)[JOINT]
    buckets: dict[str, list[dict[str, str]]] = {
        "designated": [],
        "not_designated": [],
        "undecided": [],
    }
    for group_id in sorted(session.scalars(select(ArmedGroup.id))):
        reading = joint.read(group_id, on=as_of)
        bucket = _JOINT_BUCKETS[reading.covered]
        buckets[bucket].append({"group": group_id, "reason": reading.reason})
    return {"as_of": as_of.isoformat(), **buckets}


_JOINT_BUCKETS = {True: "designated", False: "not_designated", None: "undecided"}


def divergence_matrix(session: Session, *, as_of: date) -> dict[str, Any]:
    """The group × party × criterion matrix on ``as_of`` (see ``domain.matrix``)."""
    groups = session.execute(select(ArmedGroup.id, ArmedGroup.name).order_by(ArmedGroup.id))
    criteria = session.execute(
        select(Criterion.code, Criterion.title).order_by(Criterion.position, Criterion.code)
    )
    inputs = MatrixInputs(
        groups=[(g, n) for g, n in groups],
        criteria=[(c, t) for c, t in criteria],
        evidence=[_evidence_of(row) for row in session.scalars(select(CriterionEvidence))],
        listings=[
            ListingFact(x.group_id, x.list_name, x.listed_by, x.listed_year)
            for x in session.scalars(select(ExternalListing))
        ],
        definitions=registry_definitions(session),
    )
    return build_matrix(inputs, as_of=as_of)


def _evidence_of(row: CriterionEvidence) -> EvidenceItem:
    return EvidenceItem(
        id=row.id,
        group_id=row.group_id,
        criterion=row.criterion_code,
        asserted_by=row.asserted_by,
        assessment=Assessment(row.assessment),
        summary=row.summary,
        source=row.source,
        observed_on=row.observed_on,
    )


def group_history(session: Session, group_id: str) -> dict[str, Any]:
    """Everything recorded about one group, oldest first: the append-only record, corrections included."""
    group = session.get(ArmedGroup, group_id)
    if group is None:
        raise DesignationError(f"group: unknown group id {group_id!r}")
    records = load_positions(session, group_id=group_id)
    superseded = {p.supersedes_id for p in records if p.supersedes_id is not None}
    processes = session.scalars(
        select(AlignmentProcess)
        .where(AlignmentProcess.group_id == group_id)
        .order_by(AlignmentProcess.id)
    )
    return {
        "id": group.id,
        "name": group.name,
        "founded_year": group.founded_year,
        "source": group.source,
        "positions": [
            {
                "record": p.id,
                "holder": p.holder,
                "stance": p.stance.value,
                "since": p.since,
                "rationale": p.rationale,
                "source": p.source,
                "criteria": list(p.criteria),
                "supersedes": p.supersedes_id,
                "superseded": p.id in superseded,
            }
            for p in records
        ],
        "relations": [
            {
                "subject": r.subject,
                "kind": r.kind.value,
                "object": r.object,
                "valid_from": r.valid_from.isoformat() if r.valid_from else None,
                "valid_until": r.valid_until.isoformat() if r.valid_until else None,
            }
            for r in load_relations(session)
            if group_id in (r.subject, r.object)
        ],
        "listings": [_listing_json(x) for x in _listings(session, group_id)],
        "processes": [process_json(p) for p in processes],
    }
