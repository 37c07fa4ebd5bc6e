from __future__ import annotations

import pytest

from truceline.agreements.domain import RULES_VERSION, Basis, FindingKind
from truceline.agreements.threat import StaticThreatDefinition

from .factories import NORTH_WAZIRISTAN, PAKTIKA_URGUN, PK_LIST, fact, facts_of, judge, under

TRUCE = "truce-2025-10-15"
EXTENSION = "truce-extension-2025-10-17"
DOHA = "doha-2025-10-19"
ISTANBUL = "istanbul-2025-10-30"


def ttp_attack(**overrides: object) -> dict[str, object]:
    """The suicide attack on a military camp in North Waziristan, 17 October 2025."""
    item = fact(
        id="north-waziristan",
        occurred_at="2025-10-17T09:00:00+05:00",
        location=dict(NORTH_WAZIRISTAN),
        event_type="suicide_bomb",
        perpetrator="TTP",
        attribution=[{"party": "AF", "link": "facilitated", "established": False}],
        targets=["security_forces"],
        fatalities={"security_forces": 7},
    )
    item.update(overrides)
    return item


def test_ttp_attack_during_truce_is_not_a_direct_violation_but_a_spirit_concern() -> None:
    finding = under(judge(ttp_attack()), TRUCE)
    assert finding.finding is FindingKind.SPIRIT_CONCERN
    assert finding.violating_party is None
    assert finding.basis is Basis.NONE
    assert "not established" in finding.explanation
    assert "No clause of this agreement covers a facilitated link by AF" in finding.explanation


def test_established_facilitation_under_the_truce_alone_stays_a_spirit_concern() -> None:
    attribution = [{"party": "AF", "link": "facilitated", "established": True}]
    finding = under(judge(ttp_attack(attribution=attribution)), TRUCE)
    assert finding.finding is FindingKind.SPIRIT_CONCERN
    assert "no-support clause" in finding.explanation


def test_ttp_attack_with_facilitation_established_under_doha_is_an_attributed_violation_by_af() -> (
    None
):
    attack = ttp_attack(
        occurred_at="2025-10-22T09:00:00+05:00",
        attribution=[{"party": "AF", "link": "facilitated", "established": True}],
    )
    finding = under(judge(attack), DOHA)
    assert finding.finding is FindingKind.VIOLATION
    assert finding.violating_party == "AF"
    assert finding.basis is Basis.ATTRIBUTED
    assert finding.clauses == ("no-support-to-groups-attacking-pakistan",)
    assert "asymmetric on purpose" in finding.explanation


def test_unestablished_facilitation_under_doha_is_a_spirit_concern_naming_the_missing_link() -> (
    None
):
    finding = under(judge(ttp_attack(occurred_at="2025-10-22T09:00:00+05:00")), DOHA)
    assert finding.finding is FindingKind.SPIRIT_CONCERN
    assert finding.missing_facts == ("an established facilitated link between TTP and AF",)
    assert "would become a violation by AF" in finding.explanation


def test_paktika_strikes_on_the_evening_of_17_october_are_a_direct_violation_by_pakistan() -> None:
    findings = judge(fact(id="paktika"))
    assert [f.agreement for f in findings] == [EXTENSION]
    finding = findings[0]
    assert finding.finding is FindingKind.VIOLATION
    assert finding.violating_party == "PK"
    assert finding.basis is Basis.DIRECT
    assert finding.clauses == ("cease-hostilities",)
    assert "Clause cease-hostilities" in finding.explanation
    assert "would change only if" in finding.explanation


@pytest.mark.parametrize(
    ("occurred_at", "expected"),
    [
        ("2025-10-15T17:59:00+05:00", [None]),  # the minute before the truce (PKT)
        ("2025-10-15T18:00:00+05:00", [TRUCE]),  # its first minute
        ("2025-10-15T17:29:00+04:30", [None]),  # Afghan time, = 17:59 PKT
        ("2025-10-15T17:30:00+04:30", [TRUCE]),  # Afghan time, = 18:00 PKT
        ("2025-10-15T12:59:59Z", [None]),  # UTC, a second before
        ("2025-10-15T13:00:00+00:00", [TRUCE]),  # UTC, the start
        ("2025-10-17T17:59:00+05:00", [TRUCE]),  # last minute of the first 48 hours
        ("2025-10-17T18:00:00+05:00", [EXTENSION]),  # the extension takes over, no gap
        ("2025-10-17T17:29:00+04:30", [TRUCE]),  # Afghan time, = 17:59 PKT
        ("2025-10-17T17:30:00+04:30", [EXTENSION]),  # Afghan time, = 18:00 PKT
        ("2025-10-19T03:00:00+05:00", [EXTENSION, DOHA]),  # Doha overlaps the extension
        ("2025-10-19T18:00:00+05:00", [DOHA]),  # the extension has ended
        ("2025-10-31T12:00:00Z", [DOHA, ISTANBUL]),  # Istanbul continues Doha
    ],
)
def test_agreements_in_force_are_found_by_instant_whatever_the_offset(
    occurred_at: str, expected: list[str | None]
) -> None:
    findings = judge(fact(occurred_at=occurred_at))
    assert [f.agreement for f in findings] == expected


