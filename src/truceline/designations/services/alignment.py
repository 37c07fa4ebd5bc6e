"""Running the alignment process: proposal → positions → mediator session → decision or deferral.

The stage is never set by hand: every new step is checked by the pure state
machine (``domain.alignment``) against the steps already recorded. A decision
appends the joint position it decides, effective from the date it names.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from truceline.audit.actor import Actor
from truceline.audit.log import append_entry
from truceline.designations.domain.alignment import (
    AlignmentError,
    ProcessState,
    Step,
    StepKind,
    apply_step,
    replay_steps,
    start,
)
from truceline.designations.domain.positions import JOINT, Position, Stance
from truceline.designations.models import AlignmentProcess, AlignmentStep
from truceline.designations.services.positions import parse_date, record_position
from truceline.designations.services.registry import require_group


def open_process(
    session: Session,
    *,
    actor: Actor,
    group_id: str,
    stance: Stance,
    rationale: str,
    on: date,
) -> AlignmentProcess:
    """Open a process with its proposal (to designate, or to take off the joint list)."""
    require_group(session, group_id)
    proposal = Step(StepKind.PROPOSAL, rationale, stance=stance)
    state = start(proposal)
    process = AlignmentProcess(
        group_id=group_id,
        proposed_stance=stance.value,
        stage=state.stage.value,
        opened_by=actor.name,
    )
    session.add(process)
    session.flush()
    _store_step(session, process, proposal, on=on, actor=actor, details={})
    return process


def add_step(
    session: Session,
    *,
    actor: Actor,
    process_id: int,
    step: Step,
    on: date,
    details: dict[str, Any] | None = None,
) -> AlignmentProcess:
    """Record the next step, if the process allows it at its stage."""
    process = session.get(AlignmentProcess, process_id)
    if process is None:
        raise AlignmentError(f"process {process_id}: no such alignment process")
    state = apply_step(current_state(process), step)
    extra = dict(details or {})
    if step.kind is StepKind.DECISION:
        extra["effective_from"] = _decide(session, process, step, on=on, actor=actor, extra=extra)
    _store_step(session, process, step, on=on, actor=actor, details=extra)
    before = process.stage
    process.stage = state.stage.value
    session.flush()
    append_entry(
        session,
        actor=actor,
        action=f"designations.process.{step.kind.value}",
        object_type="alignment_process",
        object_id=process.id,
        before={"stage": before},
        after={"stage": process.stage, "party": step.party, "rationale": step.rationale},
    )
    return process


def current_state(process: AlignmentProcess) -> ProcessState:
    """The state the recorded steps lead to (recomputed, never trusted from the column)."""
    return replay_steps(_step_of(row) for row in process.steps)


def _decide(
    session: Session,
    process: AlignmentProcess,
    step: Step,
    *,
    on: date,
    actor: Actor,
    extra: dict[str, Any],
) -> str:
    effective_date = parse_date(str(extra.get("effective_from") or on), field="effective_from")
    assert step.stance is not None  # the state machine requires it for a decision
    position = Position(
        holder=JOINT,
        group_id=process.group_id,
        stance=step.stance,
        effective_from=effective_date,
        rationale=step.rationale,
        source=f"alignment process {process.id}, decision of {on.isoformat()}",
    )
    record_position(session, actor=actor, position=position, process_id=process.id)
    return effective_date.isoformat()


def _store_step(
    session: Session,
    process: AlignmentProcess,
    step: Step,
    *,
    on: date,
    actor: Actor,
    details: dict[str, Any],
) -> None:
    row = AlignmentStep(
        process_id=process.id,
        kind=step.kind.value,
        party=step.party,
        stance=step.stance.value if step.stance else None,
        rationale=step.rationale,
        details=details,
        occurred_on=on,
        recorded_by=actor.name,
    )
    session.add(row)
    session.flush()
    session.refresh(process, ["steps"])


def _step_of(row: AlignmentStep) -> Step:
    return Step(
        kind=StepKind(row.kind),
        rationale=row.rationale,
        party=row.party,
        stance=Stance(row.stance) if row.stance else None,
    )


def process_json(process: AlignmentProcess) -> dict[str, Any]:
    """A process with its steps, for the API and the CLI."""
    state = current_state(process)
    return {
        "id": process.id,
        "group": process.group_id,
        "proposed_stance": process.proposed_stance,
        "stage": state.stage.value,
        "next_steps": [k.value for k in state.expects()],
        "steps": [
            {
                "kind": row.kind,
                "party": row.party,
                "stance": row.stance,
                "rationale": row.rationale,
                "on": row.occurred_on.isoformat(),
                "details": row.details,
                "recorded_by": row.recorded_by,
            }
            for row in process.steps
        ],
    }
