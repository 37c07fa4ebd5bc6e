"""The alignment process toward a joint list, as a pure state machine.

A process runs: proposal → each party's position with rationale → mediator
session → decision, or deferral with the reasons recorded. After a deferral,
the parties may restate their positions and the mediator may convene again.
A decision is final; changing it needs a new proposal. ``apply_step`` is the
only way a process moves, so the service cannot skip a stage.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from truceline.designations.domain.positions import PARTY_HOLDERS, DesignationError, Stance


class Stage(StrEnum):
    PROPOSED = "proposed"
    POSITIONS_COMPLETE = "positions_complete"
    SESSION_HELD = "session_held"
    DECIDED = "decided"
    DEFERRED = "deferred"


class StepKind(StrEnum):
    PROPOSAL = "proposal"
    POSITION = "position"
    SESSION = "session"
    DECISION = "decision"
    DEFERRAL = "deferral"


#: Stances a proposal or a decision can carry (a joint list is not "unknown").
DECIDABLE = (Stance.DESIGNATED, Stance.NOT_DESIGNATED)


class AlignmentError(DesignationError):
    """A step that the process does not allow at its current stage."""


@dataclass(frozen=True)
class Step:
    """One step as recorded; ``party`` only for positions, ``stance`` for proposal/position/decision."""

    kind: StepKind
    rationale: str
    party: str | None = None
    stance: Stance | None = None


@dataclass(frozen=True)
class ProcessState:
    stage: Stage
    stated: frozenset[str] = field(default_factory=frozenset)

    def expects(self) -> list[StepKind]:
        """The steps allowed next, for messages and for the user interface."""
        return sorted(ALLOWED[self.stage], key=list(StepKind).index)


ALLOWED: dict[Stage, frozenset[StepKind]] = {
    Stage.PROPOSED: frozenset({StepKind.POSITION}),
    Stage.POSITIONS_COMPLETE: frozenset({StepKind.POSITION, StepKind.SESSION}),
    Stage.SESSION_HELD: frozenset({StepKind.DECISION, StepKind.DEFERRAL}),
    Stage.DEFERRED: frozenset({StepKind.POSITION, StepKind.SESSION}),
    Stage.DECIDED: frozenset(),
}


def start(step: Step) -> ProcessState:
    """The state after the opening proposal."""
    if step.kind is not StepKind.PROPOSAL:
        raise AlignmentError(f"a process opens with a proposal, not a {step.kind.value}")
    _require_rationale(step)
    _require_decidable(step)
    return ProcessState(Stage.PROPOSED)


def apply_step(state: ProcessState, step: Step) -> ProcessState:
    """The state after ``step``, or an ``AlignmentError`` naming what is allowed instead."""
    if step.kind not in ALLOWED[state.stage]:
        allowed = ", ".join(k.value for k in state.expects()) or "nothing (the process is decided)"
        raise AlignmentError(
            f"cannot record a {step.kind.value} at stage {state.stage.value}; allowed: {allowed}"
        )
    _require_rationale(step)
    if step.kind is StepKind.POSITION:
        return _after_position(state, step)
    if step.kind is StepKind.SESSION:
        return ProcessState(Stage.SESSION_HELD, state.stated)
    if step.kind is StepKind.DECISION:
        _require_decidable(step)
        return ProcessState(Stage.DECIDED, state.stated)
    return ProcessState(Stage.DEFERRED, state.stated)


def replay_steps(steps: Iterable[Step]) -> ProcessState:
    """The state a recorded sequence of steps leads to (checks the whole history)."""
    iterator = iter(steps)
    first = next(iterator, None)
    if first is None:
        raise AlignmentError("a process needs at least its proposal")
    state = start(first)
    for step in iterator:
        state = apply_step(state, step)
    return state


def _after_position(state: ProcessState, step: Step) -> ProcessState:
    if step.party not in PARTY_HOLDERS:
        raise AlignmentError(
            f"position: party must be one of {', '.join(PARTY_HOLDERS)}, got {step.party!r}"
        )
    if step.stance is None:
        raise AlignmentError(f"position of {step.party}: a stance is required")
    stated = state.stated | {step.party}
    if state.stage is Stage.DEFERRED:
        return ProcessState(Stage.DEFERRED, stated)
    complete = stated >= set(PARTY_HOLDERS)
    return ProcessState(Stage.POSITIONS_COMPLETE if complete else Stage.PROPOSED, stated)


def _require_rationale(step: Step) -> None:
    if not step.rationale.strip():
        what = "reasons are" if step.kind is StepKind.DEFERRAL else "a rationale is"
        who = f" of {step.party}" if step.party else ""
        raise AlignmentError(f"{step.kind.value}{who}: {what} required")


def _require_decidable(step: Step) -> None:
    if step.stance not in DECIDABLE:
        raise AlignmentError(
            f"{step.kind.value}: stance must be designated or not_designated, got "
            f"{step.stance.value if step.stance else None!r}"
        )
