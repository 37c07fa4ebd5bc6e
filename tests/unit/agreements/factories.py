"""Builders of incident facts and adjudicators shared by the agreements tests."""

from __future__ import annotations

from typing import Any

from truceline.agreements.adjudication import Adjudicator
from truceline.agreements.documents import builtin_index
from truceline.agreements.domain import Finding, IncidentFacts
from truceline.agreements.facts import parse_facts
from truceline.agreements.threat import StaticThreatDefinition, ThreatDefinition

#: The registry's stable group ids, and a joint list that names nobody and leaves the
#: disputed groups undecided: fixed inputs so that these tests do not depend on the seed data.
TEST_GROUP_IDS = frozenset({"TTP", "ISKP", "BLA", "BLF", "HGB", "JUA", "LEI", "TTA"})
TEST_JOINT = StaticThreatDefinition(
    name="the joint list (test fixture)",
    group_ids=frozenset(),
    undecided=frozenset({"TTP", "BLA", "BLF"}),
)

GROUPS = TEST_GROUP_IDS
NORTH_WAZIRISTAN = {"lat": 32.98, "lon": 70.27}
PAKTIKA_URGUN = {"lat": 32.93, "lon": 69.17}
PK_LIST = StaticThreatDefinition.of("PK's list", {"TTP", "ISKP", "BLA", "BLF", "JUA", "HGB"})


def fact(**overrides: Any) -> dict[str, Any]:
    """A valid incident-facts object: a PK air strike on civilians during the extension."""
    base: dict[str, Any] = {
        "id": "incident-1",
        "occurred_at": "2025-10-17T21:30:00+05:00",
        "location": dict(PAKTIKA_URGUN),
        "event_type": "air_drone_strike",
        "perpetrator": "PK",
        "attribution": [],
        "targets": ["civilians"],
        "fatalities": {"civilians": 10},
    }
    base.update(overrides)
    return base


def facts_of(item: dict[str, Any]) -> IncidentFacts:
    accepted, errors = parse_facts([item], known_groups=GROUPS)
    assert not errors, errors
    return accepted[0]


def judge(item: dict[str, Any], definition: ThreatDefinition = TEST_JOINT) -> list[Finding]:
    adjudicator = Adjudicator(builtin_index(), definition=definition, known_groups=GROUPS)
    return adjudicator.adjudicate(facts_of(item))


def under(findings: list[Finding], agreement: str | None) -> Finding:
    matches = [f for f in findings if f.agreement == agreement]
    assert len(matches) == 1, [(f.agreement, f.finding) for f in findings]
    return matches[0]
