"""Who may take which step of a verification: the one table for the web, the API and the CLI.

Every step of the workflow (open a case, each transition of the state machine,
compose the team, add and work tasks, record obstruction, open the right of
reply, reply, record a view, determine, correct the determined facts, release) is decided here from four
facts, all carried by the case's ``Resource``:

- the principal's **role** (and, through the generic rules of ``policy_rules``,
  the token's scope): each step names the generic permission it builds on;
- the **party**: only the accused party's liaison replies (``owner_party``);
- the case's **state** (``case_state``; ``None`` before a case is opened), and
  whether the right of reply is open (``reply_open``);
- **team membership** (``team``): a party-nominated team member acts only on a
  case whose joint team they sit on; a field monitor works the tasks of a case
  that has a team only when on it; a view is held only by a member of the team.

Which role may take a transition comes from the state machine's own table
(``accounts.workflow.TRANSITIONS``); the guards that depend on the record
(a complete team, an open reply window, recorded views) are the state machine's
(``verification.domain``).
``available_actions`` lists the steps a principal may take now; the incident
page draws exactly those forms, the API and CLI print them with the case.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum

from truceline.accounts.permissions import (
    MECHANISM_STAFF,
    AccessDenied,
    Action,
    Decision,
    Resource,
    ResourceType,
    allow,
    refuse,
)
from truceline.accounts.roles import Principal, Role
from truceline.accounts.workflow import LOCAL_DECIDERS, TERMINAL_STATES, TRANSITIONS, State


class Step(StrEnum):
    """A step of the verification workflow, as the web forms, API routes and commands name it."""

    OPEN = "open"
    TRIAGE = "triage"
    REFUTE = "refute"
    START_VERIFICATION = "start_verification"
    CLOSE_UNVERIFIABLE = "close_unverifiable"
    PROPOSE_FINDINGS = "propose_findings"
    REOPEN = "reopen"
    ASSIGN_TEAM = "team"
    ADD_TASK = "add_task"
    WORK_TASK = "work_task"
    RECORD_OBSTRUCTION = "obstruction"
    OPEN_REPLY_WINDOW = "reply_window"
    REPLY = "reply"
    RECORD_VIEW = "view"
    DETERMINE = "determine"
    CORRECT = "correct"
    RELEASE = "release"
    #: A local committee hands the incident to the national level: opens or links its case.
    ESCALATE = "escalate"
    #: A local committee settled the incident: its case is closed with the outcome as reason.
    RESOLVE_LOCALLY = "resolve_locally"


class TeamBound(StrEnum):
    """How a step depends on sitting on the case's joint team."""

    NOMINEES = "nominees"  # a party-nominated team member must be on the team
    WORKERS = "workers"  # ... and so must a field monitor, once the case has a team
    MEMBERS = "members"  # everyone must be on the team (a member's own view)
    NONE = "none"


#: Case states in which work goes on (imported history never has a case: opening one takes it up).
LIVE = frozenset(s.value for s in State if s not in TERMINAL_STATES and s is not State.HISTORICAL)
NO_CASE: frozenset[str | None] = frozenset({None})
STAFF = frozenset(MECHANISM_STAFF)
MEDIATORS = frozenset({Role.MEDIATOR})


@dataclass(frozen=True)
class StepRule:
    """What one step needs: generic permissions, roles, states, team membership."""

    needs: tuple[tuple[Action, ResourceType], ...]
    roles: frozenset[Role]
    states: frozenset[str | None]
    team: TeamBound = TeamBound.NONE
    what: str = ""


def _transition_rule(name: str) -> StepRule:
    """A transition's roles and the states it leaves, from the state machine's table."""
    rows = [t for t in TRANSITIONS if t.name == name]
    roles = frozenset().union(*(t.roles for t in rows))
    needs = [(Action.UPDATE, ResourceType.VERIFICATION_CASE)]
    if name == "determine":
        needs.append((Action.CREATE, ResourceType.FINDING))
    return StepRule(
        tuple(needs),
        frozenset(roles),
        frozenset(t.source.value for t in rows),
        TeamBound.NOMINEES,
        name.replace("_", " "),
    )