def test_incident_before_the_truce_is_outside_scope_with_no_agreement() -> None:
    (finding,) = judge(fact(occurred_at="2025-10-12T22:00:00+05:00"))
    assert finding.finding is FindingKind.OUTSIDE_SCOPE
    assert finding.agreement is None
    assert finding.violating_party is None
    assert "No agreement was in force" in finding.explanation


def test_incident_far_from_the_border_region_is_outside_the_clauses_geographic_scope() -> None:
    (finding,) = judge(fact(location={"lat": 25.2, "lon": 55.3}))  # Dubai
    assert finding.agreement == EXTENSION
    assert finding.finding is FindingKind.OUTSIDE_SCOPE


def test_unknown_perpetrator_is_indeterminate_and_names_the_missing_perpetrator() -> None:
    finding = under(judge(fact(perpetrator="unknown", occurred_at="2025-10-22T10:00:00Z")), DOHA)
    assert finding.finding is FindingKind.INDETERMINATE
    assert finding.violating_party is None
    assert finding.clauses == ("no-targeting-civilians",)
    assert finding.missing_facts[0].startswith("perpetrator")
    assert "Missing facts: perpetrator" in finding.explanation


@pytest.mark.parametrize("occurred_at", ["2025-10-16T10:00:00+05:00", "2025-10-25T10:00:00+05:00"])
def test_iskp_attack_is_a_violation_by_neither_party(occurred_at: str) -> None:
    attack = fact(perpetrator="ISKP", event_type="suicide_bomb", targets=["civilians"])
    attack["occurred_at"] = occurred_at
    for finding in judge(attack, PK_LIST):
        assert finding.finding is FindingKind.NO_VIOLATION
        assert finding.violating_party is None
        assert "ISKP is not a party" in finding.explanation


def test_baloch_group_attack_with_no_claimed_link_is_no_violation() -> None:
    attack = fact(
        perpetrator="BLA", location={"lat": 30.18, "lon": 67.0}, targets=["security_forces"]
    )
    attack["occurred_at"] = "2025-10-25T10:00:00+05:00"
    assert under(judge(attack), DOHA).finding is FindingKind.NO_VIOLATION


def test_harbouring_a_baloch_group_depends_on_the_threat_definition() -> None:
    base = fact(
        perpetrator="BLA",
        event_type="headquarters_or_base_established",
        targets=[],
        location={"lat": 31.0, "lon": 65.7},
        occurred_at="2025-10-25T10:00:00+05:00",
        attribution=[{"party": "AF", "link": "sanctioned", "established": True}],
    )
    joint = under(judge(base), DOHA)
    assert joint.finding is FindingKind.INDETERMINATE
    assert "whether BLA counts as a group attacking PK" in joint.missing_facts[0]
    pk = under(judge(base, PK_LIST), DOHA)
    assert (pk.finding, pk.violating_party, pk.basis) == (
        FindingKind.VIOLATION,
        "AF",
        Basis.ATTRIBUTED,
    )
    af_list = StaticThreatDefinition.of("AF's list", {"ISKP"})
    assert under(judge(base, af_list), DOHA).finding is FindingKind.NO_VIOLATION


def test_party_strike_on_militants_across_the_border_during_the_truce_is_an_incursion() -> None:
    strike = fact(targets=["militants", "territory"], occurred_at="2025-10-16T03:00:00+05:00")
    finding = under(judge(strike), TRUCE)
    assert (finding.finding, finding.violating_party, finding.basis) == (
        FindingKind.VIOLATION,
        "PK",
        Basis.DIRECT,
    )
    assert "incursion" in finding.explanation


def test_strike_on_militants_on_the_other_side_under_doha_is_only_a_spirit_concern() -> None:
    strike = fact(
        targets=["militants"],
        location={**PAKTIKA_URGUN, "country": "AF"},
        occurred_at="2025-10-25T03:00:00+05:00",
    )
    finding = under(judge(strike), DOHA)
    assert finding.finding is FindingKind.SPIRIT_CONCERN
    assert "no incursion clause" in finding.explanation


