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


def _km(match: object, lat: float, lon: float) -> float:
    from truceline.geo.border import WGS84

    _, _, metres = WGS84.inv(lon, lat, match.lon, match.lat)  # type: ignore[attr-defined]
    return float(metres) / 1000.0


def test_dasht_area_of_mastung_district_stays_inside_mastung() -> None:
    top = locate("Dasht area of Mastung District")[0]
    assert top.name == "Dasht" and top.admin2 and "Mastung" in top.admin2


def test_orangi_town_is_in_karachi() -> None:
    top = locate("Orangi town")[0]
    assert top.admin2 == "Karachi" and _km(top, 24.86, 67.01) < 25


def test_rustam_village_prefers_the_rustam_near_the_border() -> None:
    top = locate("Rustam village")[0]
    assert top.admin2 == "Mardan" and top.admin1 == "Khyber Pakhtunkhwa"


@pytest.mark.parametrize(
    ("text", "name", "admin1"),
    [
        ("طورخم", "Torkham", "Khyber Pakhtunkhwa"),
        ("برمل", "Barmal", "Paktika"),
        ("باجوړ", "Bajaur agency", "Khyber Pakhtunkhwa"),
        ("باجوڑ", "Bajaur agency", "Khyber Pakhtunkhwa"),
        ("کرم", "Kurram agency", "Khyber Pakhtunkhwa"),
        ("اسعد آباد", "Asadabad", "Kunar"),
    ],
)
def test_script_spellings_find_their_place(text: str, name: str, admin1: str) -> None:
    top = locate(text)[0]
    assert (top.name, top.admin1) == (name, admin1)


def test_barmal_is_the_paktika_district_not_bar_mela() -> None:
    top = locate("Barmal")[0]
    assert (top.name, top.country, top.admin1) == ("Barmal", "AF", "Paktika")
    assert top.place_id.startswith("geoboundaries:AFG-ADM2-17698898:")


def test_angoor_adda_is_the_crossing_before_the_road_point() -> None:
    top = locate("Angoor Adda")[0]
    assert top.kind == "crossing" and top.place_id == "curated:angoor-adda"


@pytest.mark.parametrize(
    ("text", "sector"),
    [
        ("Nakyal sector in the southern Kotli district", "Nakyal sector"),
        ("Chakothi sector", "Chakothi sector"),
        ("a Pakistani post in Lipa sector", "Leepa sector"),
    ],
)
def test_line_of_control_sectors_resolve_to_the_sector(text: str, sector: str) -> None:
    top = locate(text)[0]
    assert top.name == sector and top.admin1 == "Azad Jammu and Kashmir"


def test_the_line_of_control_alone_gives_no_match_rather_than_its_middle() -> None:
    assert locate("across the military Line of Control") == []


def test_a_named_district_restricts_candidates_and_wins_when_none_is_inside() -> None:
    # Every Dasht of the gazetteer lies in Balochistan, none in Bajaur.
    top = locate("Dasht, Bajaur")[0]
    assert top.kind == "district" and top.name == "Bajaur agency"


def test_a_loose_spelling_inside_the_named_district_beats_the_district() -> None:
    # "Loi Sam" is Loe Sam, a town of Bajaur (GED's own spelling).
    top = locate("Loi Sam, Bajaur")[0]
    assert top.name == "Loe Sam" and top.admin2 == "Bajaur agency"


def test_part_of_an_unknown_longer_name_gives_no_confident_match() -> None:
    assert all(m.name != "Dara" for m in locate("Parang Dara"))
    assert locate("Dohi Wadh") == []


def test_a_loose_spelling_is_taken_when_the_named_district_holds_it() -> None:
    # "Makin" meets Makeen only on the loose skeleton; South Waziristan places it.
    best = locate("checkpoint in Makin village of the restive South Waziristan region")[0]
    assert best.name == "Makeen" and best.admin2 == "South Waziristan"


def test_a_loose_spelling_with_one_possible_place_is_taken_alone() -> None:
    assert locate("Gowak areas")[0].name == "Gawak"


def test_a_loose_spelling_with_several_places_and_no_context_gives_no_match() -> None:
    # "Khargi" meets two Afghan places (Qarghayi) on the loose skeleton; nothing places them.
    assert locate("Khargi") == []


def test_the_place_before_a_landmark_wins_over_the_landmark() -> None:
    best = locate("Karmo Wadh and Tartani areas near Kahan, Kohlu district")[0]
    assert best.name == "Tratani"


def test_an_area_word_prefers_the_place_recorded_as_an_area() -> None:
    matches = locate("Sheikhan area")
    assert matches[0].name == "Shaikhan" and matches[0].kind == "area"
    assert matches[0].score > matches[1].score


def test_a_longer_name_on_the_loose_skeleton_beats_a_shorter_exact_name_inside_it() -> None:
    # "Khar Qamar" is Kar Qamar (North Waziristan), not Khar (Bajaur) 275 km away.
    best = locate("Khar Qamar, Dattakhel")[0]
    assert best.name == "Kar Qamar" and best.admin2 == "North Waziristan"


def test_a_direction_a_few_words_before_a_name_makes_it_the_landmark() -> None:
    best = locate("Khuzdar, 180 miles southeast of the province's capital Quetta")[0]
    assert best.name == "Khuzdar"
