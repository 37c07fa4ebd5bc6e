"""Reading a threat definition from recorded positions: parties, factions, joint list, what-if."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from truceline.agreements.threat import ThreatDefinition
from truceline.designations.domain.positions import JOINT, Position, PositionTimeline, Stance
from truceline.designations.domain.relations import Relation, RelationKind
from truceline.designations.domain.threat_definition import WHAT_IF, RegistryThreatDefinition

DESIGNATED, NOT, UNKNOWN = Stance.DESIGNATED, Stance.NOT_DESIGNATED, Stance.UNKNOWN
POSITIONS = [
    Position("PK", "TTP", DESIGNATED, date(2008, 8, 25), "ATA 1997", "NACTA", id=1),
    Position("AF", "TTP", NOT, date(2021, 8, 15), "denies presence", "statement", id=2),
    Position("PK", "BLA", DESIGNATED, date(2006, 1, 1), "ATA 1997", "NACTA", id=3),
    Position("AF", "ISKP", DESIGNATED, date(2021, 8, 15), "enemy", "statement", id=4),
    Position("PK", "ISKP", DESIGNATED, date(2015, 1, 1), "enemy", "statement", id=5),
    Position("AF", "BLA", UNKNOWN, date(2021, 8, 15), "not public", "none found", id=6),
]
RELATIONS = (Relation("BLA_MB", RelationKind.FACTION_OF, "BLA"),)


def _definition(holder: str, positions: list[Position] = POSITIONS) -> RegistryThreatDefinition:
    return RegistryThreatDefinition(holder, holder, PositionTimeline.build(positions), RELATIONS)


def _at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 12, tzinfo=UTC)


def test_registry_definition_satisfies_the_adjudication_port() -> None:
    definition: ThreatDefinition = _definition("PK")
    assert definition.covers("TTP", at=_at(date(2025, 10, 20))) is True


def test_party_lists_differ_on_the_ttp() -> None:
    at = _at(date(2025, 10, 20))
    assert _definition("PK").covers("TTP", at=at) is True
    assert _definition("AF").covers("TTP", at=at) is False


def test_position_counts_only_from_its_effective_date() -> None:
    assert _definition("PK").covers("TTP", at=_at(date(2008, 8, 24))) is None
    assert _definition("PK").covers("TTP", at=_at(date(2008, 8, 25))) is True


def test_unknown_position_or_no_position_is_silent() -> None:
    at = _at(date(2025, 10, 20))
    assert _definition("AF").covers("BLA", at=at) is None
    assert _definition("AF").covers("LEI", at=at) is None


def test_faction_without_its_own_position_takes_its_parents() -> None:
    reading = _definition("PK").read("BLA_MB", on=date(2025, 10, 20))
    assert reading.covered is True
    assert "as a faction of BLA" in reading.reason


def test_joint_list_follows_concurring_parties_and_is_silent_where_they_differ() -> None:
    joint = _definition(JOINT)
    at = _at(date(2025, 10, 20))
    assert joint.covers("ISKP", at=at) is True
    assert joint.covers("TTP", at=at) is None
    assert "no joint decision on TTP" in joint.read("TTP", on=at.date()).reason


def test_joint_decision_overrides_the_parties_from_its_effective_date() -> None:
    decision = Position(JOINT, "TTP", DESIGNATED, date(2025, 11, 1), "decided", "process 1", id=9)
    joint = _definition(JOINT, [*POSITIONS, decision])
    assert joint.covers("TTP", at=_at(date(2025, 10, 31))) is None
    assert joint.covers("TTP", at=_at(date(2025, 11, 1))) is True


def test_what_if_list_is_complete_and_covers_factions_of_listed_groups() -> None:
    listed = [Position(WHAT_IF, "BLA", DESIGNATED, date.min, "what-if", "what-if")]
    what_if = _definition(WHAT_IF, listed)
    at = _at(date(2025, 10, 20))
    assert what_if.covers("BLA_MB", at=at) is True
    assert what_if.covers("TTP", at=at) is False


def test_naive_instant_is_refused() -> None:
    with pytest.raises(ValueError, match="naive datetime"):
        _definition("PK").covers("TTP", at=datetime(2025, 10, 20))
