"""The request-for-action state machine's table: states, steps, sides and who takes each (pure).

The access policy (``accounts.policy_requests``) derives its rules from this
table, and the requests context (``action_requests.domain``) applies it. It
lives beside the roles, as the verification workflow's table does
(``accounts.workflow``), so that the policy depends on no context: the requests
context builds on accounts, never the other way round.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from truceline.accounts.roles import Role


class RequestState(StrEnum):
    SUBMITTED = "submitted"
    SCREENED = "screened"
    RETURNED = "returned"
    DELIVERED = "delivered"
    ACKNOWLEDGED = "acknowledged"
    RESPONDED = "responded"
    VERIFIED = "verified"
    CLOSED = "closed"


class Step(StrEnum):
    ADMIT = "admit"
    RETURN = "return"
    DELIVER = "deliver"
    ACKNOWLEDGE = "acknowledge"
    RESPOND = "respond"
    VERIFY = "verify"
    CLOSE = "close"


class Side(StrEnum):
    """Who takes a step: the mechanism, the requesting party or the addressed party."""

    MECHANISM = "mechanism"
    REQUESTER = "requester"
    ADDRESSEE = "addressee"


STAFF = frozenset({Role.MEDIATOR})
LIAISONS = frozenset({Role.PARTY_LIAISON})
MONITORS = frozenset({Role.FIELD_MONITOR, Role.TEAM_MEMBER})


@dataclass(frozen=True)
class Transition:
    step: Step
    source: RequestState
    target: RequestState
    roles: frozenset[Role]
    side: Side


S = RequestState
TRANSITIONS: tuple[Transition, ...] = (
    Transition(Step.ADMIT, S.SUBMITTED, S.SCREENED, STAFF, Side.MECHANISM),
    Transition(Step.RETURN, S.SUBMITTED, S.RETURNED, STAFF, Side.MECHANISM),
    Transition(Step.DELIVER, S.SCREENED, S.DELIVERED, STAFF, Side.MECHANISM),
    Transition(Step.ACKNOWLEDGE, S.DELIVERED, S.ACKNOWLEDGED, LIAISONS, Side.ADDRESSEE),
    Transition(Step.RESPOND, S.ACKNOWLEDGED, S.RESPONDED, LIAISONS, Side.ADDRESSEE),
    Transition(Step.VERIFY, S.RESPONDED, S.VERIFIED, MONITORS, Side.MECHANISM),
    Transition(Step.CLOSE, S.VERIFIED, S.CLOSED, STAFF, Side.MECHANISM),
    Transition(Step.CLOSE, S.RESPONDED, S.CLOSED, STAFF, Side.MECHANISM),
    Transition(Step.CLOSE, S.RETURNED, S.CLOSED, STAFF, Side.MECHANISM),
)
