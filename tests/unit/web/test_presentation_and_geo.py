"""Reference layers, border distance, public coarsening and state labels."""

from __future__ import annotations

import json

from truceline.accounts.roles import PUBLIC, Principal, Role
from truceline.web.border_distance import border_distances_km
from truceline.web.map_layers import boundary_layer, provinces_layer
from truceline.web.visibility import coarsen, shown_place

MEDIATOR = Principal(name="m", role=Role.MEDIATOR)


def test_boundary_is_labelled_de_facto_with_its_source() -> None:
    lines = [f for f in boundary_layer()["features"] if f["properties"]["kind"] == "boundary"]
    assert len(lines) == 1
    props = lines[0]["properties"]
    assert props["status"] == "de facto" and props["source"] == "Natural Earth"
    assert "de facto" in props["label"] and "Afghanistan–Pakistan" in props["label"]


def test_layers_are_simplified_for_slow_connections() -> None:
    provinces = provinces_layer()
    assert len(provinces["features"]) == 34
    assert len(json.dumps(provinces, separators=(",", ":"))) < 120_000  # the source is ~450 kB


def test_border_distances_match_known_places() -> None:
    spin_boldak, kabul, karachi = border_distances_km(
        [(30.99, 66.40), (34.53, 69.17), (24.86, 67.0)]
    )
    assert spin_boldak < 15
    assert 60 < kabul < 110
    assert karachi > 400


def test_coarsening_snaps_to_a_stable_cell_centre() -> None:
    assert coarsen(32.93, 69.17) == (32.95, 69.15)
    assert coarsen(32.91, 69.19) == (32.95, 69.15)
    assert coarsen(-0.01, -0.01) == (-0.05, -0.05)


def test_public_sees_coarsened_place_and_staff_the_exact_one() -> None:
    public = shown_place(PUBLIC, 32.93, 69.17, 1)
    staff = shown_place(MEDIATOR, 32.93, 69.17, 1)
    assert public is not None and public.coarsened and public.precision == 2
    assert staff is not None and (staff.lat, staff.lon, staff.coarsened) == (32.93, 69.17, False)
    assert shown_place(PUBLIC, None, 69.0, 1) is None


def test_every_verification_state_has_a_label_and_a_colour() -> None:
    from truceline.verification.domain import State
    from truceline.web.presentation import STATE_COLOURS, STATE_LABELS

    assert set(STATE_LABELS) == set(State) == set(STATE_COLOURS)
