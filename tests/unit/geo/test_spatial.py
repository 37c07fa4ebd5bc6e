"""Contract tests: the spatial queries give identical answers on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine, text

from truceline.db.engine import transaction
from truceline.geo.spatial import (
    incidents_in_bbox,
    incidents_in_province,
    incidents_near_boundary,
    incidents_on_side,
)
from truceline.incidents.models import Incident

# code -> (lat, lon); distances to the Natural Earth line measured with pyproj.Geod
POINTS = {
    "torkham-pk": (34.1063, 71.093),  # PK, ~2.5 km from the line
    "spin-boldak-af": (30.99, 66.418),  # AF (Kandahar), ~4.4 km
    "miran-shah-pk": (33.0, 70.07),  # PK, ~15.7 km
    "urgun-af": (32.93, 69.17),  # AF (Paktika), ~26 km
    "kabul-af": (34.5, 69.17),  # AF (Kabul), ~84 km
    "karachi-pk": (24.86, 67.01),  # PK, ~552 km
    "tehran": (35.69, 51.39),  # neither side
}


def _add_incidents(engine: Engine, points: dict[str, tuple[float, float] | None]) -> dict[str, int]:
    ids = {}
    with transaction(engine) as session:
        for code, point in points.items():
            lat, lon = point if point else (None, None)
            incident = Incident(
                code=code,
                occurred_at=datetime(2025, 10, 17, tzinfo=UTC),
                event_type="armed_clash",
                lat=lat,
                lon=lon,
            )
            session.add(incident)
            session.flush()
            ids[code] = incident.id
    return ids


def _codes(ids: dict[str, int], found: list[int]) -> set[str]:
    by_id = {v: k for k, v in ids.items()}
    return {by_id[i] for i in found}


@pytest.fixture
def placed(engine: Engine) -> dict[str, int]:
    return _add_incidents(engine, {**POINTS, "no-location": None})


def test_bbox_keeps_points_inside_and_on_the_edges(engine: Engine, placed: dict[str, int]) -> None:
    with transaction(engine) as session:
        found = incidents_in_bbox(session, south=30.99, west=66.418, north=34.1063, east=71.093)
    assert _codes(placed, found) == {"torkham-pk", "spin-boldak-af", "miran-shah-pk", "urgun-af"}


def test_bbox_just_outside_a_point_leaves_it_out(engine: Engine, placed: dict[str, int]) -> None:
    with transaction(engine) as session:
        found = incidents_in_bbox(session, south=30.99001, west=60.0, north=31.0, east=67.0)
    assert found == []


@pytest.mark.parametrize(
    ("km", "expected"),
    [
        (3.0, {"torkham-pk"}),
        (5.0, {"torkham-pk", "spin-boldak-af"}),
        (20.0, {"torkham-pk", "spin-boldak-af", "miran-shah-pk"}),
        (30.0, {"torkham-pk", "spin-boldak-af", "miran-shah-pk", "urgun-af"}),
        (100.0, {"torkham-pk", "spin-boldak-af", "miran-shah-pk", "urgun-af", "kabul-af"}),
    ],
)
def test_within_km_of_the_boundary(
    engine: Engine, placed: dict[str, int], km: float, expected: set[str]
) -> None:
    with transaction(engine) as session:
        assert _codes(placed, incidents_near_boundary(session, km)) == expected


def test_side_of_the_boundary(engine: Engine, placed: dict[str, int]) -> None:
    with transaction(engine) as session:
        afghan = _codes(placed, incidents_on_side(session, "AF"))
        pakistani = _codes(placed, incidents_on_side(session, "PK"))
    assert afghan == {"spin-boldak-af", "urgun-af", "kabul-af"}
    assert pakistani == {"torkham-pk", "miran-shah-pk", "karachi-pk"}


@pytest.mark.parametrize(
    ("province", "expected"), [("Paktika", {"urgun-af"}), ("AF-KAN", {"spin-boldak-af"})]
)
def test_afghan_province_by_name_or_iso_code(
    engine: Engine, placed: dict[str, int], province: str, expected: set[str]
) -> None:
    with transaction(engine) as session:
        assert _codes(placed, incidents_in_province(session, province)) == expected


def test_index_follows_updates_and_deletes(engine: Engine, placed: dict[str, int]) -> None:
    with transaction(engine) as session:
        moved = session.get(Incident, placed["karachi-pk"])
        assert moved is not None
        moved.lat, moved.lon = 34.10, 71.09
        gone = session.get(Incident, placed["torkham-pk"])
        session.delete(gone)
    with transaction(engine) as session:
        assert _codes(placed, incidents_near_boundary(session, 3.0)) == {"karachi-pk"}


def test_index_is_filled_by_the_migration_for_every_located_incident(
    engine: Engine, placed: dict[str, int]
) -> None:
    table = (
        "incidents_rtree" if engine.dialect.name == "sqlite" else "incidents WHERE geog IS NOT NULL"
    )
    with engine.connect() as conn:
        assert conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one() == len(POINTS)


def test_unknown_province_and_side_are_refused(engine: Engine) -> None:
    with transaction(engine) as session:
        with pytest.raises(ValueError, match="unknown Afghan province 'Atlantis'"):
            incidents_in_province(session, "Atlantis")
        with pytest.raises(ValueError, match="side 'IN'"):
            incidents_on_side(session, "IN")
        with pytest.raises(ValueError, match="empty box"):
            incidents_in_bbox(session, south=35, west=60, north=30, east=70)
