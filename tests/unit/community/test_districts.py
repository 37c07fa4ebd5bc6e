"""The border district registry: computed from geography, curated rows checked against it."""

from __future__ import annotations

import pytest

from truceline.community.districts import (
    CuratedDistrict,
    InconsistentDistrict,
    build_registry,
)
from truceline.geo.gazetteer import default_gazetteer


@pytest.fixture(scope="module")
def registry() -> dict[str, object]:
    return {d.name: d for d in build_registry(default_gazetteer())}


@pytest.mark.parametrize(
    "name",
    ["Spin Boldak", "Barmal", "Urgun", "Dand-e-Patan", "Khost (Matun)", "Gurbuz", "Tani",
     "Asadabad", "Dangam", "Momand Dara", "Chaman", "Kurram agency", "North Waziristan",
     "South Waziristan", "Bajaur agency", "Khyber agency", "Mohmand agency", "Zhob district"],
)  # fmt: skip
def test_the_examples_of_the_issue_are_border_districts(registry: dict, name: str) -> None:
    assert name in registry


def test_pakistani_districts_are_computed_from_the_gazetteer_within_the_distance(
    registry: dict,
) -> None:
    kurram = registry["Kurram agency"]
    assert kurram.origin == "computed" and kurram.gazetteer_id == "ged-adm2:Kurram agency"
    assert kurram.border_distance_km <= 50
    assert "Lahore district" not in registry


def test_a_smaller_distance_keeps_fewer_districts() -> None:
    near = build_registry(default_gazetteer(), max_km=20, curated=())
    far = build_registry(default_gazetteer(), max_km=50, curated=())
    assert {d.key for d in near} < {d.key for d in far}
    assert all(d.border_distance_km <= 20 for d in near)


def test_crossings_belong_to_a_district_on_each_side(registry: dict) -> None:
    assert "Torkham" in registry["Khyber agency"].crossings
    assert "Torkham" in registry["Momand Dara"].crossings
    gate = "Friendship Gate (Chaman–Spin Boldak)"
    assert gate in registry["Chaman"].crossings and gate in registry["Spin Boldak"].crossings
    assert "Angoor Adda" in registry["Barmal"].crossings


def test_curated_districts_link_to_the_gazetteer_where_it_knows_the_seat(registry: dict) -> None:
    assert registry["Spin Boldak"].gazetteer_id == "geonames:1123906"
    assert registry["Khost (Matun)"].gazetteer_id != "admin1:AF-KHO"  # a town, not the province


def test_a_curated_district_on_the_wrong_side_is_refused() -> None:
    wrong = CuratedDistrict("Nowhere", "AF", "Kunar", 34.0, 71.5, ())  # Peshawar valley: PK
    with pytest.raises(InconsistentDistrict, match="Nowhere: its centre lies in PK"):
        build_registry(default_gazetteer(), curated=[wrong])


def test_a_curated_district_in_another_province_is_refused() -> None:
    wrong = CuratedDistrict("Misplaced", "AF", "Kandahar", 34.87, 71.15, ())  # Asadabad
    with pytest.raises(InconsistentDistrict, match="province Kunar, not Kandahar"):
        build_registry(default_gazetteer(), curated=[wrong])
