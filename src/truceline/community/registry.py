"""Border districts in the database, and the place names a short message may use.

``load_border_districts`` stores the registry computed by
``community.districts`` (idempotent, audited); ``district_by_key`` and
``list_districts`` read it back; ``place_index`` builds the lexicon the
message parser uses: the districts' names, their crossings and posts, and the
gazetteer's places near the boundary, each with the coordinates and precision
a report should carry.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from truceline.audit.actor import SYSTEM
from truceline.audit.log import append_entry
from truceline.community.districts import DEFAULT_MAX_KM, BorderDistrict, build_registry
from truceline.community.models import BorderDistrictRow
from truceline.community.sms import PlaceLexicon
from truceline.errors import CodedError
from truceline.events.taxonomy import PlacePrecision
from truceline.geo.border import BOUNDARY_LABEL, border_model
from truceline.geo.gazetteer import Gazetteer, Place, PlaceKind, default_gazetteer
from truceline.warning.risk_service import BorderDistrict as RiskDistrict

#: Gazetteer places this close to the boundary may be named in a message without a keyword.
LEXICON_PLACE_KM = 80.0

#: Arabic-script spellings (Pashto, Dari, Urdu) of border places whose gazetteer entry has
#: Latin names only; the message parser reads them as the named place.
SCRIPT_NAMES: dict[str, tuple[str, ...]] = {
    "Kurram agency": ("کرم", "کورم", "کرم ایجنسی"),
    "Bajaur agency": ("باجوړ", "باجوڑ", "باجور"),
    "Mohmand agency": ("مهمند", "مومند", "مهمند ایجنسی"),
    "Khyber agency": ("خیبر", "خیبر ایجنسی"),
    "Zhob district": ("ژوب", "ژوب ضلع"),
    "North Waziristan": ("شمالی وزیرستان", "شمالي وزیرستان", "میرعلی"),
    "South Waziristan": ("جنوبی وزیرستان", "جنوبي وزیرستان"),
    "Orakzai agency": ("اورکزئی", "اورکزی"),
    "Chitral district": ("چترال",),
    "Killa Abdullah district": ("قلعہ عبداللہ", "قلعه عبدالله"),
    "Parachinar": ("پاره چنار", "پاراچنار", "پارہ چنار"),
    "Miran Shah": ("میرانشاه", "میران شاه", "میران شاہ", "میرانشاہ"),
    "Wana": ("وانا",),
    "Landi Kotal": ("لنډی کوتل", "لنڈی کوتل", "لنډي کوتل"),
    "Jalalabad": ("جلال آباد", "جلالآباد"),
}


class UnknownDistrict(CodedError, LookupError):
    """A district key that the registry does not hold."""

    default_code = "unknown_district"


def load_border_districts(session: Session, *, max_km: float = DEFAULT_MAX_KM) -> int:
    """Insert the computed districts the database lacks; return how many it holds."""
    existing = set(session.scalars(select(BorderDistrictRow.key)))
    added = [d for d in build_registry(default_gazetteer(), max_km=max_km) if d.key not in existing]
    for district in added:
        session.add(_row(district))
    if added:
        session.flush()
        append_entry(
            session,
            actor=SYSTEM,
            action="community.border_districts_loaded",
            object_type="border_district_registry",
            object_id="builtin",
            after={"inserted": len(added), "max_km": max_km},
        )
    return len(existing) + len(added)


def _row(district: BorderDistrict) -> BorderDistrictRow:
    return BorderDistrictRow(
        key=district.key,
        name=district.name,
        country=district.country,
        admin1=district.admin1,
        lat=district.lat,
        lon=district.lon,
        border_distance_km=round(district.border_distance_km, 3),
        gazetteer_id=district.gazetteer_id,
        origin=district.origin,
        names=list(district.names),
        crossings=list(district.crossings),
        posts=list(district.posts),
    )


def list_districts(session: Session, *, country: str | None = None) -> list[BorderDistrictRow]:
    query = select(BorderDistrictRow).order_by(
        BorderDistrictRow.country, BorderDistrictRow.admin1, BorderDistrictRow.name
    )
    if country:
        query = query.where(BorderDistrictRow.country == country.upper())
    return list(session.scalars(query))


def district_by_key(session: Session, key: str) -> BorderDistrictRow:
    row = session.scalars(select(BorderDistrictRow).where(BorderDistrictRow.key == key)).first()
    if row is None:
        raise UnknownDistrict(f"no border district {key!r} (see `truceline community districts`)")
    return row


def district_json(row: BorderDistrictRow) -> dict[str, object]:
    return {
        "key": row.key,
        "name": row.name,
        "country": row.country,
        "admin1": row.admin1,
        "lat": row.lat,
        "lon": row.lon,
        "border_distance_km": round(row.border_distance_km, 1),
        "gazetteer_id": row.gazetteer_id,
        "origin": row.origin,
        "crossings": row.crossings,
        "posts": row.posts,
        "boundary": BOUNDARY_LABEL,
    }


# --- place names for the message parser --------------------------------------------


@dataclass(frozen=True)
class KnownPlace:
    name: str
    lat: float
    lon: float
    country: str
    precision: PlacePrecision


@dataclass(frozen=True)
class PlaceIndex:
    lexicon: PlaceLexicon
    places: dict[str, KnownPlace]


def place_index(session: Session) -> PlaceIndex:
    """The lexicon over the stored districts plus the shipped gazetteer near the boundary."""
    districts = tuple(
        (row.name, row.lat, row.lon, row.country, tuple(row.names))
        for row in list_districts(session)
    )
    return _index(districts)


def place_index_for(districts: list[BorderDistrict]) -> PlaceIndex:
    """The same lexicon over a registry not (yet) stored: for tests and benchmarks."""
    return _index(tuple((d.name, d.lat, d.lon, d.country, tuple(d.names)) for d in districts))


@lru_cache(maxsize=4)
def _index(districts: tuple[tuple[str, float, float, str, tuple[str, ...]], ...]) -> PlaceIndex:
    places: dict[str, KnownPlace] = {}
    pairs: list[tuple[str, str]] = []
    for name, lat, lon, country, names in districts:
        places[name] = KnownPlace(name, lat, lon, country, PlacePrecision.DISTRICT)
        pairs.extend((spelling, name) for spelling in (name, *names, *SCRIPT_NAMES.get(name, ())))
    for place in _border_points(default_gazetteer()):
        if place.name not in places:
            places[place.name] = KnownPlace(
                place.name, place.lat, place.lon, place.country, place.precision
            )
        spellings = (place.name, *place.names, *SCRIPT_NAMES.get(place.name, ()))
        pairs.extend((spelling, place.name) for spelling in spellings)
    return PlaceIndex(PlaceLexicon.from_names(pairs), places)


def _border_points(gazetteer: Gazetteer) -> list[Place]:
    """Point-like places near the boundary, and the two countries' provinces."""
    provinces = [p for p in gazetteer.places if p.kind == PlaceKind.PROVINCE]
    points = [p for p in gazetteer.places if p.kind in PlaceKind.POINTS]
    distances = border_model().boundary_distance_km(
        np.array([p.lat for p in points]), np.array([p.lon for p in points])
    )
    near = [p for p, km in zip(points, distances, strict=True) if km <= LEXICON_PLACE_KM]
    sites = [p for p in near if p.kind in (PlaceKind.CROSSING, PlaceKind.POST)]
    return sites + [p for p in near if p not in sites] + provinces


def border_districts_for_risk(session: Session) -> list[RiskDistrict]:
    """The registry's districts for the risk model (``warning.risk_service``; wired at start-up)."""
    rows = session.scalars(select(BorderDistrictRow).order_by(BorderDistrictRow.key))
    return [
        RiskDistrict(row.key, row.name, row.country, row.admin1, row.lat, row.lon, tuple(row.names))
        for row in rows
    ]
