"""The map at scale: clusters counted by the database for wide, full views; points when zoomed in."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from support_web import crowd_rows
from truceline.accounts.roles import PUBLIC
from truceline.db.engine import transaction
from truceline.exchange.bulk import bulk_insert
from truceline.incidents.models import Incident
from truceline.web.map_clusters import POINTS_MAX, POINTS_ZOOM, cell_degrees

MANY = 2 * POINTS_MAX + 100  # the public (released: half) still passes POINTS_MAX
WIDE = "bbox=60,24,75,38"


@pytest.fixture
def crowded(seeded: Engine) -> Engine:
    with transaction(seeded) as session:
        table: Any = Incident.__table__
        bulk_insert(session, table, crowd_rows(MANY))
    return seeded


@pytest.fixture
def crowded_as(
    crowded: Engine, as_role: Callable[[str | None], TestClient]
) -> Callable[..., TestClient]:
    return as_role


def test_a_wide_full_view_gets_clusters_whose_counts_add_up_to_the_incidents_in_view(
    crowded_as: Callable[..., TestClient],
) -> None:
    mediator = crowded_as("mediator")
    data = mediator.get(f"/api/map/incidents?{WIDE}&zoom=6").json()
    assert data["clustered"] is True
    points = mediator.get(f"/api/map/incidents?{WIDE}").json()  # no zoom: points, as before
    assert data["total"] == points["total"] == MANY + 5  # with the five web test incidents
    assert all(f["properties"]["cluster"] for f in data["features"])
    assert sum(f["properties"]["count"] for f in data["features"]) == data["total"]
    assert 1 < len(data["features"]) < 60


def test_zoomed_in_the_map_gets_points_even_where_incidents_are_many(
    crowded_as: Callable[..., TestClient],
) -> None:
    mediator = crowded_as("mediator")
    data = mediator.get(f"/api/map/incidents?{WIDE}&zoom={POINTS_ZOOM}").json()
    assert data["clustered"] is False
    assert len(data["features"]) == data["total"] == MANY + 5
    assert all("code" in f["properties"] for f in data["features"])


def test_a_wide_view_with_few_incidents_gets_points(mediator: TestClient) -> None:
    data = mediator.get(f"/api/map/incidents?{WIDE}&zoom=5").json()
    assert data["clustered"] is False and data["total"] == 5


def test_public_clusters_count_released_incidents_at_cell_centres(
    crowded_as: Callable[..., TestClient],
) -> None:
    public = crowded_as(None)
    data = public.get(f"/api/map/incidents?{WIDE}&zoom=7").json()
    assert data["clustered"] is True
    assert data["total"] == MANY // 2 + 2  # released only, with TL-0001 and TL-0003
    size = cell_degrees(7, PUBLIC)
    for feature in data["features"]:
        lon, lat = feature["geometry"]["coordinates"]
        # the centre of a cell of the grid anchored at (-90, -180), not a mean of exact points
        assert abs((lat + 90) / size % 1 - 0.5) < 1e-3 and abs((lon + 180) / size % 1 - 0.5) < 1e-3


def test_the_map_does_not_read_every_match_for_a_full_view(
    crowded: Engine, as_role: Callable[..., TestClient], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("truceline.web.map_api.MAP_LIMIT", 50)
    loaded: list[int] = []
    from sqlalchemy import event

    def count(target: Incident, _context: object) -> None:
        loaded.append(target.id)

    event.listen(Incident, "load", count)
    try:
        data = as_role("mediator").get(f"/api/map/incidents?{WIDE}").json()
    finally:
        event.remove(Incident, "load", count)
    assert data["truncated"] is True and data["total"] == MANY + 5 and len(data["features"]) == 50
    assert len(loaded) <= 50 + 5


def test_a_period_and_a_box_are_searched_on_the_time_index(sqlite_engine: Engine) -> None:
    """SQLite chose the lat/lon index for the map's wide box and read every incident in it."""
    from datetime import date

    from sqlalchemy.orm import Session

    from truceline.web.incident_queries import IncidentFilters, visible_incidents_statement

    filters = IncidentFilters(
        date_from=date(2025, 10, 1), date_to=date(2025, 10, 31), bbox=(60.0, 24.0, 75.0, 38.0)
    )
    with Session(sqlite_engine) as session:
        stmt = visible_incidents_statement(session, filters, PUBLIC)
        compiled = stmt.compile(sqlite_engine, compile_kwargs={"literal_binds": True})
        plan = session.connection().exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}").all()
    details = " ".join(str(row[-1]) for row in plan)
    assert "ix_incidents_occurred_at" in details and "ix_incidents_lat_lon" not in details


def test_public_clusters_group_by_the_published_point_so_a_grid_cell_is_never_split(
    seeded: Engine, as_role: Callable[..., TestClient], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two incidents of one public grid cell, on either side of a cluster edge, count together.

    Grouped by their exact points, they fell in two clusters, and the counts told the
    public on which side of the edge each happened: more than the coarsened point says.
    """
    import math

    from truceline.incidents.pages.visibility import coarsen as public_point

    size = cell_degrees(7, PUBLIC)
    edge = -180.0 + math.ceil(250.0 / size) * size  # the first cluster edge east of 70 E
    lat = 33.3
    west, east = (lat, edge - 1e-4), (lat, edge + 1e-4)
    assert public_point(*west) == public_point(*east)  # one grid cell...
    rows = crowd_rows(2, first_id=90_000)
    for row, (row_lat, row_lon) in zip(rows, (west, east), strict=True):
        row.update(lat=row_lat, lon=row_lon, released=True)
    with transaction(seeded) as session:
        table: Any = Incident.__table__
        bulk_insert(session, table, rows)
    monkeypatch.setattr("truceline.web.map_clusters.POINTS_MAX", 1)
    box = f"bbox={edge - 0.5},{lat - 0.5},{edge + 0.5},{lat + 0.5}"
    data = as_role(None).get(f"/api/map/incidents?{box}&zoom=7").json()
    assert data["clustered"] is True
    assert [f["properties"]["count"] for f in data["features"]] == [2]  # ...one cluster


def test_the_clusters_of_a_period_are_counted_from_the_summary_index_alone(
    sqlite_engine: Engine,
) -> None:
    """Reading each incident's row for its place cost 0.05 s per query at 1,000,000."""
    from datetime import date

    from sqlalchemy import event
    from sqlalchemy.orm import Session

    from truceline.accounts.roles import Principal, Role
    from truceline.web.incident_queries import IncidentFilters
    from truceline.web.map_clusters import cluster_features, count_in_view

    filters = IncidentFilters(
        date_from=date(2025, 10, 1), date_to=date(2025, 10, 31), bbox=(60.0, 24.0, 75.0, 38.0)
    )
    statements: list[tuple[str, Any]] = []

    def note(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        statements.append((statement, parameters))

    event.listen(sqlite_engine, "before_cursor_execute", note)
    try:
        for principal in (Principal(name="m", role=Role.MEDIATOR), PUBLIC):
            with Session(sqlite_engine) as session:
                count_in_view(session, filters, principal)
                cluster_features(session, filters, principal, 5.5)
    finally:
        event.remove(sqlite_engine, "before_cursor_execute", note)
    assert len(statements) == 4
    with sqlite_engine.connect() as connection:
        for statement, parameters in statements:
            plan = connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters)
            details = " | ".join(str(row[-1]) for row in plan)
            assert "COVERING INDEX ix_incidents_summary" in details, details
