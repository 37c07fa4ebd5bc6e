"""The facts of a verification case as the access policy sees them, and the one check of a step.

``case_resource`` reads what ``accounts.policy_workflow`` decides on (the
case's state, the names on its active joint team, the accused party, whether
the right of reply is open) from the database; ``require_case_step`` asks the
policy before a service acts; ``actions_for`` lists what a principal may do on
an incident now, for the incident page, the API (``available_actions`` of a
case's record) and the CLI (``truceline verification actions``).
"""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import select
from sqlalchemy.orm import Session

from truceline.accounts.policy import (
    Resource,
    ResourceType,
    Step,
    authorize_step,
    available_actions,
    require_step,
    step_decisions,
)
from truceline.accounts.policy_workflow import TABLE
from truceline.accounts.roles import Principal
from truceline.verification.domain import State, TransitionRefused
from truceline.verification.models import TeamMembership, VerificationCase

#: Steps that are transitions of the state machine (which reports a wrong state itself).
TRANSITION_STEPS = frozenset(
    {
        Step.TRIAGE,
        Step.REFUTE,
        Step.START_VERIFICATION,
        Step.CLOSE_UNVERIFIABLE,
        Step.PROPOSE_FINDINGS,
        Step.REOPEN,
        Step.DETERMINE,
    }
)


def team_names(session: Session, case_id: int) -> frozenset[str]:
    """The names on the case's active joint team."""
    return frozenset(
        session.scalars(
            select(TeamMembership.name).where(
                TeamMembership.case_id == case_id, TeamMembership.released_at.is_(None)
            )
        )
    )


def case_resource(session: Session, case: VerificationCase | None) -> Resource:
    """The policy's view of a case (``case_state`` None: no case is open yet)."""
    if case is None:
        return Resource(ResourceType.VERIFICATION_CASE)
    return Resource(
        ResourceType.VERIFICATION_CASE,
        owner_party=case.accused_party,
        case_state=case.state,
        team=team_names(session, case.id),
        reply_open=case.reply_opened_at is not None,
    )


def require_case_step(
    session: Session, principal: Principal, step: Step, case: VerificationCase
) -> None:
    """Ask the policy before acting. Who may take the step at all (role, party, team) is
    answered first, as access (401/403); then a state that does not admit it is refused as a
    transition (409 over HTTP; the state machine reports its own transitions)."""
    facts = case_resource(session, case)
    states = TABLE[step].states
    if facts.case_state not in states:
        somewhere = [replace(facts, case_state=state, reply_open=False) for state in states]
        if not any(authorize_step(principal, step, f) for f in somewhere):
            require_step(principal, step, somewhere[0])
        if step not in TRANSITION_STEPS:
            raise TransitionRefused(
                State(case.state),
                step.value,
                f"not possible in state {case.state}",
                code="not_possible_in_state",
            )
        return
    require_step(principal, step, facts)


def step_answers(
    session: Session, principal: Principal, case: VerificationCase | None
) -> list[dict[str, object]]:
    """Every step with the policy's answer and its reason, for the API and the CLI."""
    answers = step_decisions(principal, case_resource(session, case))
    return [
        {"step": step.value, "allowed": decision.allowed, "reason": decision.reason}
        for step, decision in answers.items()
    ]


def actions_for(
    session: Session, principal: Principal, case: VerificationCase | None
) -> list[Step]:
    """What ``principal`` may do on the case now (on an incident without a case: open one)."""
    return available_actions(principal, case_resource(session, case))
