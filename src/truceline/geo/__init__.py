"""Geography of the Afghanistan–Pakistan border: boundary, gazetteer, geoparser, spatial queries.

The public API other contexts call (intake, import, the web map):

- ``describe_point(lat, lon)`` / ``describe_points(lats, lons)``: side of the
  de facto boundary, geodesic distance to it, admin1, nearest named place;
- ``locate(text)`` / ``locate_many(texts)``: ranked gazetteer matches for a
  free-text place description, with UCDP precision codes and scores;
- ``truceline.geo.spatial``: incidents in a box, near the boundary, on a side,
  in an Afghan province, the same on SQLite and PostgreSQL.

Names are imported lazily, so that ``import truceline.geo`` (done by the CLI at
start-up) does not load shapely, pyproj and the gazetteer until they are used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from truceline.geo.border import InvalidCoordinate
    from truceline.geo.describe import PointDescription, describe_point, describe_points
    from truceline.geo.geoparse import Match

_LAZY = {
    "InvalidCoordinate": "truceline.geo.border",
    "PointDescription": "truceline.geo.describe",
    "describe_point": "truceline.geo.describe",
    "describe_points": "truceline.geo.describe",
    "Match": "truceline.geo.geoparse",
}


def locate(text: str) -> list[Match]:
    """Ranked matches for one place description, best first."""
    from truceline.geo.geoparse import default_geoparser

    return default_geoparser().locate(text)


def locate_many(texts: list[str]) -> list[list[Match]]:
    """``locate`` for each description, in order (empty list for an empty line)."""
    from truceline.geo.geoparse import default_geoparser

    return default_geoparser().locate_many(texts)


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'truceline.geo' has no attribute {name!r}")


__all__ = [
    "InvalidCoordinate",
    "Match",
    "PointDescription",
    "describe_point",
    "describe_points",
    "locate",
    "locate_many",
]
