"""Reading the registry into the pure domain types (the only place rows become dataclasses)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from truceline.designations.domain.positions import Position, Stance
from truceline.designations.domain.relations import Relation, RelationKind
from truceline.designations.models import ArmedGroup, DesignationPosition, GroupRelation


def load_group_ids(session: Session) -> frozenset[str]:
    """Every group id in the registry."""
    return frozenset(session.scalars(select(ArmedGroup.id)))


def position_of(row: DesignationPosition) -> Position:
    return Position(
        id=row.id,
        holder=row.holder,
        group_id=row.group_id,
        stance=Stance(row.stance),
        effective_from=row.effective_from,
        rationale=row.rationale,
        source=row.source,
        supersedes_id=row.supersedes_id,
        criteria=tuple(row.criteria or ()),
        date_precision=row.date_precision,
    )


def load_positions(session: Session, *, group_id: str | None = None) -> list[Position]:
    """All recorded positions (including superseded ones), oldest record first."""
    query = select(DesignationPosition).order_by(DesignationPosition.id)
    if group_id is not None:
        query = query.where(DesignationPosition.group_id == group_id)
    return [position_of(row) for row in session.scalars(query)]


def relation_of(row: GroupRelation) -> Relation:
    return Relation(
        subject=row.subject_id,
        kind=RelationKind(row.kind),
        object=row.object_id,
        valid_from=row.valid_from,
        valid_until=row.valid_until,
    )


def load_relations(session: Session) -> list[Relation]:
    return [relation_of(row) for row in session.scalars(select(GroupRelation))]
