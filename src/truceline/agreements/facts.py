"""Reading and validating incident facts (docs/cli.md, "Incident facts").

Validation is hand-written rather than a Pydantic model per incident: it runs
on a million incidents in the benchmark, and it must name every problem
precisely (the index, the incident id and the field). Each incident is either
accepted whole or rejected with all its errors; the others are kept.
"""

from __future__ import annotations

import difflib
import hashlib
import json
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from truceline.agreements.domain import PARTIES, Attribution, IncidentFacts
from truceline.errors import CodedError
from truceline.events.taxonomy import EVENT_TYPES, UNKNOWN_ACTOR, AttributionLink, Target

REQUIRED_FIELDS = ("id", "occurred_at", "location", "event_type", "perpetrator", "targets")
KNOWN_FIELDS = frozenset((*REQUIRED_FIELDS, "attribution", "fatalities", "target_party"))
TARGETS = frozenset(t.value for t in Target)
LINKS = frozenset(link.value for link in AttributionLink)
FATALITY_CATEGORIES = ("civilians", "security_forces", "militants", "unknown")

#: What a facts file must look like, said in every error about its shape (docs/cli.md, "Incident facts").
EXPECTED_SHAPE = (
    "expected a JSON list of incident objects, each with the keys id, occurred_at "
    '(ISO 8601 with a UTC offset), location ({"lat": ..., "lon": ...} or null), event_type, '
    "perpetrator (AF, PK, an armed group id or unknown) and targets (a list), and optionally "
    'attribution, fatalities and target_party; for example [{"id": "i-1", "occurred_at": '
    '"2025-10-17T21:30:00+05:00", "location": {"lat": 32.93, "lon": 69.17}, '
    '"event_type": "air_drone_strike", "perpetrator": "PK", "targets": ["civilians"]}]'
)


@dataclass(frozen=True, slots=True)
class FactError:
    """One problem in one incident: where (index, id, field) and what."""

    index: int
    incident: str | None
    field: str
    reason: str

    def to_json(self) -> dict[str, object]:
        return {
            "index": self.index,
            "incident": self.incident,
            "field": self.field,
            "reason": self.reason,
        }

    def __str__(self) -> str:
        who = f"incident {self.index}" + (f" ({self.incident!r})" if self.incident else "")
        return f"{who}, field {self.field}: {self.reason}"


class FactsInvalid(CodedError, ValueError):
    """Raised by ``parse_one`` with every error found in that incident (``field``: the first's)."""

    default_code = "facts_invalid"

    def __init__(self, errors: list[FactError]) -> None:
        super().__init__(
            "; ".join(str(e) for e in errors), field=errors[0].field if errors else None
        )
        self.errors = errors


def parse_facts(
    items: Any, *, known_groups: Collection[str]
) -> tuple[list[IncidentFacts], list[FactError]]:
    """Validate a JSON list of incident facts: the good ones, and every error in the rest."""
    problem = document_shape_problem(items)
    if problem is not None:
        return [], [FactError(-1, None, "(document)", problem)]
    actors = frozenset(known_groups) | frozenset(PARTIES) | {UNKNOWN_ACTOR}
    accepted: list[IncidentFacts] = []
    errors: list[FactError] = []
    for index, item in enumerate(items):
        try:
            accepted.append(parse_one(item, index=index, actors=actors))
        except FactsInvalid as invalid:
            errors.extend(invalid.errors)
    return accepted, errors


def document_shape_problem(items: Any) -> str | None:
    """Why a whole facts document has the wrong shape (and what it should be), or None.

    A common slip is wrapping the list in an object (``{"incidents": [...]}``):
    that is named, with the key to unwrap.
    """
    if isinstance(items, list):
        return None
    got = f"got {_json_kind(items)}"
    if isinstance(items, dict):
        keys = ", ".join(map(str, list(items)[:8])) or "none"
        got += f" with the keys {keys}"
        lists = [str(key) for key, value in items.items() if isinstance(value, list)]
        if len(lists) == 1:
            got += f"; if the incidents are under {lists[0]!r}, give that list alone"
    return f"{EXPECTED_SHAPE}; {got}"


