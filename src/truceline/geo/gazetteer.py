"""The gazetteer of Afghan and Pakistani places: the shipped file, loaded and indexed.

``geo/data/gazetteer.json`` is written by ``python -m truceline.geo.build_gazetteer``
(see that module for the sources). Each place records where it comes from
(``sources``), its kind (populated place, area, district, province, crossing,
post) and every name it is known by, in Latin and Arabic script.

``Gazetteer`` holds three lookups over those names: exact normalised name,
spelling skeleton (``normalize.variant_key``) and, for the fuzzy fallback, the
list of names by first letter; plus an STRtree for the nearest place to a point.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import shapely

from truceline.events.taxonomy import PlacePrecision
from truceline.geo.normalize import loose_key, normalize_name, variant_key

GAZETTEER_FILE = "gazetteer.json"


class PlaceKind:
    """Kinds of gazetteer entries, each with the place precision it implies."""

    POPULATED_PLACE = "populated_place"
    CROSSING = "crossing"
    POST = "post"
    AREA = "area"
    DISTRICT = "district"
    PROVINCE = "province"
    COUNTRY = "country"

    PRECISION: dict[str, PlacePrecision] = {
        POPULATED_PLACE: PlacePrecision.EXACT,
        CROSSING: PlacePrecision.EXACT,
        POST: PlacePrecision.EXACT,
        AREA: PlacePrecision.NEAR_25KM,
        DISTRICT: PlacePrecision.DISTRICT,
        PROVINCE: PlacePrecision.PROVINCE,
        COUNTRY: PlacePrecision.COUNTRY,
    }
    #: Kinds that name a point a person would call "the nearest place".
    POINTS = frozenset({POPULATED_PLACE, CROSSING, POST, AREA})
    ADMINISTRATIVE = frozenset({DISTRICT, PROVINCE, COUNTRY})


@dataclass(frozen=True)
class Place:
    """One gazetteer entry."""

    id: str
    name: str
    lat: float
    lon: float
    country: str
    admin1: str | None
    admin2: str | None
    kind: str
    population: int = 0
    #: GED events (training split) recorded at this place: a prior for ambiguous names.
    events: int = 0
    sources: tuple[str, ...] = ()
    names: tuple[str, ...] = field(default=())
    #: The geoBoundaries district (its feature id) whose polygon holds the place, so that
    #: "X area of Y district" can test containment instead of guessing by distance.
    district: str | None = None

    @property
    def precision(self) -> PlacePrecision:
        return PlaceKind.PRECISION[self.kind]

    def to_record(self) -> dict[str, Any]:
        """The JSON form written to the gazetteer file."""
        return {
            "id": self.id,
            "name": self.name,
            "lat": round(self.lat, 5),
            "lon": round(self.lon, 5),
            "country": self.country,
            "admin1": self.admin1,
            "admin2": self.admin2,
            "kind": self.kind,
            "population": self.population,
            "events": self.events,
            "sources": list(self.sources),
            "names": list(self.names),
            "district": self.district,
        }

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> Place:
        return cls(
            id=record["id"],
            name=record["name"],
            lat=float(record["lat"]),
            lon=float(record["lon"]),
            country=record["country"],
            admin1=record.get("admin1"),
            admin2=record.get("admin2"),
            kind=record["kind"],
            population=int(record.get("population") or 0),
            events=int(record.get("events") or 0),
            sources=tuple(record.get("sources") or ()),
            names=tuple(record.get("names") or ()),
            district=record.get("district"),
        )


class Gazetteer:
    """Places with lookups by name, by spelling skeleton and by position."""

    def __init__(self, places: list[Place], metadata: dict[str, Any] | None = None) -> None:
        self.places = places
        self.metadata = metadata or {}
        self.by_name: dict[str, list[int]] = defaultdict(list)
        self.by_variant: dict[str, list[int]] = defaultdict(list)
        self.by_loose: dict[str, list[int]] = defaultdict(list)
        for index, place in enumerate(places):
            self._index_names(index, place)
        self.names_by_initial: dict[str, list[str]] = defaultdict(list)
        for name in self.by_name:
            if len(name) >= 4:
                self.names_by_initial[name[0]].append(name)
        self._point_index = [i for i, p in enumerate(places) if p.kind in PlaceKind.POINTS]
        self._point_tree = shapely.STRtree(
            shapely.points([(places[i].lon, places[i].lat) for i in self._point_index])
        )
        self.longest_name_words = max((len(n.split()) for n in self.by_name), default=1)

    def _index_names(self, index: int, place: Place) -> None:
        seen_names: set[str] = set()
        seen_variants: set[str] = set()
        for raw in (place.name, *place.names):
            name = normalize_name(raw)
            if not name or name in seen_names:
                continue
            seen_names.add(name)
            self.by_name[name].append(index)
            key = variant_key(name)
            if key and key not in seen_variants:
                seen_variants.add(key)
                self.by_variant[key].append(index)
            loose = loose_key(name)
            if loose and ("~" + loose) not in seen_variants:
                seen_variants.add("~" + loose)
                self.by_loose[loose].append(index)

    def nearest_points(
        self, lats: np.ndarray, lons: np.ndarray, max_degrees: float
    ) -> list[Place | None]:
        """The nearest point-like place to each position, within ``max_degrees``."""
        found: list[Place | None] = [None] * len(lats)
        query, hit = self._point_tree.query_nearest(
            shapely.points(lons, lats), max_distance=max_degrees, all_matches=False
        )
        for q, h in zip(query.tolist(), hit.tolist(), strict=True):
            found[q] = self.places[self._point_index[h]]
        return found


def load_gazetteer_file(path: Path) -> Gazetteer:
    """Load a gazetteer written by the build script."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return _from_json(data)


def _from_json(data: dict[str, Any]) -> Gazetteer:
    places = [Place.from_record(r) for r in data["places"]]
    return Gazetteer(places, {k: v for k, v in data.items() if k != "places"})


@lru_cache(maxsize=1)
def default_gazetteer() -> Gazetteer:
    """The gazetteer shipped in the package (loaded once per process)."""
    text = resources.files("truceline.geo.data").joinpath(GAZETTEER_FILE).read_text("utf-8")
    return _from_json(json.loads(text))
