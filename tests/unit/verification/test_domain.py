from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from truceline.accounts.roles import Role
from truceline.verification.domain import (
    DEFAULT_DEADLINES_HOURS,
    State,
    TaskDeadline,
    TeamMember,
    TransitionRefused,
    VerificationContext,
    check_transition,
    default_deadline,
    team_composition_problems,
)

NOW = datetime(2025, 10, 20, 12, tzinfo=UTC)
JOINT_TEAM = (
    TeamMember("af-1", Role.TEAM_MEMBER, "AF"),
    TeamMember("pk-1", Role.TEAM_MEMBER, "PK"),
    TeamMember("qa-1", Role.MEDIATOR, None),
)


def test_refused_transition_names_state_attempt_and_allowed_moves() -> None:
    with pytest.raises(TransitionRefused) as refused:
        check_transition(
            State.REPORTED, "determine", role=Role.MEDIATOR, context=VerificationContext(), now=NOW
        )
    message = str(refused.value)
    assert "determine" in message and "reported" in message and "triage" in message


def test_party_liaison_cannot_determine() -> None:
    context = VerificationContext(team=JOINT_TEAM, member_views=1, reply_received=True)
    with pytest.raises(TransitionRefused, match="role party_liaison may not"):
        check_transition(
            State.FINDINGS_PROPOSED, "determine", role=Role.PARTY_LIAISON, context=context, now=NOW
        )


def test_verification_needs_a_member_from_each_party_and_a_neutral() -> None:
    assert team_composition_problems(JOINT_TEAM) == []
    problems = team_composition_problems(JOINT_TEAM[:1])
    assert "the team has no member nominated by PK" in problems
    assert "the team has no mediator or neutral monitor" in problems
    with pytest.raises(TransitionRefused, match="nominated by PK"):
        check_transition(
            State.TRIAGED,
            "start_verification",
            role=Role.MEDIATOR,
            context=VerificationContext(team=JOINT_TEAM[:1]),
            now=NOW,
        )


def test_determination_waits_for_the_accused_partys_reply_window() -> None:
    open_window = VerificationContext(
        team=JOINT_TEAM, member_views=2, accused_party="AF", reply_due=NOW + timedelta(hours=1)
    )
    with pytest.raises(TransitionRefused, match="right of reply of AF is still open"):
        check_transition(
            State.FINDINGS_PROPOSED, "determine", role=Role.MEDIATOR, context=open_window, now=NOW
        )
    closed = VerificationContext(
        team=JOINT_TEAM, member_views=2, accused_party="AF", reply_due=NOW - timedelta(hours=1)
    )
    transition = check_transition(
        State.FINDINGS_PROPOSED, "determine", role=Role.MEDIATOR, context=closed, now=NOW
    )
    assert transition.target is State.DETERMINED


def test_task_is_overdue_only_when_undone_after_its_deadline() -> None:
    due = default_deadline(NOW, "first_assessment", DEFAULT_DEADLINES_HOURS)
    assert due == NOW + timedelta(hours=72)
    task = TaskDeadline("first_assessment", due)
    assert not task.is_overdue(NOW)
    assert task.is_overdue(due + timedelta(minutes=1))
    assert not TaskDeadline("first_assessment", due, done_at=due).is_overdue(
        due + timedelta(days=1)
    )
