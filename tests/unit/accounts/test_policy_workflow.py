"""The workflow table: every verification step × every role × every case state.

Each row names a step, the states where it applies, and exactly the principals
allowed there; every other principal, and every principal in every other
state, must be refused. The case is alleged against AF; its joint team is
``tariq`` (a party-nominated team member) and ``maya`` (a neutral monitor).
"""

from __future__ import annotations

import pytest

from truceline.accounts.permissions import Action
from truceline.accounts.policy import (
    Resource,
    ResourceType,
    Step,
    authorize,
    authorize_step,
    available_actions,
)
from truceline.accounts.roles import PUBLIC, Principal, Role
from truceline.verification.domain import State

MEDIATOR = Principal("mona", Role.MEDIATOR)
ADMIN = Principal("ada", Role.ADMIN)
AF = Principal("farid", Role.PARTY_LIAISON, "AF")
PK = Principal("sana", Role.PARTY_LIAISON, "PK")
TEAM_ON = Principal("tariq", Role.TEAM_MEMBER)
TEAM_OFF = Principal("samir", Role.TEAM_MEMBER)
MONITOR_ON = Principal("maya", Role.FIELD_MONITOR)
MONITOR_OFF = Principal("mehmet", Role.FIELD_MONITOR)
ELDER = Principal("elder-gul", Role.COMMUNITY_LIAISON)
REPORTER = Principal("reporter-7", Role.COMMUNITY_REPORTER)
HAJI = Principal("haji-wali", Role.ELDER)
EVERYONE = (MEDIATOR, ADMIN, AF, PK, TEAM_ON, TEAM_OFF, MONITOR_ON, MONITOR_OFF, ELDER, REPORTER,
            HAJI, PUBLIC)  # fmt: skip
TEAM = frozenset({"tariq", "maya"})

S = State
STATES: tuple[str | None, ...] = (None, *(s.value for s in State))
LIVE = {S.REPORTED, S.TRIAGED, S.UNDER_VERIFICATION, S.FINDINGS_PROPOSED}
STAFF = {MEDIATOR, TEAM_ON, TEAM_OFF, MONITOR_ON, MONITOR_OFF}
#: Who speaks for a local committee (whether for this committee: the committee rule).
LOCAL = {MEDIATOR, MONITOR_ON, MONITOR_OFF, ELDER, HAJI}

#: step: (states where it applies, who may take it there, whether the reply window is open)
TABLE: dict[Step, tuple[set[State] | set[None], set[Principal], bool]] = {
    Step.OPEN: ({None}, STAFF, False),
    Step.TRIAGE: ({S.REPORTED}, {MEDIATOR, MONITOR_ON, MONITOR_OFF}, False),
    Step.REFUTE: ({S.REPORTED, S.UNDER_VERIFICATION, S.FINDINGS_PROPOSED}, {MEDIATOR}, False),
    Step.START_VERIFICATION: ({S.TRIAGED}, {MEDIATOR}, False),
    Step.CLOSE_UNVERIFIABLE: ({S.TRIAGED, S.UNDER_VERIFICATION}, {MEDIATOR}, False),
    Step.PROPOSE_FINDINGS: ({S.UNDER_VERIFICATION}, {MEDIATOR, TEAM_ON}, False),
    Step.REOPEN: ({S.FINDINGS_PROPOSED}, {MEDIATOR}, False),
    Step.ASSIGN_TEAM: (LIVE, {MEDIATOR}, False),
    Step.ADD_TASK: (LIVE, {MEDIATOR, TEAM_ON, MONITOR_ON, MONITOR_OFF}, False),
    Step.WORK_TASK: (LIVE, {MEDIATOR, TEAM_ON, MONITOR_ON}, False),
    Step.RECORD_OBSTRUCTION: (LIVE, {MEDIATOR, TEAM_ON, MONITOR_ON}, False),
    Step.OPEN_REPLY_WINDOW: ({S.FINDINGS_PROPOSED}, {MEDIATOR}, False),
    Step.REPLY: ({S.FINDINGS_PROPOSED}, {AF}, True),
    Step.RECORD_VIEW: (LIVE, {TEAM_ON, MONITOR_ON}, False),
    Step.DETERMINE: ({S.FINDINGS_PROPOSED}, {MEDIATOR}, False),
    Step.CORRECT: ({S.DETERMINED}, {MEDIATOR}, False),
    Step.RELEASE: ({S.DETERMINED}, {MEDIATOR}, False),
    Step.ESCALATE: ({None} | LIVE, LOCAL, False),
    Step.RESOLVE_LOCALLY: ({None, S.REPORTED, S.TRIAGED}, LOCAL, False),
}


def _case(state: str | None, *, reply_open: bool = False, team: frozenset[str] = TEAM) -> Resource:
    return Resource(
        ResourceType.VERIFICATION_CASE,
        owner_party="AF",
        case_state=state,
        team=team if state is not None else frozenset(),
        reply_open=reply_open,
    )


def test_the_table_covers_every_step() -> None:
    assert set(TABLE) == set(Step)


