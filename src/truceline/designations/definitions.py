"""Threat definitions built from the registry: the port adjudication calls.

``definition_for(session, spec)`` returns a ``ThreatDefinition`` (see
``truceline.agreements.threat``) for ``"AF"``, ``"PK"``, ``"joint"``, or a
what-if list of group ids (``"TTP,ISKP"`` or ``"what-if:TTP,ISKP"``). The
registry is read once, when the definition is built; ``covers`` is then a pure
look-up by date, so replays over many incidents stay fast.

Rules (documented in docs/designations.md):
- a party's list covers a group on a date if that party's position in force is
  ``designated``; ``not_designated`` gives False; ``disputed``/``unknown`` or no
  position gives None;
- a faction with no position of its own (or only ``unknown``) takes its
  parent's, through ``faction_of`` relations in force on that date;
- the joint list uses the mediator's decisions; where no decision exists, it
  follows the two parties if they concur, and is silent (None) otherwise.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy.orm import Session

from truceline.agreements.threat import ThreatDefinition
from truceline.designations.domain.positions import (
    JOINT,
    PARTY_HOLDERS,
    DesignationError,
    Position,
    PositionTimeline,
    Stance,
    covers_of,
)
from truceline.designations.domain.relations import Relation, parents_on
from truceline.designations.repository import load_group_ids, load_positions, load_relations

WHAT_IF = "WHAT-IF"
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


@dataclass(frozen=True)
class Reading:
    """How a definition reads a group on a date, and why (for explanations)."""

    covered: bool | None
    stance: Stance | None
    reason: str


@dataclass(frozen=True)
class RegistryThreatDefinition:
    """A ``ThreatDefinition`` over a snapshot of recorded positions and faction relations."""

    name: str
    holder: str
    timeline: PositionTimeline
    relations: Sequence[Relation] = ()

    def covers(self, group_id: str, *, at: datetime) -> bool | None:
        return self.read(group_id, on=_day_of(at)).covered

    def read(self, group_id: str, *, on: date) -> Reading:
        """The stance in force on ``on`` and the reason, following the rules above."""
        if self.holder != JOINT:
            return self._party_reading(self.holder, group_id, on)
        decided = self._party_reading(JOINT, group_id, on)
        if decided.stance is not None and decided.stance is not Stance.UNKNOWN:
            return decided
        return self._concordance(group_id, on)

    def _party_reading(self, holder: str, group_id: str, on: date) -> Reading:
        own = self.timeline.position_at(holder, group_id, on)
        if own is not None and own.stance is not Stance.UNKNOWN:
            return _reading(own, holder, via=None)
        for parent in parents_on(group_id, self.relations, on):
            inherited = self.timeline.position_at(holder, parent, on)
            if inherited is not None and inherited.stance is not Stance.UNKNOWN:
                return _reading(inherited, holder, via=group_id)
        if own is not None:
            return _reading(own, holder, via=None)
        if holder == WHAT_IF:
            # A what-if list is complete: a group it does not name is not covered.
            return Reading(False, Stance.NOT_DESIGNATED, f"{group_id} is not on the what-if list")
        return Reading(None, None, f"{_label(holder)} records no position on {group_id}")

    def _concordance(self, group_id: str, on: date) -> Reading:
        readings = [self._party_reading(party, group_id, on) for party in PARTY_HOLDERS]
        stances = {r.stance for r in readings}
        if len(stances) == 1 and readings[0].covered is not None:
            word = "designate" if readings[0].covered else "do not designate"
            return Reading(
                readings[0].covered,
                readings[0].stance,
                f"no joint decision on {group_id}; both parties {word} it",
            )
        detail = "; ".join(r.reason for r in readings)
        return Reading(None, Stance.DISPUTED, f"no joint decision on {group_id}; {detail}")


def _reading(position: Position, holder: str, *, via: str | None) -> Reading:
    since = position.effective_from.isoformat()
    subject = position.group_id if via is None else f"{via} (as a faction of {position.group_id})"
    reason = f"{_label(holder)}: {subject} {position.stance.value} since {since}"
    return Reading(covers_of(position.stance), position.stance, reason)


def _label(holder: str) -> str:
    return {JOINT: "joint list", WHAT_IF: "what-if list"}.get(holder, holder)


def _day_of(at: datetime) -> date:
    """Positions take effect by calendar day (UTC), so the instant is read as its UTC date."""
    if at.tzinfo is None:
        raise ValueError(f"naive datetime {at!r}: an instant needs a time zone")
    return at.astimezone(UTC).date()
