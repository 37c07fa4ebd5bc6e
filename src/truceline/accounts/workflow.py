"""The verification workflow's states and transitions, with who may take each (pure).

This is the table the access policy (``accounts.policy_workflow``) derives its
steps from, and the one the verification state machine
(``verification.domain.check_transition``) applies with its guards. It lives
here, beside the roles, so that the policy depends on no context: verification
builds on accounts, never the other way round.

To add a transition, add it to ``TRANSITIONS`` with the roles allowed to take it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from truceline.accounts.roles import Role


class State(StrEnum):
    #: Imported history (UCDP GED, ACLED, or a truceline JSON file of dataset events): kept
    #: for context and analysis, outside the analysts' queues. Opening a verification on
    #: such an incident takes it up (it becomes ``reported``).
    HISTORICAL = "historical"
    REPORTED = "reported"
    TRIAGED = "triaged"
    UNDER_VERIFICATION = "under_verification"
    FINDINGS_PROPOSED = "findings_proposed"
    DETERMINED = "determined"
    CLOSED_UNVERIFIABLE = "closed_unverifiable"
    REFUTED = "refuted"
    #: Settled by a local committee or jirga of the district (``community.local_cases``):
    #: the verification is closed with the committee's outcome as its reason.
    RESOLVED_LOCALLY = "resolved_locally"


TERMINAL_STATES = frozenset(
    {State.DETERMINED, State.CLOSED_UNVERIFIABLE, State.REFUTED, State.RESOLVED_LOCALLY}
)


@dataclass(frozen=True)
class Transition:
    name: str
    source: State
    target: State
    roles: frozenset[Role]


_ANALYSTS = frozenset({Role.MEDIATOR, Role.ADMIN, Role.FIELD_MONITOR})
_MEDIATORS = frozenset({Role.MEDIATOR})
#: Who records a local committee's decision: the committee's keepers and its own members.
LOCAL_DECIDERS = frozenset({Role.MEDIATOR, Role.FIELD_MONITOR, Role.COMMUNITY_LIAISON, Role.ELDER})

TRANSITIONS: tuple[Transition, ...] = (
    Transition("triage", State.REPORTED, State.TRIAGED, _ANALYSTS),
    Transition("refute", State.REPORTED, State.REFUTED, _MEDIATORS),
    Transition("start_verification", State.TRIAGED, State.UNDER_VERIFICATION, _MEDIATORS),
    Transition("close_unverifiable", State.TRIAGED, State.CLOSED_UNVERIFIABLE, _MEDIATORS),
    Transition(
        "propose_findings",
        State.UNDER_VERIFICATION,
        State.FINDINGS_PROPOSED,
        _MEDIATORS | {Role.TEAM_MEMBER},
    ),
    Transition(
        "close_unverifiable", State.UNDER_VERIFICATION, State.CLOSED_UNVERIFIABLE, _MEDIATORS
    ),
    Transition("refute", State.UNDER_VERIFICATION, State.REFUTED, _MEDIATORS),
    Transition("determine", State.FINDINGS_PROPOSED, State.DETERMINED, _MEDIATORS),
    Transition("reopen", State.FINDINGS_PROPOSED, State.UNDER_VERIFICATION, _MEDIATORS),
    Transition("refute", State.FINDINGS_PROPOSED, State.REFUTED, _MEDIATORS),
    Transition("resolve_locally", State.REPORTED, State.RESOLVED_LOCALLY, LOCAL_DECIDERS),
    Transition("resolve_locally", State.TRIAGED, State.RESOLVED_LOCALLY, LOCAL_DECIDERS),
)


def transitions_from(state: State) -> list[Transition]:
    return [t for t in TRANSITIONS if t.source is state]
