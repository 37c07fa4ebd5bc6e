"""Spatial queries over incidents, the same on SQLite and PostgreSQL/PostGIS.

Four questions, each answered with the sorted ids of matching incidents:

- ``incidents_in_bbox``: inside a latitude/longitude rectangle (edges included);
- ``incidents_near_boundary``: within N km (geodesic) of the de facto boundary;
- ``incidents_on_side``: inside the Afghan or the Pakistani country polygon;
- ``incidents_in_province``: inside one Afghan province polygon.

Each query runs in two steps. The back end's index finds candidates, a superset
of the answer: on SQLite the R*Tree ``incidents_rtree`` (bounding box of the
area of interest, widened by the distance); on PostgreSQL the GiST index on the
geography column ``incidents.geog`` (``&&`` and ``ST_DWithin`` with a margin).
Then one exact test, shared by both back ends, decides: shapely for polygons,
``pyproj.Geod`` for distances, plain comparisons for rectangles. Results are
therefore identical on both, by construction, and the contract tests in
``tests/unit/geo/test_spatial.py`` check it. To add a query, write its exact
test over (lat, lon) arrays and pick the candidate search that covers it.
"""

from __future__ import annotations

import math
from typing import Protocol

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry
from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from truceline.geo.border import border_model

Candidate = tuple[int, float, float]
#: Added to every candidate search so rounding (R*Tree stores 32-bit floats) and
#: geodesic-versus-planar edges can never drop a true answer.
MARGIN_DEGREES = 0.02
MARGIN_KM = 3.0
KM_PER_DEGREE_LAT = 110.574


class CandidateSearch(Protocol):
    """How one back end finds incidents that may match (a superset)."""

    def in_bbox(
        self, conn: Connection, south: float, west: float, north: float, east: float
    ) -> list[Candidate]: ...

    def near(self, conn: Connection, geometry: BaseGeometry, km: float) -> list[Candidate]: ...


class RTreeSearch:
    """SQLite: the R*Tree of incident points, queried by bounding box."""

    def in_bbox(
        self, conn: Connection, south: float, west: float, north: float, east: float
    ) -> list[Candidate]:
        rows = conn.execute(
            text(
                "SELECT i.id, i.lat, i.lon FROM incidents_rtree r JOIN incidents i ON i.id = r.id "
                "WHERE r.max_lat >= :south AND r.min_lat <= :north "
                "AND r.max_lon >= :west AND r.min_lon <= :east"
            ),
            {
                "south": south - MARGIN_DEGREES,
                "north": north + MARGIN_DEGREES,
                "west": west - MARGIN_DEGREES,
                "east": east + MARGIN_DEGREES,
            },
        )
        return [(int(r[0]), float(r[1]), float(r[2])) for r in rows]

    def near(self, conn: Connection, geometry: BaseGeometry, km: float) -> list[Candidate]:
        west, south, east, north = geometry.bounds
        dlat = (km + MARGIN_KM) / KM_PER_DEGREE_LAT
        widest = min(89.0, max(abs(south), abs(north)) + dlat)
        dlon = min(180.0, dlat / max(math.cos(math.radians(widest)), 1e-6))
        return self.in_bbox(conn, south - dlat, west - dlon, north + dlat, east + dlon)


class PostgisSearch:
    """PostgreSQL: the GiST index on ``incidents.geog``."""

    def in_bbox(
        self, conn: Connection, south: float, west: float, north: float, east: float
    ) -> list[Candidate]:
        envelope = shapely.segmentize(
            shapely.box(
                west - MARGIN_DEGREES,
                south - MARGIN_DEGREES,
                east + MARGIN_DEGREES,
                north + MARGIN_DEGREES,
            ),
            0.1,
        )
        rows = conn.execute(
            text("SELECT id, lat, lon FROM incidents WHERE geog && ST_GeogFromText(:wkt)"),
            {"wkt": f"SRID=4326;{envelope.wkt}"},
        )
        return [(int(r[0]), float(r[1]), float(r[2])) for r in rows]

    def near(self, conn: Connection, geometry: BaseGeometry, km: float) -> list[Candidate]:
        rows = conn.execute(
            text(
                "SELECT id, lat, lon FROM incidents WHERE ST_DWithin(geog, ST_GeogFromText(:wkt), :metres)"
            ),
            {"wkt": f"SRID=4326;{geometry.wkt}", "metres": (km + MARGIN_KM) * 1000.0},
        )
        return [(int(r[0]), float(r[1]), float(r[2])) for r in rows]


def candidate_search(conn: Connection) -> CandidateSearch:
    """The candidate search for the connection's back end."""
    return PostgisSearch() if conn.dialect.name == "postgresql" else RTreeSearch()


def _arrays(candidates: list[Candidate]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    ids = np.array([c[0] for c in candidates], dtype=np.int64)
    lats = np.array([c[1] for c in candidates], dtype=float)
    lons = np.array([c[2] for c in candidates], dtype=float)
    return ids, lats, lons


def incidents_in_bbox(
    session: Session, *, south: float, west: float, north: float, east: float
) -> list[int]:
    """Incidents with south <= lat <= north and west <= lon <= east."""
    if south > north or west > east:
        raise ValueError(f"empty box: south {south} > north {north} or west {west} > east {east}")
    conn = session.connection()
    ids, lats, lons = _arrays(candidate_search(conn).in_bbox(conn, south, west, north, east))
    keep = (lats >= south) & (lats <= north) & (lons >= west) & (lons <= east)
    return sorted(ids[keep].tolist())


def incidents_near_boundary(session: Session, km: float) -> list[int]:
    """Incidents whose geodesic distance to the boundary line is at most ``km``."""
    if not km >= 0:
        raise ValueError(f"distance {km} km must be zero or more")
    border = border_model()
    conn = session.connection()
    ids, lats, lons = _arrays(candidate_search(conn).near(conn, border.line, km))
    if len(ids) == 0:
        return []
    keep = border.boundary_distance_km(lats, lons) <= km
    return sorted(ids[keep].tolist())


def incidents_on_side(session: Session, country: str) -> list[int]:
    """Incidents inside the ``"AF"`` or ``"PK"`` polygon of the boundary data set."""
    border = border_model()
    if country not in border.countries:
        raise ValueError(f"side {country!r} is not one of {sorted(border.countries)}")
    return _inside(session, border.countries[country])


def incidents_in_province(session: Session, province: str) -> list[int]:
    """Incidents inside one Afghan province, named in English or by ISO 3166-2 code."""
    found = border_model().province_by_name(province)
    if found is None:
        raise ValueError(f"unknown Afghan province {province!r}")
    return _inside(session, found.polygon)


def _inside(session: Session, polygon: BaseGeometry) -> list[int]:
    conn = session.connection()
    ids, lats, lons = _arrays(candidate_search(conn).near(conn, polygon, 0.0))
    if len(ids) == 0:
        return []
    keep = shapely.intersects_xy(polygon, lons, lats)
    return sorted(ids[keep].tolist())
