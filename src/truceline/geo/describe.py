"""Describing points: side of the boundary, distance to it, admin1, nearest place.

``describe_points(lats, lons)`` is the batch form used by imports and the map;
``describe_point(lat, lon)`` is one call of it. Admin1 comes from the Natural
Earth province polygons on the Afghan side; on the Pakistani side, for which no
polygon layer ships, it is the admin1 of the nearest gazetteer place in Pakistan
(``admin1_method`` says which was used).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely

from truceline.geo.border import (
    BOUNDARY_LABEL,
    InvalidCoordinate,
    border_model,
    validate_coordinate,
)
from truceline.geo.gazetteer import Gazetteer, Place, PlaceKind, default_gazetteer

#: Farther than this (about 110 km), no place is called "nearest".
NEAREST_PLACE_MAX_DEGREES = 1.0


@dataclass(frozen=True)
class PointDescription:
    """What the mechanism says about one point (the JSON of ``geo point``)."""

    lat: float
    lon: float
    country: str | None
    border_distance_km: float
    admin1: str | None
    admin1_method: str | None
    nearest_place: str | None
    nearest_place_id: str | None

    def as_json(self) -> dict[str, Any]:
        return {
            "country": self.country,
            "border_distance_km": round(self.border_distance_km, 3),
            "admin1": self.admin1,
            "nearest_place": self.nearest_place,
            "lat": self.lat,
            "lon": self.lon,
            "admin1_method": self.admin1_method,
            "nearest_place_id": self.nearest_place_id,
            "boundary": BOUNDARY_LABEL,
        }


class PointDescriber:
    """Batch point descriptions over the boundary model and a gazetteer."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.border = border_model()
        self.gazetteer = gazetteer
        pakistani = [
            p
            for p in gazetteer.places
            if p.country == "PK" and p.admin1 and p.kind in PlaceKind.POINTS
        ]
        self._pk_places = pakistani
        self._pk_tree = shapely.STRtree(shapely.points([(p.lon, p.lat) for p in pakistani]))

    def describe(self, lats: np.ndarray, lons: np.ndarray) -> list[PointDescription]:
        """Describe every point; raises ``InvalidCoordinate`` naming the first bad one."""
        lats = np.asarray(lats, dtype=float)
        lons = np.asarray(lons, dtype=float)
        for lat, lon in zip(lats.tolist(), lons.tolist(), strict=True):
            validate_coordinate(lat, lon)
        sides = self.border.side(lats, lons)
        distances = self.border.boundary_distance_km(lats, lons)
        provinces = self._afghan_provinces(lats, lons, sides)
        nearest = self.gazetteer.nearest_points(lats, lons, NEAREST_PLACE_MAX_DEGREES)
        pk_admin1 = self._pakistani_admin1(lats, lons, sides)
        descriptions = []
        for i, side in enumerate(sides):
            admin1, method = self._admin1(side, provinces[i], pk_admin1[i], lats[i], lons[i])
            place: Place | None = nearest[i]
            descriptions.append(
                PointDescription(
                    lat=float(lats[i]),
                    lon=float(lons[i]),
                    country=side,
                    border_distance_km=float(distances[i]),
                    admin1=admin1,
                    admin1_method=method,
                    nearest_place=place.name if place else None,
                    nearest_place_id=place.id if place else None,
                )
            )
        return descriptions

    def _afghan_provinces(
        self, lats: np.ndarray, lons: np.ndarray, sides: list[str | None]
    ) -> list[Any]:
        """Province polygons are only tested for points on the Afghan side."""
        found: list[Any] = [None] * len(sides)
        afghan = np.flatnonzero(np.array([side == "AF" for side in sides], dtype=bool))
        if len(afghan):
            for position, province in zip(
                afghan, self.border.afghan_province(lats[afghan], lons[afghan]), strict=True
            ):
                found[int(position)] = province
        return found

    def _pakistani_admin1(
        self, lats: np.ndarray, lons: np.ndarray, sides: list[str | None]
    ) -> list[str | None]:
        found: list[str | None] = [None] * len(sides)
        wanted = np.array([side == "PK" for side in sides], dtype=bool)
        if not wanted.any():
            return found
        positions = np.flatnonzero(wanted)
        query, hit = self._pk_tree.query_nearest(
            shapely.points(lons[wanted], lats[wanted]), all_matches=False
        )
        for q, h in zip(query.tolist(), hit.tolist(), strict=True):
            found[int(positions[q])] = self._pk_places[h].admin1
        return found

    def _admin1(
        self, side: str | None, province: Any, pk_admin1: str | None, lat: float, lon: float
    ) -> tuple[str | None, str | None]:
        if side == "AF":
            province = province or self.border.nearest_afghan_province(lat, lon)
            return (province.name, "polygon") if province else (None, None)
        if side == "PK" and pk_admin1:
            return pk_admin1, "nearest gazetteer place"
        return None, None


_describer: PointDescriber | None = None


def default_describer() -> PointDescriber:
    """The process-wide describer over the shipped gazetteer."""
    global _describer
    if _describer is None:
        _describer = PointDescriber(default_gazetteer())
    return _describer


def describe_points(lats: Any, lons: Any) -> list[PointDescription]:
    """Describe many points at once (sequences or arrays of equal length)."""
    return default_describer().describe(
        np.asarray(lats, dtype=float), np.asarray(lons, dtype=float)
    )


def describe_point(lat: float, lon: float) -> PointDescription:
    """Describe one point; raises ``InvalidCoordinate`` for impossible coordinates."""
    validate_coordinate(lat, lon)
    return describe_points([lat], [lon])[0]


__all__ = [
    "InvalidCoordinate",
    "PointDescriber",
    "PointDescription",
    "describe_point",
    "describe_points",
]
