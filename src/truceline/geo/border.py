"""The de facto Afghanistan–Pakistan boundary, the two sides and the Afghan provinces.

Everything here works on arrays, so that a batch of points costs a handful of
vectorised GEOS and PROJ calls rather than a Python loop:

- ``side``: which country polygon (Natural Earth 1:10m Admin 0) holds a point;
- ``boundary_distance_km``: the geodesic distance (WGS84, ``pyproj.Geod``) to the
  boundary line;
- ``afghan_province``: the Natural Earth Admin 1 province holding a point.

The line is the de facto one drawn by Natural Earth; Afghanistan does not recognise
it as an international border. Outputs name that source (``BOUNDARY_LABEL``).
To use another boundary data set, replace the files in ``geo/data`` and keep the
property names; nothing else depends on the source.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np
import shapely
from numpy.typing import NDArray
from pyproj import Geod, Transformer
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from truceline.errors import CodedError

BOUNDARY_LABEL = (
    "Afghanistan–Pakistan boundary, de facto line as drawn by Natural Earth 1:10m "
    "(Afghanistan does not recognise it as an international border)"
)
BOUNDARY_SOURCE = "Natural Earth 1:10m Admin 0 v4.1.0 (public domain)"
PROVINCES_SOURCE = "Natural Earth 1:10m Admin 1 (public domain)"

WGS84 = Geod(ellps="WGS84")
# A conformal projection fitted to the region: used only to pick the nearest
# point of the line; the distance itself is measured on the ellipsoid.
REGIONAL_PROJECTION = "+proj=lcc +lat_1=25 +lat_2=37 +lat_0=31 +lon_0=68 +datum=WGS84 +units=m"
# An Afghan point that falls just outside every province polygon (the Admin 0 and
# Admin 1 layers differ slightly at the edges) takes the nearest province within this.
PROVINCE_SNAP_DEGREES = 0.05

FloatArray = NDArray[np.float64]


class InvalidCoordinate(CodedError, ValueError):
    """A latitude or longitude that cannot be a place on Earth."""

    default_code = "invalid_coordinate"


def validate_coordinate(lat: float, lon: float) -> tuple[float, float]:
    """Return ``(lat, lon)`` as floats, or raise naming the impossible value."""
    if not math.isfinite(lat) or not -90.0 <= lat <= 90.0:
        raise InvalidCoordinate(f"latitude {lat} is outside -90..90")
    if not math.isfinite(lon) or not -180.0 <= lon <= 180.0:
        raise InvalidCoordinate(f"longitude {lon} is outside -180..180")
    return float(lat), float(lon)


def _load_geojson(name: str) -> dict[str, Any]:
    text = resources.files("truceline.geo.data").joinpath(name).read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


@dataclass(frozen=True)
class Province:
    """One Afghan province (Natural Earth Admin 1)."""

    name: str
    iso_code: str
    geonames_id: int | None
    lat: float
    lon: float
    polygon: BaseGeometry


class BorderModel:
    """The boundary line, the two country polygons and the provinces, ready for batches."""

    def __init__(self) -> None:
        boundary = _load_geojson("af_pk_boundary_ne10m.geojson")["features"]
        self.line = shape(boundary[0]["geometry"])
        self.countries = {
            "AF": shape(boundary[1]["geometry"]),
            "PK": shape(boundary[2]["geometry"]),
        }
        for polygon in self.countries.values():
            shapely.prepare(polygon)
        self.provinces = [
            _province(f) for f in _load_geojson("afghanistan_provinces_ne10m.geojson")["features"]
        ]
        self._province_tree = shapely.STRtree([p.polygon for p in self.provinces])
        self._to_plane = Transformer.from_crs("EPSG:4326", REGIONAL_PROJECTION, always_xy=True)
        self._segments = _segments(shapely.transform(self.line, self._project_xy))
        # Small nodes: fewer segment distances per nearest-neighbour search (measured 2x faster).
        self._segment_tree = shapely.STRtree(self._segments, node_capacity=4)

    def _project_xy(self, xy: FloatArray) -> FloatArray:
        x, y = self._to_plane.transform(xy[:, 0], xy[:, 1])
        return np.column_stack([x, y])

    def side(self, lats: FloatArray, lons: FloatArray) -> list[str | None]:
        """``"AF"``, ``"PK"`` or ``None`` (outside both polygons) for each point."""
        sides: list[str | None] = [None] * len(lats)
        for code, polygon in self.countries.items():
            inside = shapely.contains_xy(polygon, lons, lats)
            for index in np.flatnonzero(inside):
                sides[index] = code
        return sides

    def boundary_distance_km(self, lats: FloatArray, lons: FloatArray) -> FloatArray:
        """Geodesic distance in km from each point to the nearest point of the line."""
        x, y = self._to_plane.transform(lons, lats)
        finite = np.isfinite(x) & np.isfinite(y)
        result = np.empty(len(lats))
        if finite.any():
            points = shapely.points(x[finite], y[finite])
            _, segment = self._segment_tree.query_nearest(points, all_matches=False)
            lines = shapely.shortest_line(points, self._segments[segment])
            nearest = shapely.get_coordinates(lines)[1::2]
            near_lon, near_lat = self._to_plane.transform(
                nearest[:, 0], nearest[:, 1], direction="INVERSE"
            )
            _, _, metres = WGS84.inv(lons[finite], lats[finite], near_lon, near_lat)
            result[finite] = np.asarray(metres) / 1000.0
        for index in np.flatnonzero(~finite):
            result[index] = self._distance_by_vertices_km(lats[index], lons[index])
        return result

    def _distance_by_vertices_km(self, lat: float, lon: float) -> float:
        """Fallback where the regional projection is undefined (near the far pole)."""
        vertices = shapely.get_coordinates(self.line)
        count = len(vertices)
        _, _, metres = WGS84.inv(
            np.full(count, lon), np.full(count, lat), vertices[:, 0], vertices[:, 1]
        )
        return float(np.min(metres)) / 1000.0

    def afghan_province(self, lats: FloatArray, lons: FloatArray) -> list[Province | None]:
        """The province holding each point, or ``None`` outside Afghanistan's provinces."""
        points = shapely.points(lons, lats)
        found: list[Province | None] = [None] * len(lats)
        point_index, province_index = self._province_tree.query(points, predicate="intersects")
        for p, q in zip(point_index.tolist(), province_index.tolist(), strict=True):
            if found[p] is None:
                found[p] = self.provinces[q]
        return found

    def nearest_afghan_province(self, lat: float, lon: float) -> Province | None:
        """The province within ``PROVINCE_SNAP_DEGREES`` of a point, for edge cases."""
        index = self._province_tree.query_nearest(
            shapely.Point(lon, lat), max_distance=PROVINCE_SNAP_DEGREES
        )
        return self.provinces[int(index[0])] if len(index) else None

    def province_by_name(self, name_or_code: str) -> Province | None:
        """Look a province up by its English name or ISO 3166-2 code (case-insensitive)."""
        wanted = name_or_code.strip().casefold()
        for province in self.provinces:
            if wanted in (province.name.casefold(), province.iso_code.casefold()):
                return province
        return None


