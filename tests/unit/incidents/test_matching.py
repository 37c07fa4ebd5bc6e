from __future__ import annotations

from dataclasses import replace

from truceline.incidents.matching import (
    AUTO_LINK_THRESHOLD,
    EVIDENCE,
    PROPOSE_THRESHOLD,
    MatchFeatures,
    haversine_km,
    score_match,
    writing,
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


# A cross-border exchange of fire at Angoor Adda reported by a Pakistani statement, by the
# local press, and in Pashto and Urdu (what reports of one event look like on this border).
FIRED_AT = 490_000.0  # hours since the epoch
ANGOOR_ADDA = MatchFeatures(
    hours=FIRED_AT,
    time_precision=0,
    lat=32.52,
    lon=69.36,
    geo_precision=1,
    event_type="cross_border_fire",
    actor="AF",
    texts=("Afghan forces opened fire across the border at Angoor Adda; two soldiers killed.",),
)
PASHTO_ACCOUNT = "په انګور اډه کې ډزې وشوې، دوه کسان ووژل شول"
URDU_ACCOUNT = "انگور اڈہ میں سرحد پار سے فائرنگ ہوئی، دو فوجی ہلاک ہو گئے"


def test_an_incident_typed_other_because_its_first_report_had_no_type_does_not_count_against_a_typed_report() -> (
    None
):
    opened_untyped = replace(ANGOOR_ADDA, event_type="other", texts=(PASHTO_ACCOUNT,))
    typed = replace(ANGOOR_ADDA, hours=FIRED_AT + 2, lat=32.55)
    match = score_match(typed, opened_untyped)
    assert match is not None and "type" not in match.components
    assert "event type not compared: unknown on one side" in match.reasons
    assert match.decision == "auto_link"


def test_a_type_read_from_the_text_that_disagrees_counts_as_a_related_type_not_a_different_one() -> (
    None
):
    # "attacked a border post" is read as the coarse type `attack`; the source typed nothing.
    read = replace(ANGOOR_ADDA, hours=FIRED_AT + 3, event_type="attack", type_read=True)
    match = score_match(read, ANGOOR_ADDA)
    assert match is not None and match.components["type"] == EVIDENCE["related_type"]
    typed = replace(read, type_read=False)
    typed_match = score_match(typed, ANGOOR_ADDA)
    assert typed_match is not None
    assert typed_match.components["type"] == EVIDENCE["different_type"]
    assert match.score > typed_match.score


def test_pashto_and_urdu_accounts_share_a_script_but_are_not_compared_word_for_word() -> None:
    pashto = replace(ANGOOR_ADDA, texts=(PASHTO_ACCOUNT,))
    urdu = replace(ANGOOR_ADDA, hours=FIRED_AT + 1, texts=(URDU_ACCOUNT,))
    match = score_match(urdu, pashto)
    assert match is not None and "text" not in match.components
    assert (writing(PASHTO_ACCOUNT), writing(URDU_ACCOUNT)) == ("ps", "ur")
    assert writing("در ولسوالی دند پټان درگیری شد") == "ps"  # a Pashto letter (ټ) decides
    assert writing("درگیری مرزی در ننگرهار") == "fa"
    assert writing(ANGOOR_ADDA.texts[0]) == "latin"


def test_two_urdu_accounts_of_one_event_are_still_compared() -> None:
    urdu = replace(ANGOOR_ADDA, texts=(URDU_ACCOUNT,))
    again = replace(urdu, hours=FIRED_AT + 1, texts=("انگور اڈہ میں فائرنگ، دو فوجی ہلاک",))
    match = score_match(again, urdu)
    assert match is not None and match.components["text"] > 0


def test_a_counter_accusation_weighs_less_than_the_same_perpetrator_weighs_for() -> None:
    # Each party routinely names the other for the same exchange of fire.
    counter = replace(ANGOOR_ADDA, hours=FIRED_AT + 2, actor="PK")
    match = score_match(counter, ANGOOR_ADDA)
    assert match is not None and match.decision == "auto_link"
    assert abs(EVIDENCE["different_actor"]) < EVIDENCE["different_type"] * -1 / 4
