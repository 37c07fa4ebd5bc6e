"""Distance from the Afghanistan–Pakistan boundary, for the dashboard's distance filter.

The geo context will store or compute this in SQL through its spatial
interface; until then ``within_border_distance`` filters candidate rows in
Python. Distances are measured in an azimuthal equidistant projection centred
on the boundary, accurate to well under 1 % across the border provinces.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import numpy as np
import shapely
from pyproj import Transformer

from truceline.web.map_layers import boundary_line

_PROJECTION = "+proj=aeqd +lat_0=32.5 +lon_0=68.5 +datum=WGS84 +units=m"


@lru_cache(maxsize=1)
def _transformer() -> Transformer:
    return Transformer.from_crs("EPSG:4326", _PROJECTION, always_xy=True)


@lru_cache(maxsize=1)
def _projected_boundary() -> shapely.Geometry:
    line = shapely.transform(boundary_line(), lambda xy: np.column_stack(_project(xy)))
    shapely.prepare(line)
    return line


def _project(lonlat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    x, y = _transformer().transform(lonlat[:, 0], lonlat[:, 1])
    return np.asarray(x), np.asarray(y)


def border_distances_km(points: Sequence[tuple[float, float]]) -> list[float]:
    """Distance in km from each ``(lat, lon)`` to the nearest point of the boundary."""
    if not points:
        return []
    arr = np.asarray(points, dtype=float)
    x, y = _transformer().transform(arr[:, 1], arr[:, 0])
    distances = shapely.distance(shapely.points(x, y), _projected_boundary())
    return [float(d) / 1000.0 for d in distances]


def within_border_distance(points: Sequence[tuple[float, float]], max_km: float) -> list[bool]:
    """For each ``(lat, lon)``, whether it lies within ``max_km`` of the boundary."""
    return [d <= max_km for d in border_distances_km(points)]
