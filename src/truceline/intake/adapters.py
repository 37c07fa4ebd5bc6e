"""Where intake reaches other contexts: geoparsing, the armed-group registry, agreements.

Each function is the one place intake calls the other context:

- ``geolocate_place(text)`` takes the best match of ``truceline.geo.locate``
  (the geoparser behind ``truceline geo locate``); a place text the gazetteer
  does not know leaves the report without coordinates, and linking then
  compares it by time, type, actor and text.
- ``resolve_actor(name)`` resolves the parties' names here and any other name
  through ``truceline.designations.resolution.resolve_group`` (every alias and
  spelling in the armed-group registry); a name it does not know stays
  ``unknown``. The name is always kept as the label.
- ``agreement_is_known(session, agreement_id)`` accepts the agreement ids of the
  built-in profile (``docs/cli.md``) and any agreement stored by the
  agreements context (``truceline.agreements.services.agreement_versions``).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from truceline.agreements.services import agreement_versions
from truceline.designations.resolution import resolve_group
from truceline.events.taxonomy import UNKNOWN_ACTOR
from truceline.geo import locate

#: The agreements of the built-in Afghanistan–Pakistan profile.
PROFILE_AGREEMENT_IDS = frozenset(
    {"truce-2025-10-15", "truce-extension-2025-10-17", "doha-2025-10-19", "istanbul-2025-10-30"}
)

#: Names of the parties' forces as sources write them (lower case) -> party code.
PARTY_NAMES: dict[str, str] = {
    "af": "AF",
    "afghanistan": "AF",
    "afghan forces": "AF",
    "afghan taliban forces": "AF",
    "islamic emirate forces": "AF",
    "pk": "PK",
    "pakistan": "PK",
    "pakistani forces": "PK",
    "pakistan army": "PK",
    "pakistani army": "PK",
    "pakistan air force": "PK",
}


@dataclass(frozen=True)
class PlaceFix:
    """Coordinates found for a place description, with their precision."""

    lat: float
    lon: float
    precision: int
    name: str


@dataclass(frozen=True)
class ResolvedActor:
    """An actor id (party code, group id or ``unknown``) and the name as the source gave it."""

    actor_id: str
    label: str


def geolocate_place(place_text: str) -> PlaceFix | None:
    """The best gazetteer match for a place description, or None."""
    if not place_text.strip():
        return None
    matches = locate(place_text)
    if not matches:
        return None
    best = matches[0]
    return PlaceFix(lat=best.lat, lon=best.lon, precision=best.precision, name=best.name)


def resolve_actor(name: str | None, *, session: Session) -> ResolvedActor:
    """The actor id a claimed perpetrator's name refers to: a party, a registry group or unknown."""
    if not name or not name.strip():
        return ResolvedActor(UNKNOWN_ACTOR, "")
    label = name.strip()
    party = PARTY_NAMES.get(label.lower())
    if party:
        return ResolvedActor(party, label)
    if label.lower() == UNKNOWN_ACTOR:
        return ResolvedActor(UNKNOWN_ACTOR, label)
    group = _registry_group(label, session)
    if group:
        return ResolvedActor(group, label)
    return ResolvedActor(UNKNOWN_ACTOR, label)


def _registry_group(label: str, session: Session) -> str | None:
    resolution = resolve_group(label, session=session)
    return resolution.group_id if resolution is not None else None


def agreement_is_known(session: Session, agreement_id: str) -> bool:
    """Whether reports may cite this agreement: a built-in or a stored agreement id."""
    if agreement_id in PROFILE_AGREEMENT_IDS:
        return True
    return bool(agreement_versions(session, agreement_id))
