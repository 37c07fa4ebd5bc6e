"""Recording each party's position on a group, append-only with effective dates.

A position names its holder (``AF``, ``PK``; ``JOINT`` only through a decision
of the alignment process), the stance, the date it takes effect, a rationale
and a source. Conflicting effective dates are rejected; a correction names the
record it supersedes.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from truceline.audit.actor import Actor
from truceline.audit.log import add_logged
from truceline.designations.domain.positions import (
    JOINT,
    DesignationError,
    Position,
    Stance,
    check_new_position,
    is_duplicate,
)
from truceline.designations.models import Criterion, DesignationPosition
from truceline.designations.repository import load_positions
from truceline.designations.services.registry import require_group


def parse_stance(value: str, *, field: str = "stance") -> Stance:
    try:
        return Stance(value)
    except ValueError:
        allowed = ", ".join(s.value for s in Stance)
        raise DesignationError(f"{field} {value!r}: must be one of {allowed}") from None


def record_position(
    session: Session,
    *,
    actor: Actor,
    position: Position,
    process_id: int | None = None,
) -> DesignationPosition | None:
    """Append ``position``; None if the very same position is already recorded."""
    require_group(session, position.group_id)
    if position.holder == JOINT and process_id is None:
        raise DesignationError(
            f"joint position on {position.group_id}: the joint list changes only by a decision "
            "of the alignment process"
        )
    _check_criteria(session, position.criteria)
    existing = load_positions(session, group_id=position.group_id)
    if is_duplicate(position, existing):
        return None
    _check_supersedes(position, existing)
    check_new_position(position, existing)
    row = _row_of(position, process_id=process_id, recorded_by=actor.name)
    add_logged(
        session,
        row,
        actor=actor,
        action="designations.position.record",
        object_type="designation_position",
        after=_position_json(position),
    )
    return row


def _check_supersedes(position: Position, existing: Sequence[Position]) -> None:
    if position.supersedes_id is None:
        return
    target = next((p for p in existing if p.id == position.supersedes_id), None)
    if target is None or target.holder != position.holder:
        raise DesignationError(
            f"supersedes: record {position.supersedes_id} is not a position of "
            f"{position.holder} on {position.group_id}"
        )


def _check_criteria(session: Session, codes: Sequence[str]) -> None:
    known = set(session.scalars(select(Criterion.code)))
    unknown = sorted(set(codes) - known)
    if unknown:
        raise DesignationError(
            f"criteria: unknown code(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}"
        )


def _row_of(position: Position, *, process_id: int | None, recorded_by: str) -> DesignationPosition:
    return DesignationPosition(
        holder=position.holder,
        group_id=position.group_id,
        stance=position.stance.value,
        effective_from=position.effective_from,
        date_precision=position.date_precision,
        rationale=position.rationale,
        source=position.source,
        criteria=list(position.criteria),
        supersedes_id=position.supersedes_id,
        process_id=process_id,
        recorded_by=recorded_by,
    )


def _position_json(position: Position) -> dict[str, object]:
    return {
        "holder": position.holder,
        "group": position.group_id,
        "stance": position.stance.value,
        "effective_from": position.effective_from.isoformat(),
        "rationale": position.rationale,
        "source": position.source,
        "supersedes": position.supersedes_id,
    }


def parse_date(value: str | date, *, field: str) -> date:
    """A date from ISO text, with a message naming the field."""
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise DesignationError(f"{field} {value!r}: expected a date as YYYY-MM-DD") from None
