"""Threat definitions built from the registry: the port adjudication calls.

``definition_for(session, spec)`` returns a ``ThreatDefinition`` (see
``truceline.agreements.threat``) for ``"AF"``, ``"PK"``, ``"joint"``, or a
what-if list of group ids (``"TTP,ISKP"`` or ``"what-if:TTP,ISKP"``). The
registry is read once, when the definition is built; ``covers`` is then a pure
look-up by date, so replays over many incidents stay fast.

The reading rules live in ``domain.threat_definition``.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

from sqlalchemy.orm import Session

from truceline.agreements.threat import ThreatDefinition
from truceline.designations.domain.positions import (
    JOINT,
    PARTY_HOLDERS,
    DesignationError,
    Position,
    PositionTimeline,
    Stance,
)
from truceline.designations.domain.threat_definition import WHAT_IF, RegistryThreatDefinition
from truceline.designations.repository import load_group_ids, load_positions, load_relations

WHAT_IF_PREFIX = "what-if:"


def known_group_ids(session: Session) -> frozenset[str]:
    """Every armed-group id in the registry (perpetrators that are neither party nor unknown)."""
    return load_group_ids(session)


def definition_for(session: Session, spec: str) -> ThreatDefinition:
    """The definition named by ``spec``: ``AF``, ``PK``, ``joint`` or a what-if list of ids."""
    cleaned = spec.strip()
    if cleaned.upper() in PARTY_HOLDERS:
        return _registry_definition(session, cleaned.upper(), f"{cleaned.upper()}'s list")
    if cleaned.upper() == JOINT:
        return _registry_definition(session, JOINT, "the joint list")
    ids = cleaned.removeprefix(WHAT_IF_PREFIX).split(",")
    return what_if_definition(session, [i for i in ids if i.strip()])


def what_if_definition(
    session: Session,
    designated: Collection[str],
    *,
    disputed: Collection[str] = (),
    name: str | None = None,
) -> RegistryThreatDefinition:
    """A complete hypothetical list: listed groups are covered, every other known group is not."""
    known = known_group_ids(session)
    wanted = {g.strip().upper() for g in designated} | {g.strip().upper() for g in disputed}
    unknown = sorted(wanted - known)
    if unknown:
        raise DesignationError(
            f"unknown group id(s) in what-if list: {', '.join(unknown)}; "
            f"known ids: {', '.join(sorted(known))}"
        )
    chosen = {g.strip().upper() for g in designated}
    undecided = {g.strip().upper() for g in disputed}
    positions = [_hypothetical(g, undecided) for g in sorted(chosen | undecided)]
    label = name or "what-if list [" + ", ".join(sorted(chosen)) + "]"
    return RegistryThreatDefinition(
        name=label,
        holder=WHAT_IF,
        timeline=PositionTimeline.build(positions),
        relations=tuple(load_relations(session)),
    )


def _hypothetical(group_id: str, undecided: set[str]) -> Position:
    stance = Stance.DISPUTED if group_id in undecided else Stance.DESIGNATED
    return Position(WHAT_IF, group_id, stance, date.min, "what-if list", "what-if list")


def _registry_definition(session: Session, holder: str, name: str) -> RegistryThreatDefinition:
    return RegistryThreatDefinition(
        name=name,
        holder=holder,
        timeline=PositionTimeline.build(load_positions(session)),
        relations=tuple(load_relations(session)),
    )
