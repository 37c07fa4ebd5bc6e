"""The alignment process as a state machine: no stage can be skipped."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from truceline.designations.domain.alignment import (
    AlignmentError,
    Stage,
    Step,
    StepKind,
    apply_step,
    replay_steps,
    start,
)
from truceline.designations.domain.positions import Stance

PROPOSAL = Step(StepKind.PROPOSAL, "TTP attacks PK forces", stance=Stance.DESIGNATED)
PK_YES = Step(StepKind.POSITION, "existential threat", party="PK", stance=Stance.DESIGNATED)
AF_NO = Step(StepKind.POSITION, "domestic matter", party="AF", stance=Stance.NOT_DESIGNATED)
SESSION = Step(StepKind.SESSION, "Istanbul session")
DECISION = Step(StepKind.DECISION, "both accept criteria 1 and 2", stance=Stance.DESIGNATED)
DEFERRAL = Step(StepKind.DEFERRAL, "AF asks for evidence on cross-border operations")


def test_full_process_reaches_a_decision() -> None:
    assert replay_steps([PROPOSAL, PK_YES, AF_NO, SESSION, DECISION]).stage is Stage.DECIDED


def test_deferred_process_can_be_convened_again() -> None:
    state = replay_steps([PROPOSAL, PK_YES, AF_NO, SESSION, DEFERRAL])
    assert state.stage is Stage.DEFERRED
    assert apply_step(apply_step(state, SESSION), DECISION).stage is Stage.DECIDED


def test_session_before_both_positions_is_refused_with_the_allowed_steps() -> None:
    state = replay_steps([PROPOSAL, PK_YES])
    with pytest.raises(
        AlignmentError, match="cannot record a session at stage proposed; allowed: position"
    ):
        apply_step(state, SESSION)


def test_decision_is_final() -> None:
    state = replay_steps([PROPOSAL, PK_YES, AF_NO, SESSION, DECISION])
    with pytest.raises(AlignmentError, match="nothing \\(the process is decided\\)"):
        apply_step(state, PK_YES)


def test_position_without_rationale_and_deferral_without_reasons_are_refused() -> None:
    with pytest.raises(AlignmentError, match="position of AF: a rationale is required"):
        apply_step(
            start(PROPOSAL), Step(StepKind.POSITION, " ", party="AF", stance=Stance.DISPUTED)
        )
    held = replay_steps([PROPOSAL, PK_YES, AF_NO, SESSION])
    with pytest.raises(AlignmentError, match="deferral: reasons are required"):
        apply_step(held, Step(StepKind.DEFERRAL, ""))


def test_decision_must_designate_or_not() -> None:
    held = replay_steps([PROPOSAL, PK_YES, AF_NO, SESSION])
    with pytest.raises(AlignmentError, match="stance must be designated or not_designated"):
        apply_step(held, Step(StepKind.DECISION, "split", stance=Stance.DISPUTED))


def test_position_of_a_non_party_is_refused() -> None:
    with pytest.raises(AlignmentError, match="party must be one of AF, PK"):
        apply_step(
            start(PROPOSAL), Step(StepKind.POSITION, "r", party="QA", stance=Stance.DESIGNATED)
        )


STEPS = st.sampled_from([PK_YES, AF_NO, SESSION, DECISION, DEFERRAL])


@given(st.lists(STEPS, max_size=12))
def test_no_sequence_decides_without_both_positions_and_a_session(steps: list[Step]) -> None:
    state = start(PROPOSAL)
    taken: list[Step] = []
    for step in steps:
        try:
            state = apply_step(state, step)
        except AlignmentError:
            continue
        taken.append(step)
    if state.stage is Stage.DECIDED:
        assert PK_YES in taken and AF_NO in taken
        assert taken.index(SESSION) < taken.index(DECISION)