def _json_kind(value: Any) -> str:
    kinds = {dict: "a JSON object", str: "a string", bool: "true or false", type(None): "null"}
    if isinstance(value, int | float) and not isinstance(value, bool):
        return "a number"
    return kinds.get(type(value), type(value).__name__)


def parse_one(item: Any, *, index: int, actors: Collection[str]) -> IncidentFacts:
    """One incident's facts, or ``FactsInvalid`` naming each bad field."""
    if not isinstance(item, dict):
        reason = (
            f"expected an incident object with the keys {', '.join(REQUIRED_FIELDS)}; "
            f"got {_json_kind(item)}"
        )
        raise FactsInvalid([FactError(index, None, "(incident)", reason)])
    incident_id = item.get("id")
    label = incident_id if isinstance(incident_id, str) else None
    errors: list[FactError] = []

    def bad(field: str, reason: str) -> None:
        errors.append(FactError(index, label, field, reason))

    _check_keys(item, bad)
    if errors:
        raise FactsInvalid(errors)
    facts = _build(item, actors, bad)
    if errors or facts is None:
        raise FactsInvalid(errors)
    return facts


def _check_keys(item: dict[str, Any], bad: Any) -> None:
    """Required fields present; a key that looks like a misspelt field is an error, not ignored."""
    for name in REQUIRED_FIELDS:
        if name not in item:
            bad(name, "missing")
    for key in item.keys() - KNOWN_FIELDS:
        close = difflib.get_close_matches(str(key), KNOWN_FIELDS, n=1, cutoff=0.75)
        if close:
            bad(str(key), f"unknown field; did you mean {close[0]!r}?")


def _build(item: dict[str, Any], actors: Collection[str], bad: Any) -> IncidentFacts | None:
    incident_id = item["id"]
    if not isinstance(incident_id, str) or not incident_id:
        bad("id", "must be a non-empty string")
    occurred_at = _instant(item["occurred_at"], bad)
    lat, lon, country = _location(item["location"], bad)
    event_type = item["event_type"]
    if event_type not in EVENT_TYPES:
        bad("event_type", f"unknown event type {event_type!r} (see events/taxonomy.py)")
    perpetrator = item["perpetrator"]
    if not isinstance(perpetrator, str) or perpetrator not in actors:
        bad("perpetrator", f"unknown actor {perpetrator!r}: a party code, a group id or 'unknown'")
    target_party = item.get("target_party")
    if target_party is not None and target_party not in PARTIES:
        bad("target_party", f"must be AF, PK or absent, not {target_party!r}")
    targets = _targets(item["targets"], bad)
    attribution = _attribution(item.get("attribution") or [], bad)
    fatalities = _fatalities(item.get("fatalities") or {}, bad)
    if occurred_at is None or not isinstance(incident_id, str):
        return None
    return IncidentFacts(
        id=incident_id,
        occurred_at=occurred_at,
        instant=occurred_at.timestamp(),
        lat=lat,
        lon=lon,
        event_type=event_type,
        perpetrator=perpetrator,
        attribution=attribution,
        targets=targets,
        fatalities=fatalities,
        country=country,
        target_party=target_party,
    )


def _instant(value: Any, bad: Any) -> datetime | None:
    if not isinstance(value, str):
        bad("occurred_at", "must be an ISO 8601 string with a UTC offset")
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        bad("occurred_at", f"{value!r} is not an ISO 8601 date-time")
        return None
    if parsed.tzinfo is None:
        bad("occurred_at", f"{value!r} is naive: give a UTC offset such as +05:00, +04:30 or Z")
        return None
    return parsed


