"""Ports from intake to contexts built alongside it: geoparsing, the armed-group registry, agreements.

Each function is the one place the integrator wires to the real context:

- ``geolocate_place(text)`` uses ``truceline.geo`` when it provides
  ``locate(text)`` (the function behind ``truceline geo locate``); otherwise a
  report given only a place text keeps no coordinates, and linking compares it
  by time, type, actor and text.
- ``resolve_actor(name)`` uses ``truceline.designations`` when it provides
  ``resolve_actor_name(name)``; otherwise party names and codes, and group ids
  written as ids, are resolved here, and anything else stays ``unknown`` with
  the name kept as the label.
- ``agreement_is_known(session, agreement_id)`` accepts the agreement ids of the
  built-in profile (``docs/interfaces.md``), and any other that
  ``truceline.agreements.agreement_exists(session, id)`` knows once it exists.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

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
    fields: dict[str, Any] = best if isinstance(best, dict) else vars(best)
    return PlaceFix(
        lat=float(fields["lat"]),
        lon=float(fields["lon"]),
        precision=int(fields.get("precision", PlacePrecision.NEAR_25KM)),
        name=str(fields.get("name", place_text)),
    )


def resolve_actor(name: str | None) -> ResolvedActor:
    """The actor id a claimed perpetrator's name refers to."""
    if not name or not name.strip():
        return ResolvedActor(UNKNOWN_ACTOR, "")
    label = name.strip()
    registry = _optional("truceline.designations", "resolve_actor_name")
    if registry is not None:
        found = registry(label)
        if found:
            return ResolvedActor(str(found), label)
    party = PARTY_NAMES.get(label.lower())
    if party:
        return ResolvedActor(party, label)
    if label.lower() == UNKNOWN_ACTOR:
        return ResolvedActor(UNKNOWN_ACTOR, label)
    if GROUP_ID.match(label):
        return ResolvedActor(label, label)
    return ResolvedActor(UNKNOWN_ACTOR, label)


def agreement_is_known(session: Session, agreement_id: str) -> bool:
    """Whether reports may cite this agreement."""
    if agreement_id in PROFILE_AGREEMENT_IDS:
        return True
    exists = _optional("truceline.agreements", "agreement_exists")
    return bool(exists(session, agreement_id)) if exists is not None else False
