"""A threat definition read from recorded positions: the pure half of ``definitions``.

Rules (documented in docs/designations.md):
- a party's list covers a group on a date if that party's position in force is
  ``designated``; ``not_designated`` gives False; ``disputed``/``unknown`` or no
  position gives None;
- a faction with no position of its own (or only ``unknown``) takes its
  parent's, through ``faction_of`` relations in force on that date;
- the joint list uses the mediator's decisions; where no decision exists, it
  follows the two parties if they concur, and is silent (None) otherwise;
- a what-if list is complete: a group it does not name is not covered.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from truceline.designations.domain.positions import (
    JOINT,
    PARTY_HOLDERS,
    Position,
    PositionTimeline,
    Stance,
    covers_of,
)
from truceline.designations.domain.relations import Relation, parents_on

WHAT_IF = "WHAT-IF"


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
    # Readings are pure in (group, day), and replays ask the same few millions of times.
    _memo: dict[tuple[str, date], Reading] = field(
        default_factory=dict, compare=False, hash=False, repr=False
    )

    def covers(self, group_id: str, *, at: datetime) -> bool | None:
        return self.read(group_id, on=_day_of(at)).covered

    def read(self, group_id: str, *, on: date) -> Reading:
        """The stance in force on ``on`` and the reason, following the rules above."""
        key = (group_id, on)
        reading = self._memo.get(key)
        if reading is None:
            reading = self._memo[key] = self._read(group_id, on)
        return reading

    def _read(self, group_id: str, on: date) -> Reading:
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
            word = "designate it" if readings[0].covered else "leave it undesignated"
            return Reading(
                readings[0].covered,
                readings[0].stance,
                f"no joint decision on {group_id}; both parties {word}",
            )
        detail = "; ".join(r.reason for r in readings)
        return Reading(None, Stance.DISPUTED, f"no joint decision on {group_id}; {detail}")


def _reading(position: Position, holder: str, *, via: str | None) -> Reading:
    since = position.since
    subject = position.group_id if via is None else f"{via} (as a faction of {position.group_id})"
    reason = f"{_label(holder)}: {subject} {position.stance.value} since {since}"
    return Reading(covers_of(position.stance), position.stance, reason)


def _label(holder: str) -> str:
    return {JOINT: "joint list", WHAT_IF: "what-if list"}.get(holder, holder)


def _day_of(at: datetime) -> date:
    """Positions take effect by calendar day (UTC), so the instant is read as its UTC date."""
    if at.tzinfo is None:
        raise ValueError(f"naive datetime {at!r}: an instant needs a time zone")
    if at.utcoffset() == _ZERO:
        return at.date()
    return at.astimezone(UTC).date()


_ZERO = timedelta(0)