def test_strike_on_militants_without_the_side_of_the_border_is_indeterminate_under_the_truce() -> (
    None
):
    strike = fact(targets=["militants"], occurred_at="2025-10-16T03:00:00+05:00")
    finding = under(judge(strike), TRUCE)
    assert finding.finding is FindingKind.INDETERMINATE
    assert finding.missing_facts[0].startswith("location.country")


def test_strike_on_militants_on_the_partys_own_territory_is_no_violation() -> None:
    strike = fact(
        targets=["militants"],
        location={**NORTH_WAZIRISTAN, "country": "PK"},
        occurred_at="2025-10-16T03:00:00+05:00",
    )
    assert under(judge(strike), TRUCE).finding is FindingKind.NO_VIOLATION


def test_a_party_hitting_its_own_civilians_is_outside_a_bilateral_clause() -> None:
    finding = under(judge(fact(target_party="PK")), EXTENSION)
    assert finding.finding is FindingKind.NO_VIOLATION
    assert "PK's own" in finding.explanation


def test_missing_location_turns_a_violation_into_indeterminate_naming_location() -> None:
    finding = under(judge(fact(location=None)), EXTENSION)
    assert finding.finding is FindingKind.INDETERMINATE
    assert any(m.startswith("location") for m in finding.missing_facts)


def test_tolerated_link_gives_at_most_a_spirit_concern_even_when_established() -> None:
    attack = ttp_attack(
        occurred_at="2025-10-22T09:00:00+05:00",
        attribution=[{"party": "AF", "link": "tolerated", "established": True}],
    )
    assert under(judge(attack), DOHA).finding is FindingKind.SPIRIT_CONCERN


def test_directed_link_engages_the_party_under_the_truce() -> None:
    attack = ttp_attack(attribution=[{"party": "AF", "link": "directed", "established": True}])
    finding = under(judge(attack), TRUCE)
    assert (finding.finding, finding.violating_party, finding.basis) == (
        FindingKind.VIOLATION,
        "AF",
        Basis.ATTRIBUTED,
    )


def test_pakistan_supporting_a_group_attacking_afghanistan_is_not_covered_and_says_why() -> None:
    attack = fact(
        perpetrator="TTA",
        event_type="armed_clash",
        targets=["security_forces"],
        occurred_at="2025-10-25T10:00:00+05:00",
        attribution=[{"party": "PK", "link": "facilitated", "established": True}],
    )
    finding = under(judge(attack), DOHA)
    assert finding.finding is FindingKind.SPIRIT_CONCERN
    assert "binds AF only" in finding.explanation
    assert "asymmetric on purpose" in finding.explanation


def test_findings_record_versions_and_a_hash_that_ignores_the_utc_offset() -> None:
    in_pkt = judge(fact(occurred_at="2025-10-17T21:30:00+05:00"))[0]
    in_utc = judge(fact(occurred_at="2025-10-17T16:30:00Z"))[0]
    in_aft = judge(fact(occurred_at="2025-10-17T21:00:00+04:30"))[0]
    assert in_pkt.facts_hash == in_utc.facts_hash == in_aft.facts_hash
    assert in_pkt.rules_version == RULES_VERSION
    assert in_pkt.agreement_version == 1
    assert judge(fact(targets=["security_forces"]))[0].facts_hash != in_pkt.facts_hash


def test_finding_json_has_the_interface_fields() -> None:
    data = judge(fact())[0].to_json()
    assert {"incident", "agreement", "finding", "violating_party", "clauses", "basis"} <= set(data)
    assert data["incident"] == "incident-1"
    assert isinstance(data["explanation"], str) and data["explanation"]


def test_validated_facts_keep_the_instant_not_the_offset() -> None:
    assert (
        facts_of(fact(occurred_at="2025-10-15T13:00:00Z")).instant
        == facts_of(fact(occurred_at="2025-10-15T18:00:00+05:00")).instant
    )


def test_links_to_both_parties_without_the_side_hit_are_indeterminate() -> None:
    attack = ttp_attack(
        attribution=[
            {"party": "AF", "link": "directed", "established": True},
            {"party": "PK", "link": "directed", "established": True},
        ]
    )
    finding = under(judge(attack), TRUCE)
    assert finding.finding is FindingKind.INDETERMINATE
    assert finding.missing_facts[0].startswith("target_party")
    named = under(judge({**attack, "target_party": "PK"}), TRUCE)
    assert (named.finding, named.violating_party) == (FindingKind.VIOLATION, "AF")
