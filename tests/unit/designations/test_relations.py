"""Relations over time and the faction hierarchy: cycles are refused."""

from __future__ import annotations

from datetime import date

import pytest

from truceline.designations.domain.positions import DesignationError
from truceline.designations.domain.relations import (
    Relation,
    RelationKind,
    check_new_relation,
    parents_on,
)

FACTION = RelationKind.FACTION_OF


def test_faction_of_that_closes_a_loop_is_rejected_with_the_loop_named() -> None:
    existing = [Relation("BLA_MB", FACTION, "BLA"), Relation("BLA", FACTION, "BRAS")]
    with pytest.raises(
        DesignationError, match="cycle in faction_of: BRAS -> BLA_MB -> BLA -> BRAS"
    ):
        check_new_relation(Relation("BRAS", FACTION, "BLA_MB"), existing)


def test_faction_loop_over_disjoint_periods_is_not_a_cycle() -> None:
    existing = [Relation("JUA", FACTION, "TTP", valid_until=date(2014, 7, 31))]
    check_new_relation(Relation("TTP", FACTION, "JUA", valid_from=date(2014, 8, 1)), existing)


def test_other_kinds_may_be_mutual() -> None:
    existing = [Relation("HGB", RelationKind.ALLIED_WITH, "TTP")]
    check_new_relation(Relation("TTP", RelationKind.ALLIED_WITH, "HGB"), existing)


def test_self_relation_and_inverted_period_are_rejected() -> None:
    with pytest.raises(DesignationError, match="cannot relate to itself"):
        check_new_relation(Relation("TTP", FACTION, "TTP"), [])
    inverted = Relation("JUA", RelationKind.SPLINTER_OF, "TTP", date(2020, 1, 1), date(2014, 1, 1))
    with pytest.raises(DesignationError, match="valid_until 2014-01-01 is before valid_from"):
        check_new_relation(inverted, [])


def test_parents_follow_the_relations_in_force_on_the_date() -> None:
    relations = [
        Relation("JUA", RelationKind.SPLINTER_OF, "TTP", date(2014, 8, 1), date(2020, 7, 31)),
        Relation("JUA", FACTION, "TTP", valid_from=date(2020, 8, 1)),
        Relation("TTP", FACTION, "UMBRELLA"),
    ]
    assert parents_on("JUA", relations, date(2016, 1, 1)) == []
    assert parents_on("JUA", relations, date(2021, 1, 1)) == ["TTP", "UMBRELLA"]
