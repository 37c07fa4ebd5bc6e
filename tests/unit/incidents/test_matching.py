from __future__ import annotations

from dataclasses import replace

from truceline.incidents.matching import (
    AUTO_LINK_THRESHOLD,
    PROPOSE_THRESHOLD,
    MatchFeatures,
    haversine_km,
    score_match,
)

ALLEGATION = MatchFeatures(
    hours=487_000.0,
    time_precision=0,
    lat=32.93,
    lon=69.17,
    geo_precision=1,
    event_type="air_drone_strike",
    actor="PK",
    texts=("Pakistani aircraft bombed civilian homes in Urgun, killing ten civilians.",),
)
MEDIA = replace(
    ALLEGATION,
    hours=487_001.0,
    lat=32.95,
    lon=69.19,
    texts=("Air strikes hit homes in Urgun; ten civilians were killed.",),
)


def test_same_event_from_two_sources_is_auto_linked_with_every_reason() -> None:
    match = score_match(MEDIA, ALLEGATION)
    assert match is not None and match.score >= AUTO_LINK_THRESHOLD
    assert match.decision == "auto_link"
    reasons = " | ".join(match.reasons)
    assert "km apart" in reasons and "h apart" in reasons
    assert "same event type air_drone_strike" in reasons
    assert "same claimed perpetrator PK" in reasons and "text similarity" in reasons


def test_accounts_further_apart_than_the_tolerance_are_no_candidates() -> None:
    assert score_match(replace(MEDIA, lat=34.5), ALLEGATION) is None
    assert score_match(replace(MEDIA, hours=ALLEGATION.hours + 48), ALLEGATION) is None


def test_coarse_time_precision_widens_the_time_tolerance() -> None:
    two_days_later = replace(MEDIA, hours=ALLEGATION.hours + 40, time_precision=2)
    assert score_match(two_days_later, ALLEGATION) is not None


def test_a_different_event_type_at_the_same_place_and_time_is_not_auto_linked() -> None:
    clash = replace(MEDIA, event_type="peaceful_protest", texts=("Protest in Urgun bazaar",))
    match = score_match(clash, ALLEGATION)
    assert match is not None and match.score < AUTO_LINK_THRESHOLD
    assert any("different event types" in r for r in match.reasons)


def test_unknown_signals_carry_no_weight_either_way() -> None:
    unknown = replace(MEDIA, actor="unknown", event_type=None)
    match = score_match(unknown, ALLEGATION)
    assert match is not None
    assert set(match.components) == {"space", "time", "text"}
    assert "perpetrator not compared: unknown on one side" in match.reasons


def test_texts_in_different_scripts_are_not_compared() -> None:
    pashto = replace(MEDIA, texts=("په ارګون کې پر کورونو هوايي بريد وشو",))
    match = score_match(pashto, ALLEGATION)
    assert match is not None and "text" not in match.components


def test_a_counter_accusation_weakens_but_does_not_veto_a_match() -> None:
    counter = replace(MEDIA, actor="AF")
    match = score_match(counter, ALLEGATION)
    assert match is not None and match.score >= PROPOSE_THRESHOLD


def test_haversine_distance_kabul_to_islamabad() -> None:
    assert 370 < haversine_km(34.53, 69.17, 33.69, 73.06) < 380
