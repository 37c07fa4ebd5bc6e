"""The one module through which designations reach adjudication (``truceline.agreements``).

Replay needs two things from the agreements context: validating incident facts
(the ``adjudicate`` facts format of docs/cli.md) and judging them against
the agreements in force under a given threat definition. Both are pure
functions there; this adapter turns stored incidents into facts and findings
into the JSON objects of the fixed findings format.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from sqlalchemy.orm import Session

from truceline.agreements.adjudication import Adjudicator
from truceline.agreements.facts import parse_facts
from truceline.agreements.services import agreement_index
from truceline.agreements.threat import ThreatDefinition
from truceline.events.taxonomy import PARTY_CODES
from truceline.incidents.models import Incident


def adjudicate_facts(
    session: Session,
    facts: Sequence[dict[str, Any]],
    *,
    known_groups: Collection[str],
    definition: ThreatDefinition,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Findings (the format of docs/cli.md) for the valid facts, and the errors of the others.

    The agreements are the stored current versions (the built-in ones if none are stored).
    """
    parsed, errors = parse_facts(list(facts), known_groups=known_groups)
    judge = Adjudicator(agreement_index(session), definition=definition, known_groups=known_groups)
    findings = [finding.to_json() for finding in judge.adjudicate_many(parsed)]
    return findings, [error.to_json() for error in errors]


def facts_of_incident(incident: Incident) -> dict[str, Any]:
    """A stored incident as ``adjudicate`` facts (the fixed format of docs/cli.md).

    Kept as JSON rather than parsed here, so that an incident with bad facts is
    reported by the validator with its field instead of stopping the replay.
    """
    location: dict[str, Any] = {"lat": incident.lat, "lon": incident.lon}
    if incident.country:
        location["country"] = incident.country
    facts: dict[str, Any] = {
        "id": incident.code,
        "occurred_at": incident.occurred_at.isoformat(),
        "location": location,
        "event_type": incident.event_type,
        "perpetrator": incident.perpetrator,
        "attribution": list(incident.attribution or []),
        "targets": list(incident.targets or []),
        "fatalities": _best_counts(incident.casualties or {}),
    }
    if incident.target_actor in PARTY_CODES:
        facts["target_party"] = incident.target_actor
    return facts


def _best_counts(casualties: dict[str, Any]) -> dict[str, int]:
    """``{"civilians": {"low":..,"best":..}}`` or ``{"civilians": 3}`` to best counts."""
    counts = {}
    for category, value in casualties.items():
        counts[category] = int(value.get("best", 0)) if isinstance(value, dict) else int(value)
    return counts
