"""Gazetteer entries derived from UCDP GED rows (used by the build script only).

GED names the place its coordinates stand for in ``where_coordinates`` ("Mardan
town", "Tirah valley", "Kurram agency") and gives ``adm_1``/``adm_2``. Each
distinct (name, coordinates) becomes one place; its kind comes from the trailing
word, or from ``where_prec`` when there is none. Each ``adm_2`` becomes a district,
placed where GED puts the district itself, else at the median of its events.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter, defaultdict

from truceline.geo.gazetteer import Place, PlaceKind

GED_ADMIN1 = {
    "Federally Administered Tribal Areas": "Khyber Pakhtunkhwa",
    "Khyber Pakhtunkwa province": "Khyber Pakhtunkhwa",
    "Balochistan province": "Balochistan",
    "Sindh province": "Sindh",
    "Punjab province": "Punjab",
    "Azad Jammu & Kashmir": "Azad Jammu and Kashmir",
    "Gilgit-Baltistan": "Gilgit-Baltistan",
    "Islamabad Capital territory": "Islamabad",
}
SUFFIX_KIND = {
    "town": PlaceKind.POPULATED_PLACE,
    "village": PlaceKind.POPULATED_PLACE,
    "city": PlaceKind.POPULATED_PLACE,
    "locality": PlaceKind.POPULATED_PLACE,
    "suburb": PlaceKind.POPULATED_PLACE,
    "fort": PlaceKind.POPULATED_PLACE,
    "area": PlaceKind.AREA,
    "areas": PlaceKind.AREA,
    "valley": PlaceKind.AREA,
    "tehsil": PlaceKind.AREA,
    "sector": PlaceKind.AREA,
    "hills": PlaceKind.AREA,
    "pass": PlaceKind.AREA,
    "road": PlaceKind.AREA,
    "field": PlaceKind.AREA,
    "district": PlaceKind.DISTRICT,
    "distrcit": PlaceKind.DISTRICT,
    "agency": PlaceKind.DISTRICT,
    "province": PlaceKind.PROVINCE,
}
PRECISION_KIND = {
    "1": PlaceKind.POPULATED_PLACE,
    "2": PlaceKind.AREA,
    "3": PlaceKind.DISTRICT,
    "4": PlaceKind.PROVINCE,
    "5": PlaceKind.AREA,
}


def split_suffix(where_coordinates: str) -> tuple[str, str | None]:
    """``"Mardan town"`` -> ``("Mardan", "town")``; no known trailing word -> ``(name, None)``.

    Only the part before a comma or a parenthesis names the place itself
    ("Maizer locality, Datta Khel tehsil" -> "Maizer", "locality").
    """
    head = re.split(r"[,(]", where_coordinates, maxsplit=1)[0]
    words = head.strip().split()
    if len(words) > 1 and words[-1].lower() in SUFFIX_KIND:
        return " ".join(words[:-1]), words[-1].lower()
    return " ".join(words), None


def admin2_name(adm_2: str) -> str | None:
    """GED's ``adm_2`` with its one known typo fixed."""
    cleaned = adm_2.strip().replace("Distrcit", "district")
    return cleaned or None


def points_from_rows(rows: list[dict[str, str]]) -> list[Place]:
    """One place per distinct GED (where_coordinates, latitude, longitude), except districts."""
    groups: dict[tuple[str, float, float], list[dict[str, str]]] = defaultdict(list)
    for row in rows:
        name = row["where_coordinates"].strip()
        if name and name not in GED_ADMIN1 and row["where_prec"] in PRECISION_KIND:
            groups[
                (name, round(float(row["latitude"]), 4), round(float(row["longitude"]), 4))
            ].append(row)
    places = []
    for (full_name, lat, lon), members in sorted(groups.items()):
        base, suffix = split_suffix(full_name)
        kind = SUFFIX_KIND[suffix] if suffix else PRECISION_KIND[members[0]["where_prec"]]
        if kind in (PlaceKind.DISTRICT, PlaceKind.PROVINCE):
            continue  # districts come from adm_2, provinces from pycountry
        names = {full_name, base} - {""}
        places.append(
            Place(
                id=f"ged:{full_name}@{lat:.4f},{lon:.4f}",
                name=base,
                lat=lat,
                lon=lon,
                country="PK",
                admin1=_most_common(GED_ADMIN1.get(r["adm_1"], "") for r in members),
                admin2=_most_common(admin2_name(r["adm_2"]) or "" for r in members),
                kind=kind,
                events=len(members),
                sources=("ged",),
                names=tuple(sorted(names)),
            )
        )
    return places


def districts_from_rows(rows: list[dict[str, str]]) -> list[Place]:
    """One district per GED ``adm_2``, placed at GED's own point for it when there is one."""
    members: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in rows:
        district = admin2_name(row["adm_2"])
        if district:
            members[district].append(row)
    return [_district(name, group) for name, group in sorted(members.items())]


def _district(name: str, rows: list[dict[str, str]]) -> Place:
    base, suffix = split_suffix(name)
    own = [
        r
        for r in rows
        if r["where_prec"] == "3"
        and split_suffix(r["where_coordinates"])[0].lower() == base.lower()
    ]
    chosen = own or rows
    lat = statistics.median(float(r["latitude"]) for r in chosen)
    lon = statistics.median(float(r["longitude"]) for r in chosen)
    names = {name, base, f"{base} district", f"district {base}"}
    if suffix == "agency" or base.endswith("Waziristan"):
        names |= {f"{base} agency", f"{base} tribal district"}
    return Place(
        id=f"ged-adm2:{name}",
        name=name,
        lat=round(lat, 5),
        lon=round(lon, 5),
        country="PK",
        admin1=_most_common(GED_ADMIN1.get(r["adm_1"], "") for r in rows),
        admin2=name,
        kind=PlaceKind.DISTRICT,
        sources=("ged: point GED gives the district" if own else "ged: median of its events",),
        names=tuple(sorted(names)),
    )


def _most_common(values: object) -> str | None:
    counts = Counter(v for v in values if v)  # type: ignore[attr-defined]
    return counts.most_common(1)[0][0] if counts else None
