"""Coarse locations for public outputs: a place near a small village is blurred.

A community reporter's report names where something happened; published as it
is, the point can lead back to the reporter's house. Public outputs (the
public pages, ``export --released-only``, public periodic reports) therefore
show the centre of a grid cell instead when the nearest place is a small
village (``Settings.public_location_precision_km``,
``Settings.small_village_population``).
"""

from __future__ import annotations

import math

from truceline.config import Settings

KM_PER_DEGREE_LAT = 111.32
#: Near the poles a degree of longitude shrinks to nothing; cells stop narrowing here.
MIN_LONGITUDE_SCALE = 0.01


def coarsen(lat: float, lon: float, precision_km: float) -> tuple[float, float]:
    """The centre of the ``precision_km`` grid cell holding (lat, lon).

    Every point in a cell maps to the same centre, so publishing many reports
    from one house does not let anyone average their way back to it.
    """
    if precision_km <= 0:
        raise ValueError("precision_km must be positive")
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise ValueError(f"({lat}, {lon}) is not a latitude/longitude")
    lat_step = precision_km / KM_PER_DEGREE_LAT
    row = math.floor((lat + 90) / lat_step)
    centre_lat = min(90.0, -90 + (row + 0.5) * lat_step)
    km_per_degree_lon = KM_PER_DEGREE_LAT * max(
        math.cos(math.radians(centre_lat)), MIN_LONGITUDE_SCALE
    )
    lon_step = min(360.0, precision_km / km_per_degree_lon)
    column = math.floor((lon + 180) / lon_step)
    centre_lon = min(180.0, -180 + (column + 0.5) * lon_step)
    return round(centre_lat, 5), round(centre_lon, 5)


def public_location(
    lat: float, lon: float, *, population: int | None, precision_km: float, threshold: int
) -> tuple[float, float]:
    """Coarsen a location for publication if the nearest place is a small village.

    An unknown population counts as small: the safe default for reporters.
    """
    if population is not None and population >= threshold:
        return lat, lon
    return coarsen(lat, lon, precision_km)


def coarsen_for_public(
    lat: float, lon: float, *, population: int | None, settings: Settings
) -> tuple[float, float]:
    """``public_location`` with the installation's settings (precision and village size),
    which the caller passes."""
    return public_location(
        lat,
        lon,
        population=population,
        precision_km=settings.public_location_precision_km,
        threshold=settings.small_village_population,
    )
