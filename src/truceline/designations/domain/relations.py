"""Relations between groups over time, and the faction hierarchy they imply.

``faction_of`` builds a hierarchy (the Majeed Brigade is a faction of the BLA):
a faction with no position of its own inherits its parent's. That hierarchy
must stay acyclic at every date, so a new ``faction_of`` relation that would
close a loop is rejected. The other kinds describe, but do not inherit.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from truceline.designations.domain.positions import DesignationError


class RelationKind(StrEnum):
    FACTION_OF = "faction_of"
    SPLINTER_OF = "splinter_of"
    ALLIED_WITH = "allied_with"
    HOSTILE_TO = "hostile_to"


@dataclass(frozen=True)
class Relation:
    """``subject`` is ``kind`` of ``object`` from ``valid_from`` to ``valid_until`` (inclusive)."""

    subject: str
    kind: RelationKind
    object: str
    valid_from: date | None = None
    valid_until: date | None = None

    def holds_on(self, on: date) -> bool:
        starts = self.valid_from is None or self.valid_from <= on
        ends = self.valid_until is None or on <= self.valid_until
        return starts and ends

    def overlaps(self, other: Relation) -> bool:
        lo = max(self.valid_from or date.min, other.valid_from or date.min)
        hi = min(self.valid_until or date.max, other.valid_until or date.max)
        return lo <= hi


def check_new_relation(new: Relation, existing: Iterable[Relation]) -> None:
    """Reject self-relations, inverted periods and ``faction_of`` cycles."""
    if new.subject == new.object:
        raise DesignationError(f"relation {new.kind.value}: {new.subject} cannot relate to itself")
    if new.valid_from and new.valid_until and new.valid_until < new.valid_from:
        raise DesignationError(
            f"relation {new.subject} {new.kind.value} {new.object}: valid_until "
            f"{new.valid_until.isoformat()} is before valid_from {new.valid_from.isoformat()}"
        )
    if new.kind is RelationKind.FACTION_OF:
        cycle = faction_cycle(new, existing)
        if cycle:
            raise DesignationError(
                "cycle in faction_of: "
                + " -> ".join(cycle)
                + " (a group cannot be its own faction)"
            )


def faction_cycle(new: Relation, existing: Iterable[Relation]) -> list[str] | None:
    """The loop that ``new`` would close among overlapping ``faction_of`` relations, if any."""
    edges: dict[str, list[str]] = {}
    for rel in existing:
        if rel.kind is RelationKind.FACTION_OF and rel.overlaps(new):
            edges.setdefault(rel.subject, []).append(rel.object)
    path = _path(new.object, new.subject, edges, seen=set())
    return [new.subject, *path] if path else None


def _path(start: str, goal: str, edges: dict[str, list[str]], seen: set[str]) -> list[str] | None:
    if start == goal:
        return [start]
    seen.add(start)
    for nxt in edges.get(start, []):
        if nxt not in seen:
            rest = _path(nxt, goal, edges, seen)
            if rest:
                return [start, *rest]
    return None


def parents_on(group_id: str, relations: Iterable[Relation], on: date) -> list[str]:
    """The chain of groups ``group_id`` is a faction of on ``on``, nearest first."""
    parent_of = {
        r.subject: r.object
        for r in relations
        if r.kind is RelationKind.FACTION_OF and r.holds_on(on)
    }
    chain: list[str] = []
    current = parent_of.get(group_id)
    while current is not None and current not in chain and current != group_id:
        chain.append(current)
        current = parent_of.get(current)
    return chain
