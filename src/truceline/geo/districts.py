"""The district layers shipped with the package (geoBoundaries), as gazetteer places and as a lookup.

``geo/data/pakistan_districts_geoboundaries.geojson`` and
``afghanistan_districts_geoboundaries.geojson`` are written by
``python -m truceline.geo.build_districts`` (sources and license there and in
``ATTRIBUTION.md``). The gazetteer build uses them twice:

- every district becomes a place of kind ``district`` at a representative point,
  with its name, "<name> district" and its Arabic-script spellings, and its
  feature id as its source, so each district is traceable to one polygon;
- every other place learns which district polygon holds it (``Place.district``),
  so that "Dasht area of Mastung District" keeps only the Dashts inside Mastung.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources
from typing import Any

import shapely
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from truceline.geo.curated import SCRIPT_NAMES
from truceline.geo.gazetteer import Place, PlaceKind

PK_DISTRICTS_FILE = "pakistan_districts_geoboundaries.geojson"
AF_DISTRICTS_FILE = "afghanistan_districts_geoboundaries.geojson"
PK_PROVINCES_FILE = "pakistan_provinces_geoboundaries.geojson"
#: The former tribal agencies, merged into Khyber Pakhtunkhwa in 2018 and still called so.
FORMER_AGENCIES = frozenset(
    {"Bajaur", "Khyber", "Kurram", "Mohmand", "North Waziristan", "Orakzai", "South Waziristan"}
)
_BRACKETED = re.compile(r"^(?P<name>[^()]+?)\s*\((?P<alias>[^()]+)\)\s*$")


@dataclass(frozen=True)
class District:
    """One district polygon with its id, name, country and admin1."""

    id: str
    name: str
    country: str
    admin1: str | None
    geometry: BaseGeometry


def load_layer(name: str) -> dict[str, Any]:
    """A shipped GeoJSON layer, parsed."""
    text = resources.files("truceline.geo.data").joinpath(name).read_text("utf-8")
    document: dict[str, Any] = json.loads(text)
    return document


@lru_cache(maxsize=1)
def districts() -> tuple[District, ...]:
    """Both countries' districts, Pakistani first."""
    found = []
    for file_name, country in ((PK_DISTRICTS_FILE, "PK"), (AF_DISTRICTS_FILE, "AF")):
        for feature in load_layer(file_name)["features"]:
            properties = feature["properties"]
            found.append(
                District(
                    id=properties["id"],
                    name=properties["name"],
                    country=country,
                    admin1=properties.get("admin1"),
                    geometry=shape(feature["geometry"]),
                )
            )
    return tuple(found)


def district_names(name: str) -> tuple[str, tuple[str, ...]]:
    """The plain name and the names to index: "Ali Khail (Jaji)" -> "Ali Khail", ("Jaji", ...)."""
    match = _BRACKETED.match(name.replace("(", " (").replace("  ", " "))
    plain, aliases = (match["name"], [match["alias"]]) if match else (name, [])
    aliases += [f"{plain} district", f"district {plain}", *SCRIPT_NAMES.get(plain, ())]
    if plain in FORMER_AGENCIES:
        aliases += [f"{plain} agency", f"{plain} tribal district"]
    return plain, tuple(dict.fromkeys(a for a in aliases if a != plain))


def district_places() -> list[Place]:
    """One gazetteer place per district polygon, at its representative point."""
    places = []
    for district in districts():
        point = district.geometry.representative_point()
        plain, names = district_names(district.name)
        places.append(
            Place(
                id=district.id,
                name=plain,
                lat=round(point.y, 5),
                lon=round(point.x, 5),
                country=district.country,
                admin1=district.admin1,
                admin2=plain,
                kind=PlaceKind.DISTRICT,
                sources=(district.id,),
                names=names,
                district=district.id,
            )
        )
    return places


def with_districts(places: list[Place]) -> list[Place]:
    """Places with ``district`` set from the polygon holding them (and ``admin2`` when empty).

    Provinces and countries hold districts rather than lie in one, so they are left as they are.
    """
    layer = districts()
    tree = shapely.STRtree([d.geometry for d in layer])
    points = shapely.points([(p.lon, p.lat) for p in places])
    holder: dict[int, int] = {}
    place_index, district_index = tree.query(points, predicate="within")
    for p, d in zip(place_index.tolist(), district_index.tolist(), strict=True):
        if layer[d].country == places[p].country:
            holder.setdefault(p, d)
    updated = []
    for index, place in enumerate(places):
        found = holder.get(index)
        if found is None or place.kind in (PlaceKind.PROVINCE, PlaceKind.COUNTRY):
            updated.append(place)
            continue
        district = layer[found]
        updated.append(
            replace(
                place,
                district=place.district or district.id,
                admin2=place.admin2 or district_names(district.name)[0],
            )
        )
    return updated
