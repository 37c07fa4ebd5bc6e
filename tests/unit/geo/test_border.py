from __future__ import annotations

import numpy as np
import pytest
import shapely
from pyproj import Geod

from truceline.geo.border import InvalidCoordinate, border_model, validate_coordinate
from truceline.geo.curated import CROSSING_UNCERTAINTY_KM, CROSSINGS


def test_distance_matches_a_brute_force_geodesic_search_over_a_densified_line() -> None:
    model = border_model()
    geod = Geod(ellps="WGS84")
    lats = np.array([34.5, 33.0, 30.0, 31.5])
    lons = np.array([69.17, 70.07, 67.0, 69.5])
    dense = shapely.get_coordinates(shapely.segmentize(model.line, 0.005))
    for lat, lon, fast in zip(lats, lons, model.boundary_distance_km(lats, lons), strict=True):
        _, _, metres = geod.inv(
            np.full(len(dense), lon), np.full(len(dense), lat), dense[:, 0], dense[:, 1]
        )
        assert fast == pytest.approx(np.min(metres) / 1000, abs=0.3)


def test_sides_of_known_towns() -> None:
    sides = border_model().side(np.array([34.52, 34.01, 25.0]), np.array([69.18, 71.58, 50.0]))
    assert sides == ["AF", "PK", None]  # Kabul, Peshawar, the Gulf


def test_all_34_provinces_with_distinct_iso_codes_and_paktia_paktika_as_in_iso() -> None:
    model = border_model()
    assert len({p.iso_code for p in model.provinces}) == 34
    assert model.province_by_name("Paktika").iso_code == "AF-PKA"  # type: ignore[union-attr]
    assert model.province_by_name("AF-PAN").name == "Panjshir"  # type: ignore[union-attr]


def test_every_crossing_lies_near_the_line() -> None:
    lats = np.array([c.lat for c in CROSSINGS])
    lons = np.array([c.lon for c in CROSSINGS])
    assert (border_model().boundary_distance_km(lats, lons) <= CROSSING_UNCERTAINTY_KM).all()


def test_far_side_of_the_world_still_gets_a_distance() -> None:
    distance = border_model().boundary_distance_km(np.array([-89.0]), np.array([-110.0]))[0]
    assert 12000 < distance < 14000


@pytest.mark.parametrize(
    ("lat", "lon", "named"),
    [
        (90.5, 0, "latitude 90.5"),
        (0, -180.5, "longitude -180.5"),
        (float("nan"), 0, "latitude nan"),
    ],
)
def test_impossible_coordinates_are_refused_naming_the_value(
    lat: float, lon: float, named: str
) -> None:
    with pytest.raises(InvalidCoordinate, match=named):
        validate_coordinate(lat, lon)