CASE_UPDATE = ((Action.UPDATE, ResourceType.VERIFICATION_CASE),)
TABLE: dict[Step, StepRule] = {
    Step.OPEN: StepRule(
        ((Action.CREATE, ResourceType.VERIFICATION_CASE),), STAFF, NO_CASE, what="open a case"
    ),
    **{
        step: _transition_rule(step.value)
        for step in (
            Step.TRIAGE,
            Step.REFUTE,
            Step.START_VERIFICATION,
            Step.CLOSE_UNVERIFIABLE,
            Step.PROPOSE_FINDINGS,
            Step.REOPEN,
            Step.DETERMINE,
        )
    },  # fmt: skip
    Step.ASSIGN_TEAM: StepRule(
        ((Action.MANAGE, ResourceType.VERIFICATION_CASE),), MEDIATORS, LIVE, what="compose a team"
    ),
    Step.ADD_TASK: StepRule(CASE_UPDATE, STAFF, LIVE, TeamBound.NOMINEES, "add a task"),
    Step.WORK_TASK: StepRule(CASE_UPDATE, STAFF, LIVE, TeamBound.WORKERS, "work a task"),
    Step.RECORD_OBSTRUCTION: StepRule(
        (*CASE_UPDATE, (Action.CREATE, ResourceType.INCIDENT)),
        STAFF,
        LIVE,
        TeamBound.WORKERS,
        "record an obstruction",
    ),
    Step.OPEN_REPLY_WINDOW: StepRule(
        CASE_UPDATE,
        MEDIATORS,
        frozenset({State.FINDINGS_PROPOSED.value}),
        what="open the right of reply",
    ),
    Step.REPLY: StepRule(
        ((Action.CREATE, ResourceType.PARTY_REPLY),),
        frozenset({Role.PARTY_LIAISON}),
        frozenset({State.FINDINGS_PROPOSED.value}),
        what="reply",
    ),
    Step.RECORD_VIEW: StepRule(
        ((Action.CREATE, ResourceType.MEMBER_VIEW),),
        frozenset({Role.MEDIATOR, Role.TEAM_MEMBER, Role.FIELD_MONITOR}),
        LIVE,
        TeamBound.MEMBERS,
        "record a view",
    ),
    Step.CORRECT: StepRule(
        (*CASE_UPDATE, (Action.UPDATE, ResourceType.FINDING)),
        MEDIATORS,
        frozenset({State.DETERMINED.value}),
        what="correct the determined facts",
    ),
    Step.RELEASE: StepRule(
        ((Action.RELEASE, ResourceType.INCIDENT),),
        MEDIATORS,
        frozenset({State.DETERMINED.value}),
        what="release",
    ),
    # A committee's own records are asked of the committee rule (its members) by the
    # community context first; here: who speaks for a committee, and in which states.
    Step.ESCALATE: StepRule(
        (), LOCAL_DECIDERS, NO_CASE | LIVE, what="escalate a local case to verification"
    ),
    Step.RESOLVE_LOCALLY: StepRule(
        (),
        LOCAL_DECIDERS,
        NO_CASE | {State.REPORTED.value, State.TRIAGED.value},
        what="close a verification as resolved locally",
    ),
}


def authorize_step(principal: Principal, step: Step, case: Resource) -> Decision:
    """Decide whether ``principal`` may take ``step`` on the case described by ``case``."""
    rule = TABLE[step]
    state = case.case_state
    if state not in rule.states:
        where = "before a case is opened" if state is None else f"in state {state}"
        return refuse(f"cannot {rule.what} {where}")
    if principal.role not in rule.roles:
        roles = ", ".join(sorted(r.value for r in rule.roles))
        return refuse(f"a {principal.role.value} may not {rule.what}: that is for {roles}")
    for action, resource_type in rule.needs:
        decision = _generic(principal, action, resource_type, case)
        if not decision.allowed:
            return decision
    team_refusal = _team_refusal(principal, rule, case)
    if team_refusal is not None:
        return team_refusal
    return _step_specific(step, rule, case)


def _generic(
    principal: Principal, action: Action, resource_type: ResourceType, case: Resource
) -> Decision:
    """The generic rule (and the token's scope) for the resource the step touches."""
    from truceline.accounts.policy import authorize  # policy re-exports this module

    facts = replace(case, type=resource_type)
    if resource_type is ResourceType.MEMBER_VIEW:
        facts = replace(facts, owner_user=principal.name)
    if resource_type is ResourceType.INCIDENT:
        facts = replace(facts, determined=case.case_state in _TERMINAL)
    return authorize(principal, action, facts)


_TERMINAL = frozenset(s.value for s in TERMINAL_STATES)


def _team_refusal(principal: Principal, rule: StepRule, case: Resource) -> Decision | None:
    on_team = case.on_team(principal)
    role = principal.role
    bound = rule.team
    if on_team or bound is TeamBound.NONE:
        return None
    if bound is TeamBound.MEMBERS:
        return refuse(f"{principal.name} is not on this case's joint team")
    if role is Role.TEAM_MEMBER:
        return refuse(
            f"{principal.name} is not on this case's joint team: a team member acts only on "
            "the cases whose team they sit on"
        )
    if bound is TeamBound.WORKERS and role is Role.FIELD_MONITOR and case.team:
        return refuse(
            f"{principal.name} is not on this case's joint team: its team works its tasks"
        )
    return None


def _step_specific(step: Step, rule: StepRule, case: Resource) -> Decision:
    if step is Step.OPEN_REPLY_WINDOW and case.reply_open:
        return refuse("the right of reply is already open")
    if step is Step.REPLY and not case.reply_open:
        return refuse("no right of reply has been opened on this case")
    return allow(f"may {rule.what} now")


def require_step(principal: Principal, step: Step, case: Resource) -> Decision:
    """Like ``authorize_step`` but raises ``AccessDenied`` (401/403 with the reason) when refused."""
    decision = authorize_step(principal, step, case)
    if not decision.allowed:
        raise AccessDenied(decision, principal)
    return decision


def step_decisions(principal: Principal, case: Resource) -> dict[Step, Decision]:
    """Every step with the policy's answer for this principal and case."""
    return {step: authorize_step(principal, step, case) for step in Step}


def available_actions(principal: Principal, case: Resource) -> list[Step]:
    """The steps ``principal`` may take on the case now, in workflow order."""
    return [step for step, decision in step_decisions(principal, case).items() if decision]
