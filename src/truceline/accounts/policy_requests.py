"""Who may read and act on requests for action and on sealed intelligence (pure, no I/O).

Two resource types, each with one rule in ``RULES`` (``policy_rules``), and the
table of the request workflow's steps (who takes which step, on which side):

- ``action_request``: ``owner_party`` is the requesting party; ``shared`` says
  the mediator has delivered it, so the addressed party (the other one) may read
  it; ``case_state`` is the request's state.
- ``intelligence_package``: ``owner_party`` is the submitting party;
  ``disclosed`` says the submitting party has released it to the other party;
  ``shared`` says it is sealed for the monitors (verification).

The other party never reaches a request before delivery, nor a package that
was not released to it: every page, API route, export and list filter asks
these rules (lists through ``scoping.visible_filter``, derived from them).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from truceline.accounts.permissions import (
    MECHANISM_STAFF,
    Action,
    Decision,
    Resource,
    ResourceType,
    allow,
    refuse,
)
from truceline.accounts.request_workflow import TRANSITIONS, Side, Step
from truceline.accounts.roles import Principal, Role

MONITORS = frozenset({Role.TEAM_MEMBER, Role.FIELD_MONITOR})


def _own(principal: Principal, resource: Resource) -> bool:
    return (
        principal.role is Role.PARTY_LIAISON
        and principal.party is not None
        and resource.owner_party == principal.party
    )


def action_request_rule(principal: Principal, action: Action, resource: Resource) -> Decision:
    """The requesting party and the mechanism from submission; the addressed party once delivered."""
    role = principal.role
    if action is Action.READ:
        if role in MECHANISM_STAFF:
            return allow("the mechanism screens, delivers and verifies requests for action")
        if _own(principal, resource):
            return allow("a party follows the requests it made")
        if role is Role.PARTY_LIAISON and resource.shared:
            return allow("a delivered request is read by the party it is addressed to")
        return refuse("a request reaches the addressed party only once the mediator delivers it")
    if action is Action.CREATE:
        if role is Role.PARTY_LIAISON and resource.owner_party in (None, principal.party):
            return allow("a party asks the other, through the mechanism, in its own name")
        return refuse("a request for action is made by a party's liaison in that party's name")
    if action is Action.UPDATE:
        if role in MECHANISM_STAFF:
            return allow("the mechanism takes its steps on requests (screen, deliver, verify)")
        if _own(principal, resource) or (role is Role.PARTY_LIAISON and resource.shared):
            return allow("a party takes its own steps on a request it can read")
        return refuse(f"a {role.value} may not act on this request")
    return refuse(f"a {role.value} may not {action.value} requests for action")


def intelligence_rule(principal: Principal, action: Action, resource: Resource) -> Decision:
    """Sealed to its readers: the mediator always; the other party only after an explicit
    release by the submitting party; monitors only when sealed for verification."""
    role = principal.role
    if action is Action.READ:
        if role is Role.MEDIATOR:
            return allow("the mediator reads every intelligence package")
        if _own(principal, resource):
            return allow("a party reads the intelligence it submitted")
        if role is Role.PARTY_LIAISON and resource.disclosed:
            return allow("the submitting party released this package to the other party")
        if role in MONITORS and resource.shared:
            return allow("this package is sealed for the monitors, for verification")
        return refuse(
            "an intelligence package is read only by its readers: the mediator, the submitting "
            "party, the other party once released to it, and monitors when sealed for them"
        )
    if action is Action.CREATE:
        if _own(principal, resource) or (
            role is Role.PARTY_LIAISON and resource.owner_party is None
        ):
            return allow("a party submits intelligence in its own name")
        if role is Role.MEDIATOR:
            return allow("the mediator files intelligence received by the mechanism")
        return refuse(f"a {role.value} may not submit intelligence packages")
    if action is Action.RELEASE:
        if _own(principal, resource):
            return allow("only the submitting party releases its intelligence to the other party")
        return refuse("a release to the other party is an act of the submitting party alone")
    return refuse(f"a {role.value} may not {action.value} intelligence packages")


# --- the workflow's steps ---------------------------------------------------------


@dataclass(frozen=True)
class StepRule:
    roles: frozenset[Role]
    side: Side
    states: frozenset[str]


def _table() -> dict[Step, StepRule]:
    table: dict[Step, StepRule] = {}
    for transition in TRANSITIONS:
        rule = table.get(transition.step)
        states = frozenset({transition.source.value})
        if rule is not None:
            states |= rule.states
        table[transition.step] = StepRule(transition.roles, transition.side, states)
    return table


STEP_TABLE = _table()


def authorize_request_step(principal: Principal, step: Step, request: Resource) -> Decision:
    """Whether ``principal`` may take ``step`` on the request described by ``request``."""
    from truceline.accounts.policy import authorize  # policy re-exports the rules

    rule = STEP_TABLE[step]
    state = request.case_state
    if state not in rule.states:
        return refuse(f"a request in state {state} cannot be {step.value}")
    if principal.role not in rule.roles:
        roles = ", ".join(sorted(r.value for r in rule.roles))
        return refuse(
            f"a {principal.role.value} may not {step.value} a request: that is for {roles}"
        )
    decision = authorize(
        principal, Action.UPDATE, replace(request, type=ResourceType.ACTION_REQUEST)
    )
    if not decision.allowed:
        return decision
    refusal = _side_refusal(principal, rule.side, request)
    return refusal if refusal is not None else allow(f"may {step.value} this request")


def _side_refusal(principal: Principal, side: Side, request: Resource) -> Decision | None:
    if side is Side.REQUESTER and principal.party != request.owner_party:
        return refuse("only the requesting party takes this step")
    if side is Side.ADDRESSEE and (
        principal.party is None or principal.party == request.owner_party
    ):
        return refuse("only the party the request is addressed to takes this step")
    return None


def available_request_steps(principal: Principal, request: Resource) -> list[Step]:
    """The steps ``principal`` may take now, in the workflow's order (drawn as forms)."""
    return [step for step in STEP_TABLE if authorize_request_step(principal, step, request)]
