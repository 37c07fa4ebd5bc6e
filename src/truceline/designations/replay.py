"""Impact replay: re-run adjudication over stored incidents under a candidate threat definition.

The candidate (a party's list, the joint list, or a what-if list) is compared
with a baseline (the joint list by default): every finding that changes is
reported with the party it exposes or clears, and a per-party tally shows what
the definition would cost or gain each side. Adjudication itself belongs to
``truceline.agreements`` and is reached only through ``designations.replay_adapter``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from truceline.agreements.threat import ThreatDefinition
from truceline.designations.definitions import definition_for, known_group_ids, what_if_definition
from truceline.designations.domain.positions import DesignationError
from truceline.designations.domain.replay import diff_findings, party_tally, settlement_tally
from truceline.designations.replay_adapter import adjudicate_facts, facts_of_incident
from truceline.incidents.models import Incident

NAMED_LISTS = ("AF", "PK", "joint")


def stored_facts(session: Session, *, codes: Sequence[str] | None = None) -> list[dict[str, Any]]:
    """The facts of the stored incidents (all, or those with ``codes``), oldest first."""
    query = select(Incident).order_by(Incident.occurred_at, Incident.id)
    if codes:
        query = query.where(Incident.code.in_(list(codes)))
    return [facts_of_incident(incident) for incident in session.scalars(query)]


def facts_from_file(path: Path) -> list[dict[str, Any]]:
    """Incident facts from a JSON/YAML file in the ``adjudicate`` format (a list of objects)."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise DesignationError(f"{path}: cannot read ({exc})") from None
    if not isinstance(data, list):
        raise DesignationError(f"{path}: expected a list of incident facts")
    return [dict(item) if isinstance(item, dict) else item for item in data]


def candidate_definition(session: Session, list_spec: str) -> ThreatDefinition:
    """``AF``, ``PK``, ``joint``, or the path of a JSON/YAML what-if list."""
    if list_spec.upper() in {n.upper() for n in NAMED_LISTS}:
        return definition_for(session, list_spec)
    path = Path(list_spec)
    if not path.is_file():
        raise DesignationError(
            f"--list {list_spec!r}: neither AF, PK, joint nor a readable JSON/YAML file"
        )
    return what_if_from_file(session, path)


def what_if_from_file(session: Session, path: Path) -> ThreatDefinition:
    """A what-if list from ``["TTP", ...]`` or ``{"name":..., "designated": [...], "disputed": [...]}``."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise DesignationError(f"{path}: cannot read ({exc})") from None
    if isinstance(data, list):
        data = {"designated": data}
    if not isinstance(data, dict) or not isinstance(data.get("designated", []), list):
        raise DesignationError(f"{path}: expected a list of group ids or {{designated: [...]}}")
    return what_if_definition(
        session,
        [str(g) for g in data.get("designated", [])],
        disputed=[str(g) for g in data.get("disputed", [])],
        name=data.get("name") or f"what-if list from {path.name}",
    )


def replay(
    session: Session,
    *,
    candidate: ThreatDefinition,
    baseline: ThreatDefinition | None = None,
    facts: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """Which findings change from ``baseline`` to ``candidate``, and for which party."""
    baseline = baseline or definition_for(session, "joint")
    facts = stored_facts(session) if facts is None else facts
    groups = known_group_ids(session)
    before, rejected = adjudicate_facts(session, facts, known_groups=groups, definition=baseline)
    after, _ = adjudicate_facts(session, facts, known_groups=groups, definition=candidate)
    changes = diff_findings(before, after)
    return {
        "baseline": baseline.name,
        "candidate": candidate.name,
        "incidents": len(facts),
        "findings": len(after),
        "rejected": rejected,
        "changed": len(changes),
        "by_party": party_tally(changes),
        "indeterminate": settlement_tally(changes),
        "changes": [change.as_json() for change in changes],
    }


def compare(
    session: Session, specs: Sequence[str], *, facts: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    """Side by side: each incident × agreement, and its finding under each named definition."""
    facts = stored_facts(session) if facts is None else facts
    groups = known_group_ids(session)
    columns: dict[str, dict[tuple[str, str | None], dict[str, Any]]] = {}
    for spec in specs:
        definition = candidate_definition(session, spec)
        findings, _ = adjudicate_facts(session, facts, known_groups=groups, definition=definition)
        columns[spec] = {(str(f["incident"]), f.get("agreement")): f for f in findings}
    order = {str(fact.get("id")): i for i, fact in enumerate(facts)}
    keys = sorted(
        {k for column in columns.values() for k in column},
        key=lambda k: (order.get(k[0], len(order)), k[1] or ""),
    )
    rows = [_comparison_row(key, columns) for key in keys]
    return {"definitions": list(specs), "rows": rows, "differing": sum(r["differs"] for r in rows)}


def _comparison_row(
    key: tuple[str, str | None], columns: dict[str, dict[tuple[str, str | None], dict[str, Any]]]
) -> dict[str, Any]:
    cells = {
        spec: {
            "finding": column.get(key, {}).get("finding"),
            "violating_party": column.get(key, {}).get("violating_party"),
            "explanation": column.get(key, {}).get("explanation"),
        }
        for spec, column in columns.items()
    }
    outcomes = {(c["finding"], c["violating_party"]) for c in cells.values()}
    return {"incident": key[0], "agreement": key[1], "under": cells, "differs": len(outcomes) > 1}