# The Natural Earth layer labels the two provinces created in 2004 with their
# parents' names; their polygons lie in the Panjshir valley and in Daykundi, so
# they are relabelled here by GeoNames id (see geo/data/ATTRIBUTION.md).
PROVINCE_FIXES: dict[int, tuple[str, str]] = {
    6957555: ("Panjshir", "AF-PAN"),
    6957553: ("Daykundi", "AF-DAY"),
}
# Damaged or suffixed English names in the source layer.
PROVINCE_NAME_FIXES: dict[str, str] = {"AF-GHO": "Ghor"}
# The source swaps the ISO 3166-2 codes of Paktia and Paktika.
PROVINCE_ISO_FIXES: dict[str, str] = {"Paktia": "AF-PIA", "Paktika": "AF-PKA"}


def _segments(line: BaseGeometry) -> NDArray[np.object_]:
    """The line cut into two-point segments, so an STRtree can find the nearest one."""
    parts = [line] if line.geom_type == "LineString" else list(line.geoms)
    segments = []
    for part in parts:
        coords = shapely.get_coordinates(part)
        segments.extend(shapely.linestrings(np.stack([coords[:-1], coords[1:]], axis=1)))
    return np.array(segments, dtype=object)


def _province(feature: dict[str, Any]) -> Province:
    props = feature["properties"]
    polygon = shape(feature["geometry"])
    shapely.prepare(polygon)
    name = str(props["name_en"] or props["name"]).removesuffix(" Province")
    iso_code = PROVINCE_ISO_FIXES.get(name, str(props["iso_3166_2"]))
    name, iso_code = PROVINCE_FIXES.get(props.get("gn_id") or 0, (name, iso_code))
    return Province(
        name=PROVINCE_NAME_FIXES.get(iso_code, name),
        iso_code=iso_code,
        geonames_id=props.get("gn_id"),
        lat=float(props["latitude"]),
        lon=float(props["longitude"]),
        polygon=polygon,
    )


@lru_cache(maxsize=1)
def border_model() -> BorderModel:
    """The process-wide boundary model (loaded once, about 50 ms)."""
    return BorderModel()
