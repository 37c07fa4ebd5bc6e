"""Incidents on the map as clusters counted by the database, for views too wide for points.

At the whole-border view a database of a million incidents would otherwise send
(and the browser draw) every point; the first version loaded all matches to send
the newest 5,000. Instead, when the view holds more than ``POINTS_MAX`` incidents
and the map is zoomed out past ``POINTS_ZOOM``, the database groups the matches
into square cells about ``CELL_PIXELS`` wide on screen at that zoom and returns
one feature per cell, with its count: a few hundred features whatever the size
of the database, from one ``GROUP BY`` on the same filtered statement as the
points (so the policy's filter applies unchanged). Zooming in narrows the box
until points are sent.

For readers who see exact places, a cluster sits at the mean of its incidents.
For the public, incidents are grouped by their *published* point (the centre of
their public grid cell, computed in SQL exactly as ``geo.coarsening.coarsen``
does), never by their exact one: every incident of one public grid cell then
falls in the same cluster, so a count says nothing about where inside its grid
cell an incident happened. Grouping exact points instead would split a grid cell
between two clusters wherever a cluster edge crosses it, and the counts on
either side would tell on which side of the edge each incident lay. Public
clusters sit at the centre of their cell, and cells are never narrower than
``PUBLIC_CELL_FACTOR`` public grid cells.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Integer, cast, func
from sqlalchemy.orm import Session

from truceline.accounts.roles import Principal
from truceline.config import get_settings
from truceline.geo.coarsening import KM_PER_DEGREE_LAT, MIN_LONGITUDE_SCALE
from truceline.http.access import sees_restricted
from truceline.incidents.models import Incident
from truceline.web.incident_queries import IncidentFilters, visible_incidents_statement

#: From this zoom level on, the map always gets points.
POINTS_ZOOM = 10
#: A view with at most this many incidents gets points at any zoom.
POINTS_MAX = 500
#: Width of a cluster cell on screen, in pixels (Leaflet: 256 px per tile).
CELL_PIXELS = 64
#: A public cluster cell is at least this many public grid cells wide.
PUBLIC_CELL_FACTOR = 4
COORDINATE_DECIMALS = 4


def cell_degrees(zoom: float, principal: Principal) -> float:
    """Side of a cluster cell in degrees at ``zoom`` (Web Mercator, about right at these latitudes)."""
    size = CELL_PIXELS * 360.0 / (256 * 2**zoom)
    if not sees_restricted(principal):
        grid = get_settings().public_location_precision_km / KM_PER_DEGREE_LAT
        size = max(size, PUBLIC_CELL_FACTOR * grid)
    return size


def count_in_view(session: Session, filters: IncidentFilters, principal: Principal) -> int:
    """How many incidents match (for the public, candidates with the grid margin): one COUNT."""
    stmt = visible_incidents_statement(session, filters, principal)
    return session.scalar(stmt.with_only_columns(func.count()).order_by(None)) or 0


def wants_clusters(zoom: float | None, total: int) -> bool:
    return zoom is not None and zoom < POINTS_ZOOM and total > POINTS_MAX


def _cell(session: Session, offset_degrees: ColumnElement[Any], size: Any) -> Any:
    """Index of the cell holding a non-negative coordinate (floor of its quotient)."""
    if session.get_bind().dialect.name == "postgresql":
        return cast(func.floor(offset_degrees / size), Integer)
    return cast(offset_degrees / size, Integer)  # SQLite truncates, the floor for x >= 0


def published_point(session: Session, precision_km: float) -> tuple[Any, Any]:
    """SQL for the public point of an incident: the centre of its public grid cell.

    The same arithmetic as ``geo.coarsening.coarsen``: rows of equal height in
    latitude, and in each row columns whose width in degrees keeps them
    ``precision_km`` wide on the ground at the row's centre.
    """
    lat_step = precision_km / KM_PER_DEGREE_LAT
    grid_row = _cell(session, Incident.lat + 90.0, lat_step)
    centre_lat = -90.0 + (grid_row + 0.5) * lat_step
    scale = func.max if session.get_bind().dialect.name == "sqlite" else func.greatest
    km_per_degree_lon = KM_PER_DEGREE_LAT * scale(
        func.cos(func.radians(centre_lat)), MIN_LONGITUDE_SCALE
    )
    lon_step = precision_km / km_per_degree_lon
    centre_lon = -180.0 + (_cell(session, Incident.lon + 180.0, lon_step) + 0.5) * lon_step
    return centre_lat, centre_lon


def cluster_features(
    session: Session, filters: IncidentFilters, principal: Principal, zoom: float
) -> list[dict[str, Any]]:
    """One GeoJSON point per occupied cell: ``{"cluster": true, "count": n}``."""
    size = cell_degrees(zoom, principal)
    exact = sees_restricted(principal)
    grouped_lat: Any = Incident.lat
    grouped_lon: Any = Incident.lon
    if not exact:
        precision_km = get_settings().public_location_precision_km
        grouped_lat, grouped_lon = published_point(session, precision_km)
    row = _cell(session, grouped_lat + 90.0, size).label("row")
    column = _cell(session, grouped_lon + 180.0, size).label("col")
    stmt = (
        visible_incidents_statement(session, filters, principal)
        .where(Incident.lat.is_not(None), Incident.lon.is_not(None))
        .with_only_columns(
            row, column, func.count(), func.avg(Incident.lat), func.avg(Incident.lon)
        )
        .group_by(row, column)
        .order_by(None)
    )
    features = []
    for cell_row, cell_column, count, mean_lat, mean_lon in session.execute(stmt):
        if exact:
            lat, lon = float(mean_lat), float(mean_lon)
        else:
            lat = -90.0 + (cell_row + 0.5) * size
            lon = -180.0 + (cell_column + 0.5) * size
        features.append(
            {
                "type": "Feature",
                "geometry": {
                    "type": "Point",
                    "coordinates": [
                        round(lon, COORDINATE_DECIMALS),
                        round(lat, COORDINATE_DECIMALS),
                    ],
                },
                "properties": {"cluster": True, "count": int(count)},
            }
        )
    return features
