"""Importing registry records from a JSON/YAML file, row by row.

Each row is ``{"record": "position"|"relation"|"alias"|"listing"|"evidence", ...}``.
Rows are applied in order, each in its own savepoint: a bad row is rejected
with its number and the reason, the others are kept. Re-importing the same
file adds nothing (identical records are recognised as duplicates).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy.orm import Session

from truceline.audit.actor import Actor
from truceline.designations.domain.positions import DesignationError, Position
from truceline.designations.services import evidence, positions, registry

Row = dict[str, Any]


def read_rows(path: Path) -> list[Any]:
    """The rows of a JSON or YAML file (JSON is valid YAML), or a ``DesignationError``."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise DesignationError(f"{path}: cannot read ({exc})") from None
    if not isinstance(data, list):
        raise DesignationError(f"{path}: expected a list of records")
    return data


def import_rows(session: Session, rows: list[Any], *, actor: Actor) -> dict[str, Any]:
    """Apply every row; report imported, duplicates and rejected rows (numbered from 1)."""
    imported = duplicates = 0
    rejected: list[dict[str, Any]] = []
    for number, row in enumerate(rows, start=1):
        try:
            with session.begin_nested():
                added = _apply(session, row, actor)
        except (DesignationError, KeyError, TypeError, ValueError) as exc:
            rejected.append({"row": number, "reason": _reason(exc)})
            continue
        imported += added
        duplicates += not added
    return {"imported": imported, "duplicates": duplicates, "rejected": rejected}


def _reason(exc: Exception) -> str:
    if isinstance(exc, KeyError):
        return f"missing field {exc.args[0]!r}"
    return str(exc)


def _apply(session: Session, row: Any, actor: Actor) -> bool:
    if not isinstance(row, dict):
        raise DesignationError("expected an object with a 'record' field")
    kind = row.get("record")
    handler = HANDLERS.get(str(kind))
    if handler is None:
        raise DesignationError(f"record {kind!r}: must be one of {', '.join(sorted(HANDLERS))}")
    return handler(session, row, actor)


def _position(session: Session, row: Row, actor: Actor) -> bool:
    position = Position(
        holder=str(row["holder"]),
        group_id=str(row["group"]),
        stance=positions.parse_stance(str(row["stance"])),
        effective_from=positions.parse_date(row["effective_from"], field="effective_from"),
        rationale=str(row.get("rationale") or ""),
        source=str(row.get("source") or ""),
        criteria=tuple(row.get("criteria", ())),
        date_precision=str(row.get("precision", "day")),
        supersedes_id=row.get("supersedes"),
    )
    return positions.record_position(session, actor=actor, position=position) is not None


def _relation(session: Session, row: Row, actor: Actor) -> bool:
    for field in ("valid_from", "valid_until"):
        if row.get(field) is not None:
            row = {**row, field: positions.parse_date(row[field], field=field)}
    return registry.add_relation(
        session,
        actor=actor,
        relation=registry.parse_relation(row),
        note=str(row.get("note", "")),
        source=str(row.get("source", "")),
    )


def _alias(session: Session, row: Row, actor: Actor) -> bool:
    return registry.add_alias(
        session,
        actor=actor,
        group_id=str(row["group"]),
        alias=str(row["alias"]),
        language=str(row["language"]),
        kind=str(row.get("kind", "name")),
        origin=str(row.get("origin") or ""),
        source=str(row.get("source", "")),
    )


def _listing(session: Session, row: Row, actor: Actor) -> bool:
    return registry.add_listing(
        session,
        actor=actor,
        group_id=str(row["group"]),
        list_name=str(row["list_name"]),
        listed_by=str(row["listed_by"]),
        source=str(row.get("source") or ""),
        listed_year=row.get("listed_year"),
        reference=row.get("reference"),
    )


def _evidence(session: Session, row: Row, actor: Actor) -> bool:
    observed = row.get("observed_on")
    recorded = evidence.record_evidence(
        session,
        actor=actor,
        group_id=str(row["group"]),
        criterion=str(row["criterion"]),
        asserted_by=str(row["asserted_by"]),
        assessment=str(row["assessment"]),
        summary=str(row.get("summary") or ""),
        source=str(row.get("source") or ""),
        observed_on=positions.parse_date(observed, field="observed_on") if observed else None,
        incident_code=row.get("incident"),
    )
    return recorded is not None


HANDLERS: dict[str, Callable[[Session, Row, Actor], bool]] = {
    "position": _position,
    "relation": _relation,
    "alias": _alias,
    "listing": _listing,
    "evidence": _evidence,
}
