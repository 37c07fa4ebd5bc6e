"""Gazetteer use cases that touch the database: loading, local additions, reading back.

- ``load_builtin_places``: copy the shipped gazetteer into ``geo_places``
  (idempotent; called by ``truceline init`` through ``geo.profile``);
- ``add_local_place``: a post, village or area that no source knows, added by a
  monitor, with its own name variants; audited;
- ``gazetteer_with_local_places``: the shipped gazetteer plus local additions,
  which ``geo locate`` uses when a database is there.
"""

from __future__ import annotations

import hashlib
import uuid
from importlib import resources

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from truceline.audit.actor import SYSTEM, Actor
from truceline.audit.log import append_entry
from truceline.errors import CodedError
from truceline.geo.border import validate_coordinate
from truceline.geo.describe import describe_point
from truceline.geo.gazetteer import GAZETTEER_FILE, Gazetteer, Place, PlaceKind, default_gazetteer
from truceline.geo.models import GazetteerPlace

BUILTIN = "builtin"
LOCAL = "local"
KNOWN_COUNTRIES = frozenset({"AF", "PK"})


class InvalidPlace(CodedError, ValueError):
    """A local place that cannot be added, with the field at fault in the message."""

    default_code = "invalid_place"


def _record(place: Place, *, origin: str, created_by: str) -> dict[str, object]:
    record = place.to_record()
    record.pop("district", None)  # derived from the shipped polygons, not stored per row
    record.update(origin=origin, created_by=created_by, names=list(place.names))
    return record


def load_builtin_places(session: Session) -> int:
    """Insert the shipped places the database lacks; return how many it now holds."""
    existing = set(
        session.scalars(select(GazetteerPlace.id).where(GazetteerPlace.origin == BUILTIN))
    )
    missing = [p for p in default_gazetteer().places if p.id not in existing]
    if missing:
        session.execute(
            insert(GazetteerPlace),
            [_record(p, origin=BUILTIN, created_by=SYSTEM.name) for p in missing],
        )
        append_entry(
            session,
            actor=SYSTEM,
            action="gazetteer_loaded",
            object_type="gazetteer",
            object_id=BUILTIN,
            after={"inserted": len(missing), "file_sha256": _shipped_file_hash()},
        )
    return len(existing) + len(missing)


def _shipped_file_hash() -> str:
    data = resources.files("truceline.geo.data").joinpath(GAZETTEER_FILE).read_bytes()
    return hashlib.sha256(data).hexdigest()


def add_local_place(
    session: Session,
    *,
    actor: Actor,
    name: str,
    lat: float,
    lon: float,
    kind: str,
    names: tuple[str, ...] = (),
    admin2: str | None = None,
    source: str = "",
) -> Place:
    """Add a place no source knows; country and admin1 come from the point itself."""
    name = name.strip()
    if not name:
        raise InvalidPlace("name: must not be empty")
    if kind not in PlaceKind.PRECISION or kind == PlaceKind.COUNTRY:
        raise InvalidPlace(
            f"kind: {kind!r} is not one of {sorted(set(PlaceKind.PRECISION) - {'country'})}"
        )
    lat, lon = validate_coordinate(lat, lon)
    described = describe_point(lat, lon)
    if described.country not in KNOWN_COUNTRIES:
        raise InvalidPlace(
            f"lat/lon: {lat}, {lon} is on neither side of the Afghanistan–Pakistan boundary"
        )
    place = Place(
        id=f"local:{uuid.uuid4().hex[:12]}",
        name=name,
        lat=lat,
        lon=lon,
        country=str(described.country),
        admin1=described.admin1,
        admin2=admin2,
        kind=kind,
        sources=(f"local: added by {actor.name}" + (f"; {source}" if source else ""),),
        names=tuple(n.strip() for n in names if n.strip()),
    )
    record = _record(place, origin=LOCAL, created_by=actor.name)
    session.execute(insert(GazetteerPlace), [record])
    append_entry(
        session,
        actor=actor,
        action="gazetteer_place_added",
        object_type="geo_place",
        object_id=place.id,
        after=record,
    )
    return place


def local_places(session: Session) -> list[Place]:
    """Places added locally, oldest first."""
    rows = session.scalars(
        select(GazetteerPlace)
        .where(GazetteerPlace.origin == LOCAL)
        .order_by(GazetteerPlace.created_at)
    )
    return [_place(row) for row in rows]


def _place(row: GazetteerPlace) -> Place:
    return Place(
        id=row.id,
        name=row.name,
        lat=row.lat,
        lon=row.lon,
        country=row.country,
        admin1=row.admin1,
        admin2=row.admin2,
        kind=row.kind,
        population=row.population,
        events=row.events,
        sources=tuple(row.sources),
        names=tuple(row.names),
    )


def gazetteer_with_local_places(session: Session) -> Gazetteer:
    """The shipped gazetteer, plus the local additions when there are any."""
    local = local_places(session)
    shipped = default_gazetteer()
    if not local:
        return shipped
    return Gazetteer([*shipped.places, *local], shipped.metadata)
