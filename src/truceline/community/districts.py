"""The registry of border districts on both sides of the Afghanistan–Pakistan border (pure).

Where the shipped geography knows a district, the registry is computed: every
gazetteer district (``kind == "district"``) whose centre lies within
``max_km`` of the boundary (the de facto line, from Natural Earth) is a border
district. The gazetteer has districts on the Pakistani side only (from UCDP
GED's admin-2 names), so Afghan border districts, and Chaman (separated from
Killa Abdullah in 2021, after the gazetteer's source), are listed in
``CURATED_DISTRICTS`` with an approximate centre; each is checked against the
geography when the registry is built (side of the boundary, province polygon,
distance), and refused if the check fails.

Each district then gets the crossings (and posts) of the gazetteer nearest to
it on its side, within ``attach_km``, and the names by which a short message
may refer to it. To add a district, add a row to ``CURATED_DISTRICTS``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

from truceline.errors import CodedError
from truceline.geo.border import BOUNDARY_LABEL, border_model
from truceline.geo.describe import describe_point
from truceline.geo.gazetteer import Gazetteer, Place, PlaceKind
from truceline.geo.normalize import normalize_name

DEFAULT_MAX_KM = 50.0
DEFAULT_ATTACH_KM = 40.0


@dataclass(frozen=True)
class CuratedDistrict:
    """A district the gazetteer lacks: centre approximate (to a few km), names in both scripts."""

    name: str
    country: str
    admin1: str
    lat: float
    lon: float
    names: tuple[str, ...]
    #: Gazetteer ids of crossings and posts known to belong to this district.
    sites: tuple[str, ...] = ()


CURATED_DISTRICTS: tuple[CuratedDistrict, ...] = (
    CuratedDistrict("Spin Boldak", "AF", "Kandahar", 31.006, 66.400, ("Spin Buldak", "Spin Boldak district", "سپین بولدک", "سپین بولدک ولسوالی"), ("curated:friendship-gate",)),
    CuratedDistrict("Shorabak", "AF", "Kandahar", 30.58, 66.25, ("Shorabak district", "شورابک")),
    CuratedDistrict("Barmal", "AF", "Paktika", 32.80, 69.25, ("Bermal", "Barmal district", "برمل"), ("curated:angoor-adda",)),
    CuratedDistrict("Urgun", "AF", "Paktika", 32.9515, 69.1828, ("Urgoon", "Orgun", "Urgun district", "ارگون", "اورگون")),
    CuratedDistrict("Dand-e-Patan", "AF", "Paktia", 33.76, 69.90, ("Dand Patan", "Dand-i-Patan", "Dand e Patan", "دند پټان", "دند پتان")),
    CuratedDistrict("Jaji", "AF", "Paktia", 33.93, 69.83, ("Aryob", "Jaji district", "جاجي", "جاجی")),
    CuratedDistrict("Khost (Matun)", "AF", "Khost", 33.34, 69.92, ("Khost", "Matun", "Khowst", "خوست", "متون")),
    CuratedDistrict("Tani", "AF", "Khost", 33.22, 69.88, ("Tani district", "تڼي", "تنی")),
    CuratedDistrict("Gurbuz", "AF", "Khost", 33.15, 69.98, ("Gurbaz", "Gurbuz district", "ګربز", "گربز"), ("curated:ghulam-khan",)),
    CuratedDistrict("Tere Zayi", "AF", "Khost", 33.45, 70.06, ("Tirezai", "Ali Sher", "تیری زی", "علی شېر")),
    CuratedDistrict("Asadabad", "AF", "Kunar", 34.873, 71.147, ("Asad Abad", "اسعدآباد", "اسد آباد")),
    CuratedDistrict("Sarkano", "AF", "Kunar", 34.83, 71.17, ("Sarkani", "سرکانو", "سرکانی")),
    CuratedDistrict("Dangam", "AF", "Kunar", 34.99, 71.42, ("Dangam district", "ډنګام", "دنگام")),
    CuratedDistrict("Nari", "AF", "Kunar", 35.16, 71.53, ("Naray", "Nari district", "ناړي", "ناری")),
    CuratedDistrict("Momand Dara", "AF", "Nangarhar", 34.2475, 70.8722, ("Mohmand Dara", "Muhmand Dara", "Mohmand Dara district", "مومند دره", "مهمند دره"), ("curated:torkham",)),
    CuratedDistrict("Lal Pur", "AF", "Nangarhar", 34.33, 71.02, ("Lalpur", "Lal Pura", "لالپور", "لعل پور")),
    CuratedDistrict("Dur Baba", "AF", "Nangarhar", 34.03, 70.62, ("Durbaba", "دور بابا")),
    CuratedDistrict("Achin", "AF", "Nangarhar", 34.12, 70.70, ("Achin district", "اچین")),
    CuratedDistrict("Nazyan", "AF", "Nangarhar", 34.13, 70.85, ("Nazian", "نازیان")),
    CuratedDistrict("Chaman", "PK", "Balochistan", 30.92, 66.45, ("Chaman district", "چمن"), ("curated:friendship-gate",)),
)  # fmt: skip


@dataclass(frozen=True)
class BorderDistrict:
    """One district of the registry, with what is computed about it."""

    key: str
    name: str
    country: str
    admin1: str
    lat: float
    lon: float
    border_distance_km: float
    gazetteer_id: str | None
    origin: str  # "computed" (from the gazetteer) or "curated"
    names: tuple[str, ...]
    crossings: tuple[str, ...] = field(default=())
    posts: tuple[str, ...] = field(default=())
    #: Gazetteer ids of sites assigned explicitly (curated), which win over proximity.
    assigned_sites: tuple[str, ...] = field(default=())

    def as_json(self) -> dict[str, object]:
        return {
            "key": self.key,
            "name": self.name,
            "country": self.country,
            "admin1": self.admin1,
            "lat": self.lat,
            "lon": self.lon,
            "border_distance_km": round(self.border_distance_km, 1),
            "gazetteer_id": self.gazetteer_id,
            "origin": self.origin,
            "crossings": list(self.crossings),
            "posts": list(self.posts),
            "boundary": BOUNDARY_LABEL,
        }


class InconsistentDistrict(CodedError, ValueError):
    """A curated district whose stated position the geography contradicts."""

    default_code = "inconsistent_district"


def district_key(country: str, name: str) -> str:
    return f"{country}:{normalize_name(name).replace(' ', '-')}"


def build_registry(
    gazetteer: Gazetteer,
    *,
    max_km: float = DEFAULT_MAX_KM,
    attach_km: float = DEFAULT_ATTACH_KM,
    curated: Iterable[CuratedDistrict] = CURATED_DISTRICTS,
) -> list[BorderDistrict]:
    """Border districts within ``max_km`` of the boundary, with their crossings and posts."""
    districts = _computed(gazetteer, max_km) + [_checked(c, gazetteer, max_km) for c in curated]
    districts = _without_duplicates(districts)
    return [_with_sites(d, gazetteer, districts, attach_km) for d in districts]


def _computed(gazetteer: Gazetteer, max_km: float) -> list[BorderDistrict]:
    # The Afghan side is curated (below); the gazetteer's Afghan districts (geoBoundaries)
    # would list each one twice.
    candidates = [p for p in gazetteer.places if p.kind == PlaceKind.DISTRICT and p.country == "PK"]
    if not candidates:
        return []
    model = border_model()
    lats = np.array([p.lat for p in candidates])
    lons = np.array([p.lon for p in candidates])
    distances = model.boundary_distance_km(lats, lons)
    return [
        _from_place(place, float(km))
        for place, km in zip(candidates, distances, strict=True)
        if km <= max_km and place.country in ("AF", "PK")
    ]


def _from_place(place: Place, km: float) -> BorderDistrict:
    short = [n for n in place.names if not n.casefold().startswith("district ")]
    return BorderDistrict(
        key=district_key(place.country, place.name),
        name=place.name,
        country=place.country,
        admin1=place.admin1 or "",
        lat=place.lat,
        lon=place.lon,
        border_distance_km=km,
        gazetteer_id=place.id,
        origin="computed",
        names=tuple(dict.fromkeys([place.name, *short])),
    )


def _checked(curated: CuratedDistrict, gazetteer: Gazetteer, max_km: float) -> BorderDistrict:
    """The curated row, after the geography confirms its side, province and distance."""
    point = describe_point(curated.lat, curated.lon)
    problems = []
    if point.country != curated.country:
        problems.append(f"its centre lies in {point.country}, not {curated.country}")
    if curated.country == "AF" and point.admin1 != curated.admin1:
        problems.append(f"its centre lies in the province {point.admin1}, not {curated.admin1}")
    if point.border_distance_km > max_km:
        problems.append(f"its centre is {point.border_distance_km:.0f} km from the boundary")
    if problems:
        raise InconsistentDistrict(f"district {curated.name}: " + "; ".join(problems))
    return BorderDistrict(
        key=district_key(curated.country, curated.name),
        name=curated.name,
        country=curated.country,
        admin1=curated.admin1,
        lat=curated.lat,
        lon=curated.lon,
        border_distance_km=point.border_distance_km,
        gazetteer_id=_gazetteer_match(curated, gazetteer),
        origin="curated",
        names=(curated.name, *curated.names),
        assigned_sites=curated.sites,
    )


def _gazetteer_match(curated: CuratedDistrict, gazetteer: Gazetteer) -> str | None:
    """The gazetteer place of the same name within 15 km (the district's seat), if any."""
    for name in (curated.name, *curated.names):
        for index in gazetteer.by_name.get(normalize_name(name), []):
            place = gazetteer.places[index]
            if (
                place.kind in PlaceKind.POINTS
                and place.country == curated.country
                and _km(place.lat, place.lon, curated) <= 15
            ):
                return place.id
    return None


def _km(lat: float, lon: float, other: CuratedDistrict | BorderDistrict) -> float:
    dlat = math.radians(other.lat - lat)
    dlon = math.radians(other.lon - lon) * math.cos(math.radians((lat + other.lat) / 2))
    return 6371.0 * math.hypot(dlat, dlon)


def _without_duplicates(districts: list[BorderDistrict]) -> list[BorderDistrict]:
    seen: dict[str, BorderDistrict] = {}
    for district in districts:
        seen.setdefault(district.key, district)
    return sorted(seen.values(), key=lambda d: (d.country, d.admin1, d.name))


def _with_sites(
    district: BorderDistrict,
    gazetteer: Gazetteer,
    districts: list[BorderDistrict],
    attach_km: float,
) -> BorderDistrict:
    """Attach each crossing and post to the nearest district on the same side, within reach."""
    crossings: list[str] = []
    posts: list[str] = []
    for place in gazetteer.places:
        if place.kind not in (PlaceKind.CROSSING, PlaceKind.POST):
            continue
        if _serving(place, districts, attach_km).get(district.country) is district:
            (crossings if place.kind == PlaceKind.CROSSING else posts).append(place.name)
    return BorderDistrict(
        **{**district.__dict__, "crossings": tuple(crossings), "posts": tuple(posts)}
    )


def _serving(
    place: Place, districts: list[BorderDistrict], attach_km: float
) -> dict[str, BorderDistrict]:
    """A crossing serves both sides: in each country, the district it is assigned to, or else
    the nearest district within reach."""
    nearest: dict[str, tuple[float, BorderDistrict]] = {}
    for district in districts:
        if place.id in district.assigned_sites:
            nearest[district.country] = (-1.0, district)
    for district in districts:
        km = _km(place.lat, place.lon, district)
        if km <= attach_km and km < nearest.get(district.country, (math.inf, district))[0]:
            nearest[district.country] = (km, district)
    return {country: pair[1] for country, pair in nearest.items()}