@pytest.mark.parametrize("step", list(Step), ids=[s.value for s in Step])
def test_every_step_by_every_role_in_every_state(step: Step) -> None:
    states, allowed, reply_open = TABLE[step]
    wrong: list[str] = []
    for state in STATES:
        for principal in EVERYONE:
            expected = state in states and principal in allowed
            decision = authorize_step(principal, step, _case(state, reply_open=reply_open))
            if decision.allowed != expected:
                wrong.append(f"{principal.name} in {state}: {decision}")
    assert wrong == []


def test_a_team_member_may_not_open_the_reply_window_even_on_their_own_case() -> None:
    refused = authorize_step(TEAM_ON, Step.OPEN_REPLY_WINDOW, _case(S.FINDINGS_PROPOSED))
    assert not refused and "that is for mediator" in refused.reason


def test_the_reply_window_opens_only_once_findings_are_proposed() -> None:
    for state in (S.REPORTED, S.TRIAGED, S.UNDER_VERIFICATION):
        refused = authorize_step(MEDIATOR, Step.OPEN_REPLY_WINDOW, _case(state, team=frozenset()))
        assert not refused and f"in state {state.value}" in refused.reason
    again = authorize_step(
        MEDIATOR, Step.OPEN_REPLY_WINDOW, _case(S.FINDINGS_PROPOSED, reply_open=True)
    )
    assert not again and "already open" in again.reason


def test_a_party_may_not_reply_for_the_other_party() -> None:
    refused = authorize_step(PK, Step.REPLY, _case(S.FINDINGS_PROPOSED, reply_open=True))
    assert not refused and "accused party" in refused.reason
    assert not authorize_step(AF, Step.REPLY, _case(S.FINDINGS_PROPOSED, reply_open=False))


def test_a_liaison_may_not_release() -> None:
    for liaison in (AF, PK):
        refused = authorize_step(liaison, Step.RELEASE, _case(S.DETERMINED))
        assert not refused and "that is for mediator" in refused.reason


def test_a_team_member_off_the_case_may_not_work_its_tasks_nor_read_its_evidence() -> None:
    refused = authorize_step(TEAM_OFF, Step.WORK_TASK, _case(S.UNDER_VERIFICATION))
    assert not refused and "not on this case's joint team" in refused.reason
    original = Resource(ResourceType.EVIDENCE_ORIGINAL, owner_party="PK", team=TEAM)
    assert not authorize(TEAM_OFF, Action.READ, original)
    assert not authorize(MONITOR_OFF, Action.READ, original)
    assert authorize(TEAM_ON, Action.READ, original)
    assert authorize(MONITOR_ON, Action.READ, original)


def test_a_field_monitor_works_a_case_without_a_team_but_only_its_own_teams_tasks_after() -> None:
    no_team = _case(S.REPORTED, team=frozenset())
    assert authorize_step(MONITOR_OFF, Step.WORK_TASK, no_team)
    assert not authorize_step(TEAM_ON, Step.WORK_TASK, no_team)
    refused = authorize_step(MONITOR_OFF, Step.WORK_TASK, _case(S.UNDER_VERIFICATION))
    assert not refused and "its team works its tasks" in refused.reason


def test_a_token_without_the_verification_scope_takes_no_step() -> None:
    machine = Principal("mona", Role.MEDIATOR, scopes=frozenset({"verification:read"}))
    refused = authorize_step(machine, Step.TRIAGE, _case(S.REPORTED))
    assert not refused and "scope verification:write" in refused.reason


def test_available_actions_lists_exactly_the_allowed_steps_in_workflow_order() -> None:
    case = _case(S.FINDINGS_PROPOSED)
    assert available_actions(MEDIATOR, case) == [
        Step.REFUTE, Step.REOPEN, Step.ASSIGN_TEAM, Step.ADD_TASK, Step.WORK_TASK,
        Step.RECORD_OBSTRUCTION, Step.OPEN_REPLY_WINDOW, Step.DETERMINE, Step.ESCALATE,
    ]  # fmt: skip
    assert available_actions(TEAM_ON, case) == [
        Step.ADD_TASK, Step.WORK_TASK, Step.RECORD_OBSTRUCTION, Step.RECORD_VIEW,
    ]  # fmt: skip
    assert available_actions(AF, _case(S.FINDINGS_PROPOSED, reply_open=True)) == [Step.REPLY]
    assert available_actions(PUBLIC, case) == []


def test_an_elder_takes_no_step_of_a_verification_but_a_committees_hand_off() -> None:
    for state in STATES:
        allowed = set(available_actions(HAJI, _case(state)))
        assert allowed <= {Step.ESCALATE, Step.RESOLVE_LOCALLY}
    assert available_actions(HAJI, _case(S.UNDER_VERIFICATION)) == [Step.ESCALATE]
    closed = authorize_step(HAJI, Step.RESOLVE_LOCALLY, _case(S.UNDER_VERIFICATION))
    assert not closed and "in state under_verification" in closed.reason
