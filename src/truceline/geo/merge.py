"""Merging gazetteer entries that several sources give for the same place.

Two entries are the same place when they share a normalised name, lie in the
same country, are both point-like (or both administrative) and lie within
``SAME_PLACE_KM`` of each other. The first one keeps its id, name and position
(the build lists sources most authoritative first); the others add their names,
sources and any admin1/admin2 the first lacks.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import replace

from truceline.geo.gazetteer import Place, PlaceKind
from truceline.geo.normalize import normalize_name

SAME_PLACE_KM = 10.0
#: Districts are large: two sources' points for one district (GED's centroid, a
#: polygon's representative point) can lie this far apart.
SAME_DISTRICT_KM = 40.0


def approximate_km(a: Place, b: Place) -> float:
    """Equirectangular distance, accurate to well under 1% at these ranges."""
    mean_lat = math.radians((a.lat + b.lat) / 2)
    dx = math.radians(b.lon - a.lon) * math.cos(mean_lat)
    dy = math.radians(b.lat - a.lat)
    return 6371.0 * math.hypot(dx, dy)


def _category(place: Place) -> str:
    return "admin" if place.kind in PlaceKind.ADMINISTRATIVE else "point"


def merge_places(places: list[Place]) -> list[Place]:
    """Places with duplicates folded into the first entry of each group."""
    kept: list[Place] = []
    by_name: dict[str, list[int]] = defaultdict(list)
    for place in places:
        target = _find_same(place, kept, by_name)
        if target is None:
            target = len(kept)
            kept.append(place)
        else:
            kept[target] = _absorb(kept[target], place)
        for name in (place.name, *place.names):
            key = normalize_name(name)
            if key and target not in by_name[key]:
                by_name[key].append(target)
    return kept


def _find_same(place: Place, kept: list[Place], by_name: dict[str, list[int]]) -> int | None:
    for name in (place.name, *place.names):
        for index in by_name.get(normalize_name(name), ()):
            other = kept[index]
            if (
                other.country == place.country
                and _category(other) == _category(place)
                and approximate_km(other, place) <= _same_place_km(place)
            ):
                return index
    return None


def _same_place_km(place: Place) -> float:
    return SAME_DISTRICT_KM if place.kind == PlaceKind.DISTRICT else SAME_PLACE_KM


def _absorb(first: Place, other: Place) -> Place:
    names = set(first.names) | set(other.names) | {other.name}
    names.discard(first.name)
    return replace(
        first,
        admin1=first.admin1 or other.admin1,
        admin2=first.admin2 or other.admin2,
        population=max(first.population, other.population),
        events=first.events + other.events,
        sources=tuple(dict.fromkeys((*first.sources, *other.sources))),
        names=tuple(sorted(names)),
        district=first.district or other.district,
    )
