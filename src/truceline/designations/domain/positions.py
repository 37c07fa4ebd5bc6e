"""Positions over time: who holds which stance on a group, from which date.

A position is in force from its ``effective_from`` date until the next
position of the same holder on the same group. Positions are append-only: a
second position on the same date conflicts, unless it explicitly supersedes
the first (a correction). To add a stance, extend ``Stance`` and ``covers_of``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from truceline.errors import CodedError


class Stance(StrEnum):
    """A holder's position on whether a group is subject to collective action."""

    DESIGNATED = "designated"
    NOT_DESIGNATED = "not_designated"
    DISPUTED = "disputed"
    UNKNOWN = "unknown"


#: Holders of positions: the two parties, and the joint list the mechanism decides.
PARTY_HOLDERS = ("AF", "PK")
JOINT = "JOINT"
HOLDERS = (*PARTY_HOLDERS, JOINT)


DATE_PRECISIONS = ("day", "month", "year")


class DesignationError(CodedError, ValueError):
    """Bad input to the registry, with a message naming what is wrong."""

    default_code = "designation_refused"


@dataclass(frozen=True)
class Position:
    """One recorded stance of ``holder`` on ``group_id`` from ``effective_from`` on."""

    holder: str
    group_id: str
    stance: Stance
    effective_from: date
    rationale: str
    source: str
    id: int | None = None
    supersedes_id: int | None = None
    criteria: tuple[str, ...] = field(default_factory=tuple)
    date_precision: str = "day"

    @property
    def since(self) -> str:
        """The effective date as precisely as it is known: ``2008-08-25``, ``2014-08``, ``2006``."""
        iso = self.effective_from.isoformat()
        return {"year": iso[:4], "month": iso[:7]}.get(self.date_precision, iso)


def covers_of(stance: Stance | None) -> bool | None:
    """What a stance means for the ``ThreatDefinition.covers`` question."""
    if stance is Stance.DESIGNATED:
        return True
    if stance is Stance.NOT_DESIGNATED:
        return False
    return None


def check_new_position(new: Position, existing: Iterable[Position]) -> None:
    """Reject a position that lacks a rationale or source, or conflicts with the record."""
    if new.holder not in HOLDERS:
        raise DesignationError(f"holder {new.holder!r}: must be one of {', '.join(HOLDERS)}")
    if not new.rationale.strip():
        raise DesignationError(
            f"position of {new.holder} on {new.group_id}: a rationale is required"
        )
    if new.date_precision not in DATE_PRECISIONS:
        raise DesignationError(
            f"date precision {new.date_precision!r}: must be one of {', '.join(DATE_PRECISIONS)}"
        )
    if not new.source.strip():
        raise DesignationError(f"position of {new.holder} on {new.group_id}: a source is required")
    live = [p for p in in_force_records(existing) if p.holder == new.holder]
    live = [p for p in live if p.group_id == new.group_id]
    for old in live:
        if old.effective_from == new.effective_from and old.id != new.supersedes_id:
            raise DesignationError(
                f"conflicting effective date: {new.holder} already has a position on "
                f"{new.group_id} effective {old.effective_from.isoformat()} "
                f"({old.stance.value}, record {old.id}); to correct it, supersede record {old.id}"
            )


def is_duplicate(new: Position, existing: Iterable[Position]) -> bool:
    """True if the same stance is already recorded on the same date (idempotent seeding)."""
    return any(
        p.holder == new.holder
        and p.group_id == new.group_id
        and p.effective_from == new.effective_from
        and p.stance == new.stance
        and p.rationale == new.rationale
        for p in in_force_records(existing)
    )


def in_force_records(positions: Iterable[Position]) -> list[Position]:
    """The records not superseded by a correction."""
    records = list(positions)
    superseded = {p.supersedes_id for p in records if p.supersedes_id is not None}
    return [p for p in records if p.id is None or p.id not in superseded]


@dataclass(frozen=True)
class PositionTimeline:
    """All positions of all holders, queried by date; built once, then pure look-ups."""

    by_key: dict[tuple[str, str], tuple[Position, ...]]

    @classmethod
    def build(cls, positions: Iterable[Position]) -> PositionTimeline:
        grouped: dict[tuple[str, str], list[Position]] = {}
        for position in in_force_records(positions):
            grouped.setdefault((position.holder, position.group_id), []).append(position)
        return cls(
            {
                key: tuple(sorted(items, key=lambda p: (p.effective_from, p.id or 0)))
                for key, items in grouped.items()
            }
        )

    def position_at(self, holder: str, group_id: str, on: date) -> Position | None:
        """The position of ``holder`` on ``group_id`` in force on ``on``, if any."""
        current = None
        for position in self.by_key.get((holder, group_id), ()):
            if position.effective_from > on:
                break
            current = position
        return current

    def history(self, holder: str, group_id: str) -> Sequence[Position]:
        return self.by_key.get((holder, group_id), ())

    def group_ids(self) -> frozenset[str]:
        return frozenset(group for _, group in self.by_key)
