"""Ports from intake to contexts built alongside it: geoparsing, the armed-group registry, agreements.

Each function is the one place the integrator wires to the real context:

- ``geolocate_place(text)`` takes the best match of ``truceline.geo.locate``
  (the geoparser behind ``truceline geo locate``); without the geo context a
  report given only a place text keeps no coordinates, and linking compares it
  by time, type, actor and text.
- ``resolve_actor(name)`` resolves the parties' names here and any other name
  through ``truceline.designations.resolution.resolve_group`` (every alias and
  spelling in the armed-group registry); without the registry, group ids
  written as ids are kept and anything else stays ``unknown``. The name is
  always kept as the label.
- ``agreement_is_known(session, agreement_id)`` accepts the agreement ids of the
  built-in profile (``docs/interfaces.md``) and any agreement stored by the
  agreements context (``truceline.agreements.services.agreement_versions``).
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.exc import OperationalError, ProgrammingError
from sqlalchemy.orm import Session

from truceline.events.taxonomy import UNKNOWN_ACTOR, PlacePrecision

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
GROUP_ID = re.compile(r"^[A-Z][A-Z0-9-]{1,15}$")


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


def _optional(module: str, name: str) -> Callable[..., Any] | None:
    try:
        found: Callable[..., Any] | None = getattr(importlib.import_module(module), name, None)
        return found
    except ImportError:
        return None


def geolocate_place(place_text: str) -> PlaceFix | None:
    """The best gazetteer match for a place description, or None."""
    locate = _optional("truceline.geo", "locate")
    if locate is None or not place_text.strip():
        return None
    result = locate(place_text)
    matches = result.get("matches", []) if isinstance(result, dict) else list(result or [])
    if not matches:
        return None
    best = matches[0]
    return PlaceFix(
        lat=float(_field(best, "lat")),
        lon=float(_field(best, "lon")),
        precision=int(_field(best, "precision", PlacePrecision.NEAR_25KM)),
        name=str(_field(best, "name", place_text)),
    )


def _field(record: Any, name: str, default: Any = None) -> Any:
    """A field of a match given as a JSON object or as an object with attributes."""
    if isinstance(record, dict):
        return record.get(name, default)
    return getattr(record, name, default)


def resolve_actor(name: str | None, *, session: Session | None = None) -> ResolvedActor:
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
    if GROUP_ID.match(label):
        return ResolvedActor(label, label)
    return ResolvedActor(UNKNOWN_ACTOR, label)


def _registry_group(label: str, session: Session | None) -> str | None:
    resolve_group = _optional("truceline.designations.resolution", "resolve_group")
    if resolve_group is None:
        return None
    resolution = resolve_group(label, session=session)
    group_id = getattr(resolution, "group_id", None) if resolution is not None else None
    return str(group_id) if group_id else None


def agreement_is_known(session: Session, agreement_id: str) -> bool:
    """Whether reports may cite this agreement."""
    if agreement_id in PROFILE_AGREEMENT_IDS:
        return True
    versions = _optional("truceline.agreements.services", "agreement_versions")
    if versions is None:
        return False
    try:
        with session.begin_nested():  # a missing table must not abort the caller's transaction
            return bool(versions(session, agreement_id))
    except (OperationalError, ProgrammingError):
        return False
