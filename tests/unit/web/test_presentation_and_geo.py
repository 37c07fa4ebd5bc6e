"""Reference layers as the dashboard map gets them, public coarsening and state labels."""

from __future__ import annotations

from fastapi.testclient import TestClient

from truceline.accounts.roles import PUBLIC, Principal, Role
from truceline.app import create_app
from truceline.config import get_settings
from truceline.geo.coarsening import coarsen as grid_centre
from truceline.incidents.pages.visibility import coarsen, public_margin_degrees, shown_place

MEDIATOR = Principal(name="m", role=Role.MEDIATOR)
LIAISON = Principal(name="l", role=Role.PARTY_LIAISON, party="AF")
COMMUNITY = Principal(name="c", role=Role.COMMUNITY_LIAISON)


def test_the_map_boundary_is_geos_layer_labelled_de_facto_with_its_source() -> None:
    response = TestClient(create_app()).get("/api/map/boundary")
    assert response.headers["cache-control"] == "public, max-age=86400"
    lines = [f for f in response.json()["features"] if f["properties"]["kind"] == "boundary"]
    assert len(lines) == 1
    props = lines[0]["properties"]
    assert props["status"] == "de facto" and props["de_facto"] is True
    assert "Natural Earth" in response.json()["attribution"]
    assert "de facto" in props["label"] and "Afghanistan–Pakistan" in props["label"]


def test_map_layers_are_geos_light_layers_small_enough_for_slow_connections() -> None:
    client = TestClient(create_app())
    provinces = client.get("/api/map/provinces")
    assert provinces.text == client.get("/api/geo/layers/provinces.geojson?detail=light").text
    assert len(provinces.json()["features"]) == 34
    assert len(provinces.content) < 120_000  # the full layer is ~450 kB
    full = client.get("/api/geo/layers/provinces.geojson")
    assert len(full.content) > 3 * len(provinces.content)


def test_public_places_use_the_installations_grid() -> None:
    precision = get_settings().public_location_precision_km
    assert coarsen(32.93, 69.17) == grid_centre(32.93, 69.17, precision)
    assert coarsen(32.9301, 69.1702) == coarsen(32.9302, 69.1701)
    lat, lon = coarsen(32.93, 69.17)
    assert abs(lat - 32.93) < public_margin_degrees() and abs(lon - 69.17) < public_margin_degrees()


def test_public_sees_coarsened_place_and_staff_the_exact_one() -> None:
    public = shown_place(PUBLIC, 32.93, 69.17, 1)
    staff = shown_place(MEDIATOR, 32.93, 69.17, 1)
    assert public is not None and public.coarsened and public.precision == 2
    assert staff is not None and (staff.lat, staff.lon, staff.coarsened) == (32.93, 69.17, False)
    assert shown_place(PUBLIC, None, 69.0, 1) is None


def test_the_policy_decides_who_sees_exact_places() -> None:
    liaison = shown_place(LIAISON, 32.93, 69.17, 1)
    community = shown_place(COMMUNITY, 32.93, 69.17, 1)
    assert liaison is not None and not liaison.coarsened
    assert community is not None and community.coarsened


def test_every_verification_state_has_a_label_and_a_colour() -> None:
    from truceline.verification.domain import State
    from truceline.verification.pages.labels import STATE_COLOURS, STATE_LABELS

    assert set(STATE_LABELS) == set(State) == set(STATE_COLOURS)
