"""Symmetry between the parties, as a property over generated incidents.

Swap AF and PK everywhere in an incident (perpetrator, links, target party,
country). Under clauses that bind both parties alike the finding is mirrored;
where it is not, the agreement is asymmetric on purpose and the explanation
says so.
"""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from truceline.agreements.adjudication import Adjudicator
from truceline.agreements.documents import builtin_index
from truceline.agreements.domain import Finding

from .factories import GROUPS, PK_LIST, TEST_JOINT, facts_of, judge

SWAP = {"AF": "PK", "PK": "AF"}
INSTANTS = [
    "2025-10-14T12:00:00+05:00",
    "2025-10-16T10:00:00+05:00",
    "2025-10-16T10:00:00+04:30",
    "2025-10-18T10:00:00Z",
    "2025-10-19T04:00:00+05:00",
    "2025-10-25T10:00:00+05:00",
    "2025-11-02T10:00:00+04:30",
]
EVENT_TYPES = [
    "air_drone_strike",
    "suicide_bomb",
    "armed_clash",
    "shelling_artillery_missile_attack",
    "incursion",
    "headquarters_or_base_established",
    "peaceful_protest",
]
PERPETRATORS = ["AF", "PK", "TTP", "ISKP", "BLA", "HGB", "unknown"]
TARGETS = ["security_forces", "civilians", "critical_infrastructure", "territory", "militants"]

attributions = st.lists(
    st.fixed_dictionaries(
        {
            "party": st.sampled_from(["AF", "PK"]),
            "link": st.sampled_from(["directed", "facilitated", "sanctioned", "tolerated", "none"]),
            "established": st.booleans(),
        }
    ),
    max_size=2,
)
incidents = st.fixed_dictionaries(
    {
        "id": st.just("generated"),
        "occurred_at": st.sampled_from(INSTANTS),
        "location": st.one_of(
            st.none(),
            st.fixed_dictionaries(
                {"lat": st.floats(29.0, 37.0), "lon": st.floats(61.0, 74.0)},
                optional={"country": st.sampled_from(["AF", "PK"])},
            ),
        ),
        "event_type": st.sampled_from(EVENT_TYPES),
        "perpetrator": st.sampled_from(PERPETRATORS),
        "attribution": attributions,
        "targets": st.lists(st.sampled_from(TARGETS), max_size=3, unique=True),
    },
    optional={"target_party": st.sampled_from(["AF", "PK"])},
)


def swapped(item: dict[str, Any]) -> dict[str, Any]:
    mirror = dict(item)
    mirror["perpetrator"] = SWAP.get(item["perpetrator"], item["perpetrator"])
    mirror["attribution"] = [{**a, "party": SWAP[a["party"]]} for a in item["attribution"]]
    if "target_party" in item:
        mirror["target_party"] = SWAP[item["target_party"]]
    if item["location"] and "country" in item["location"]:
        mirror["location"] = {**item["location"], "country": SWAP[item["location"]["country"]]}
    return mirror


def is_mirror(one: Finding, other: Finding) -> bool:
    return (
        one.agreement == other.agreement
        and one.finding == other.finding
        and SWAP.get(one.violating_party or "") == other.violating_party
        and one.basis == other.basis
        and one.clauses == other.clauses
    )


@settings(max_examples=400, deadline=None)
@given(incidents, st.booleans())
def test_swapping_the_parties_mirrors_the_finding_unless_the_agreement_says_it_is_asymmetric(
    item: dict[str, Any], pk_list: bool
) -> None:
    definition = PK_LIST if pk_list else None
    original = judge(item, definition) if definition else judge(item)
    mirrored = judge(swapped(item), definition) if definition else judge(swapped(item))
    assert [f.agreement for f in original] == [f.agreement for f in mirrored]
    for one, other in zip(original, mirrored, strict=True):
        if is_mirror(one, other):
            continue
        assert "asymmetric on purpose" in one.explanation + other.explanation, (one, other)


@settings(max_examples=200, deadline=None)
@given(incidents.filter(lambda i: i["occurred_at"] < "2025-10-19"))
def test_under_the_symmetric_truce_every_finding_is_mirrored(item: dict[str, Any]) -> None:
    for one, other in zip(judge(item), judge(swapped(item)), strict=True):
        assert is_mirror(one, other), (one, other)


@settings(max_examples=100, deadline=None)
@given(st.lists(incidents, min_size=1, max_size=20))
def test_memoised_decisions_equal_fresh_ones(items: list[dict[str, Any]]) -> None:
    shared = Adjudicator(builtin_index(), definition=TEST_JOINT, known_groups=GROUPS)
    for number, item in enumerate(items):
        item = {**item, "id": f"i{number}"}
        assert shared.adjudicate(facts_of(item)) == judge(item)