def _location(value: Any, bad: Any) -> tuple[Any, Any, Any]:
    """``(lat, lon, country)``; a null location, or null coordinates, mean "not known"."""
    if value is None:
        return None, None, None
    if not isinstance(value, dict):
        bad("location", "must be an object {lat, lon} or null")
        return None, None, None
    lat: Any = value.get("lat")
    lon: Any = value.get("lon")
    country: Any = value.get("country")
    if country is not None and not (isinstance(country, str) and len(country) == 2):
        bad("location.country", f"must be a two-letter country code, not {country!r}")
    if lat is None and lon is None:
        return None, None, country
    if not _number(lat) or not -90 <= lat <= 90:
        bad("location.lat", f"must be a number from -90 to 90, not {lat!r}")
    if not _number(lon) or not -180 <= lon <= 180:
        bad("location.lon", f"must be a number from -180 to 180, not {lon!r}")
    return lat, lon, country


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _targets(value: Any, bad: Any) -> tuple[str, ...]:
    if not isinstance(value, list):
        bad("targets", "must be a list")
        return ()
    for position, target in enumerate(value):
        if target not in TARGETS:
            bad(f"targets[{position}]", f"unknown target {target!r}; one of {sorted(TARGETS)}")
    return tuple(sorted(set(value) & TARGETS))


def _attribution(value: Any, bad: Any) -> tuple[Attribution, ...]:
    if not isinstance(value, list):
        bad("attribution", "must be a list")
        return ()
    links: list[Attribution] = []
    for position, entry in enumerate(value):
        where = f"attribution[{position}]"
        if not isinstance(entry, dict):
            bad(where, "must be an object {party, link, established}")
            continue
        party, link, established = entry.get("party"), entry.get("link"), entry.get("established")
        if party not in PARTIES:
            bad(f"{where}.party", f"must be AF or PK, not {party!r}")
        if link not in LINKS:
            bad(f"{where}.link", f"unknown link {link!r}; one of {sorted(LINKS)}")
        if not isinstance(established, bool):
            bad(f"{where}.established", "must be true or false")
        links.append(Attribution(str(party), str(link), established is True))
    return tuple(sorted(set(links), key=lambda a: (a.party, a.link, a.established)))


def _fatalities(value: Any, bad: Any) -> tuple[tuple[str, int], ...]:
    if not isinstance(value, dict):
        bad("fatalities", "must be an object of counts by category")
        return ()
    counts: list[tuple[str, int]] = []
    for category, count in value.items():
        if category not in FATALITY_CATEGORIES:
            bad(f"fatalities.{category}", f"unknown category; one of {list(FATALITY_CATEGORIES)}")
        elif not isinstance(count, int) or isinstance(count, bool) or count < 0:
            bad(f"fatalities.{category}", f"must be a whole number >= 0, not {count!r}")
        elif count:
            counts.append((category, count))
    return tuple(sorted(counts))


def facts_hash(facts: IncidentFacts) -> str:
    """SHA-256 of the facts in canonical form (instant in UTC), so a finding can be reproduced.

    Fields are joined with a unit separator; strings are ``repr``-quoted so no
    value can run into the next.
    """
    attribution = ";".join(f"{a.party}:{a.link}:{a.established:d}" for a in facts.attribution)
    fatalities = ";".join(f"{k}:{v}" for k, v in facts.fatalities)
    canonical = "\x1f".join(
        (
            repr(facts.id),
            repr(facts.instant),
            repr(facts.lat),
            repr(facts.lon),
            repr(facts.country),
            facts.event_type,
            facts.perpetrator,
            attribution,
            ",".join(facts.targets),
            repr(facts.target_party),
            fatalities,
        )
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def facts_to_json(facts: IncidentFacts) -> dict[str, Any]:
    """The facts back in the form of docs/cli.md (for storage, the API and re-runs)."""
    location: dict[str, Any] | None = None
    if facts.lat is not None and facts.lon is not None:
        location = {"lat": facts.lat, "lon": facts.lon}
        if facts.country:
            location["country"] = facts.country
    data: dict[str, Any] = {
        "id": facts.id,
        "occurred_at": facts.occurred_at.isoformat(),
        "location": location,
        "event_type": facts.event_type,
        "perpetrator": facts.perpetrator,
        "attribution": [
            {"party": a.party, "link": a.link, "established": a.established}
            for a in facts.attribution
        ],
        "targets": list(facts.targets),
        "fatalities": dict(facts.fatalities),
    }
    if facts.target_party:
        data["target_party"] = facts.target_party
    return data


def load_facts_file(text: str) -> Any:
    """Parse a facts file's JSON text (any JSON; ``parse_facts`` checks it is a list)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ValueError(
            f"not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}"
        ) from None
    return data
