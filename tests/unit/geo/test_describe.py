from __future__ import annotations

import pytest

from truceline.geo.border import InvalidCoordinate
from truceline.geo.describe import describe_point, describe_points


def test_point_at_torkham_is_on_the_pakistani_side_near_the_line() -> None:
    d = describe_point(34.1063, 71.093)
    assert d.country == "PK" and d.admin1 == "Khyber Pakhtunkhwa" and d.nearest_place == "Torkham"
    assert 1.0 < d.border_distance_km < 5.0


def test_point_in_paktika_gets_its_province_from_the_polygon() -> None:
    d = describe_point(32.93, 69.17)
    assert (d.country, d.admin1, d.admin1_method, d.nearest_place) == (
        "AF",
        "Paktika",
        "polygon",
        "Urgun",
    )


def test_point_outside_both_countries_has_no_side_admin1_or_nearest_place() -> None:
    d = describe_point(35.69, 51.39)
    assert d.country is None and d.admin1 is None and d.nearest_place is None
    assert d.border_distance_km > 1000


def test_batch_gives_the_same_answers_as_single_calls() -> None:
    lats, lons = [34.1063, 32.93, 24.86], [71.093, 69.17, 67.01]
    assert describe_points(lats, lons) == [
        describe_point(a, b) for a, b in zip(lats, lons, strict=True)
    ]


def test_json_has_the_interface_keys_and_names_the_boundary_source() -> None:
    payload = describe_point(33.0, 70.07).as_json()
    assert {"country", "border_distance_km", "admin1", "nearest_place"} <= payload.keys()
    assert "Natural Earth" in payload["boundary"] and "de facto" in payload["boundary"]


def test_batch_with_an_impossible_coordinate_names_it() -> None:
    with pytest.raises(InvalidCoordinate, match="longitude 200"):
        describe_points([33.0, 33.0], [70.0, 200.0])
