from __future__ import annotations

import pytest

from truceline.events.taxonomy import PlacePrecision
from truceline.geo import locate, locate_many


def test_x_area_of_y_picks_x_inside_y_with_near_precision() -> None:
    best = locate("Datta Khel area of North Waziristan")[0]
    assert best.name == "Datta Khel" and best.admin2 == "North Waziristan"
    assert best.precision == PlacePrecision.NEAR_25KM


def test_near_a_crossing_finds_the_crossing() -> None:
    best = locate("near Torkham border crossing")[0]
    assert (
        best.name == "Torkham"
        and best.kind == "crossing"
        and best.precision == PlacePrecision.NEAR_25KM
    )


def test_check_post_in_a_district_is_located_at_district_precision() -> None:
    best = locate("check post in Kech District")[0]
    assert best.name == "Kech district" and best.admin1 == "Balochistan"
    assert best.precision == PlacePrecision.DISTRICT


@pytest.mark.parametrize("spelling", ["Khost", "Khowst", "Khōst", "KHOST", "خوست"])
def test_spelling_variants_and_pashto_script_find_khost(spelling: str) -> None:
    best = locate(spelling)[0]
    assert best.name == "Khost" and best.country == "AF" and best.precision == PlacePrecision.EXACT


def test_pashto_script_crossing_name() -> None:
    assert locate("تورخم")[0].name == "Torkham"


def test_distance_and_direction_move_the_point() -> None:
    matches = locate("5 km east of Miran Shah")
    assert matches[0].name == "5 km east of Miran Shah"
    assert matches[0].lon > matches[1].lon and matches[0].precision == PlacePrecision.NEAR_25KM


def test_border_area_of_a_district_is_linear_precision() -> None:
    best = locate("border area of Kurram agency")[0]
    assert best.name == "Kurram agency" and best.precision == PlacePrecision.LINEAR_OR_BORDER_AREA


def test_matches_come_best_first_with_scores_in_unit_range() -> None:
    matches = locate("Ziarat village of Datta Khel Tehsil, North Waziristan")
    scores = [m.score for m in matches]
    assert scores == sorted(scores, reverse=True) and all(0.0 <= s <= 1.0 for s in scores)
    assert matches[0].admin2 == "North Waziristan"


def test_text_without_places_and_empty_lines_give_no_match() -> None:
    assert locate("") == [] and locate("   ") == [] and locate("the attack was reported") == []
    assert locate_many(["Khost", "", "Quetta"])[1] == []
