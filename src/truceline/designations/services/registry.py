"""Recording armed groups, their aliases, relations and external listings.

Each function validates, inserts and appends an audit entry in the caller's
transaction. Re-recording an identical fact is a no-op, so the profile loader
can run again safely.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from truceline.audit.actor import Actor
from truceline.audit.log import add_logged
from truceline.designations.domain.names import normalise_name, script_of
from truceline.designations.domain.positions import DesignationError
from truceline.designations.domain.relations import Relation, RelationKind, check_new_relation
from truceline.designations.models import ArmedGroup, ExternalListing, GroupAlias, GroupRelation
from truceline.designations.repository import load_relations

GROUP_ID_PATTERN = "upper-case letters, digits and underscores"


def require_group(session: Session, group_id: str, *, field: str = "group") -> ArmedGroup:
    """The group with ``group_id``, or a ``DesignationError`` naming the unknown id."""
    group = session.get(ArmedGroup, group_id)
    if group is None:
        raise DesignationError(f"{field}: unknown group id {group_id!r}")
    return group


def add_group(
    session: Session,
    *,
    actor: Actor,
    group_id: str,
    name: str,
    description: str = "",
    founded_year: int | None = None,
    source: str = "",
) -> tuple[ArmedGroup, bool]:
    """Add a group (or return the existing one); True when it was created."""
    if not group_id or not all(c.isupper() or c.isdigit() or c == "_" for c in group_id):
        raise DesignationError(f"group id {group_id!r}: use {GROUP_ID_PATTERN}")
    existing = session.get(ArmedGroup, group_id)
    if existing is not None:
        return existing, False
    group = ArmedGroup(
        id=group_id, name=name, description=description, founded_year=founded_year, source=source
    )
    add_logged(
        session,
        group,
        actor=actor,
        action="designations.group.add",
        object_type="armed_group",
        object_id=group_id,
        after={"id": group_id, "name": name, "source": source},
    )
    return group, True


def add_alias(
    session: Session,
    *,
    actor: Actor,
    group_id: str,
    alias: str,
    language: str,
    kind: str,
    origin: str,
    source: str = "",
) -> bool:
    """Record an alias with who uses it; True when it was new."""
    require_group(session, group_id)
    if not alias.strip() or not origin.strip():
        raise DesignationError(f"alias of {group_id}: the alias and its origin are required")
    query = select(GroupAlias).where(GroupAlias.group_id == group_id, GroupAlias.alias == alias)
    if session.scalars(query).first() is not None:
        return False
    row = GroupAlias(
        group_id=group_id,
        alias=alias,
        normalised=normalise_name(alias),
        script=script_of(alias),
        language=language,
        kind=kind,
        origin=origin,
        source=source,
    )
    add_logged(
        session,
        row,
        actor=actor,
        action="designations.alias.add",
        object_type="group_alias",
        after={"group": group_id, "alias": alias, "origin": origin},
    )
    return True


def add_relation(
    session: Session,
    *,
    actor: Actor,
    relation: Relation,
    note: str = "",
    source: str = "",
) -> bool:
    """Record a relation after checking ids, dates and ``faction_of`` cycles; True when new."""
    require_group(session, relation.subject, field="subject")
    require_group(session, relation.object, field="object")
    existing = load_relations(session)
    if relation in existing:
        return False
    check_new_relation(relation, existing)
    row = GroupRelation(
        subject_id=relation.subject,
        kind=relation.kind.value,
        object_id=relation.object,
        valid_from=relation.valid_from,
        valid_until=relation.valid_until,
        note=note,
        source=source,
    )
    add_logged(
        session,
        row,
        actor=actor,
        action="designations.relation.add",
        object_type="group_relation",
        after=_relation_json(relation),
    )
    return True


def add_listing(
    session: Session,
    *,
    actor: Actor,
    group_id: str,
    list_name: str,
    listed_by: str,
    source: str,
    listed_year: int | None = None,
    listed_on: date | None = None,
    reference: str | None = None,
) -> bool:
    """Record an external listing (UN 1267, a national list); True when new."""
    require_group(session, group_id)
    if not source.strip():
        raise DesignationError(f"listing of {group_id} on {list_name}: a source is required")
    query = select(ExternalListing).where(
        ExternalListing.group_id == group_id, ExternalListing.list_name == list_name
    )
    if session.scalars(query).first() is not None:
        return False
    year = listed_year or (listed_on.year if listed_on else None)
    row = ExternalListing(
        group_id=group_id,
        list_name=list_name,
        listed_by=listed_by,
        reference=reference,
        listed_on=listed_on,
        listed_year=year,
        source=source,
    )
    add_logged(
        session,
        row,
        actor=actor,
        action="designations.listing.add",
        object_type="group_listing",
        after={"group": group_id, "list": list_name, "year": year, "source": source},
    )
    return True


def parse_relation(data: dict[str, Any]) -> Relation:
    """A ``Relation`` from JSON/YAML, with a clear message for a bad kind."""
    try:
        kind = RelationKind(data["kind"])
    except ValueError:
        kinds = ", ".join(k.value for k in RelationKind)
        raise DesignationError(f"relation kind {data['kind']!r}: must be one of {kinds}") from None
    return Relation(
        subject=str(data["subject"]),
        kind=kind,
        object=str(data["object"]),
        valid_from=data.get("valid_from"),
        valid_until=data.get("valid_until"),
    )


def _relation_json(relation: Relation) -> dict[str, Any]:
    data = asdict(relation)
    data["kind"] = relation.kind.value
    return {k: (v.isoformat() if isinstance(v, date) else v) for k, v in data.items()}
