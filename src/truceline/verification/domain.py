"""The verification state machine and its rules (pure; no I/O).

The workflow follows the practice of CTSAMVM (allegation, investigation,
report, determination), Colombia's tripartite MM&V (party members on every
team, dissent recorded) and the OSCE SMM (obstruction is itself reportable).
To add a transition, add it to ``TRANSITIONS`` with the roles allowed to take
it; ``check_transition`` explains every refusal.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
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


class TransitionRefused(Exception):
    """An attempted transition that the rules do not allow; the message says why."""

    def __init__(self, state: State, attempted: str, reason: str) -> None:
        super().__init__(f"cannot {attempted} an incident in state {state.value}: {reason}")
        self.state = state
        self.attempted = attempted
        self.reason = reason


@dataclass(frozen=True)
class TeamMember:
    name: str
    role: Role
    nominated_by: str | None  # "AF", "PK", or None for mediators and neutral monitors


@dataclass(frozen=True)
class VerificationContext:
    """What the guards need to know about an incident besides its state."""

    team: Sequence[TeamMember] = ()
    reply_due: datetime | None = None
    reply_received: bool = False
    member_views: int = 0
    accused_party: str | None = None


def transitions_from(state: State) -> list[Transition]:
    return [t for t in TRANSITIONS if t.source is state]


def check_transition(
    state: State, attempted: str, *, role: Role, context: VerificationContext, now: datetime
) -> Transition:
    """Return the transition, or raise ``TransitionRefused`` naming the state, action and reason."""
    candidates = [t for t in transitions_from(state) if t.name == attempted]
    if not candidates:
        allowed = ", ".join(sorted({t.name for t in transitions_from(state)})) or "none"
        raise TransitionRefused(state, attempted, f"allowed from here: {allowed}")
    transition = candidates[0]
    if role not in transition.roles:
        roles = ", ".join(sorted(r.value for r in transition.roles))
        raise TransitionRefused(state, attempted, f"role {role.value} may not; needs {roles}")
    for problem in _guard_problems(transition, context, now):
        raise TransitionRefused(state, attempted, problem)
    return transition


def _guard_problems(
    transition: Transition, context: VerificationContext, now: datetime
) -> Iterable[str]:
    if transition.name == "start_verification":
        yield from team_composition_problems(context.team)
    if transition.name == "determine":
        if _reply_still_open(context, now):
            due = context.reply_due.isoformat() if context.reply_due else "not yet opened"
            yield (
                f"the right of reply of {context.accused_party} is still open (due {due}); "
                "determine after the reply or after the window closes"
            )
        if context.member_views == 0:
            yield "no team member has recorded a view"


def _reply_still_open(context: VerificationContext, now: datetime) -> bool:
    """The accused party has neither replied nor seen its reply window close."""
    if not context.accused_party or context.reply_received:
        return False
    return context.reply_due is None or now < context.reply_due


def team_composition_problems(team: Sequence[TeamMember]) -> list[str]:
    """A joint team needs a member nominated by each party and a mediator or neutral monitor."""
    problems = []
    nominated = {m.nominated_by for m in team}
    for party in ("AF", "PK"):
        if party not in nominated:
            problems.append(f"the team has no member nominated by {party}")
    if not any(m.nominated_by is None for m in team):
        problems.append("the team has no mediator or neutral monitor")
    return problems


class OverdueReason(StrEnum):
    ACCESS_DENIED = "access_denied"
    NO_TEAM = "no_team"
    WAITING_ON_PARTY = "waiting_on_party"
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"


@dataclass(frozen=True)
class TaskDeadline:
    kind: str
    due_at: datetime
    done_at: datetime | None = None
    blocked_reason: OverdueReason | None = None

    def is_overdue(self, now: datetime) -> bool:
        return self.done_at is None and now > self.due_at


def default_deadline(created_at: datetime, kind: str, deadlines_hours: dict[str, int]) -> datetime:
    """The default due time of a task kind, from per-agreement configurable hours."""
    if kind not in deadlines_hours:
        raise ValueError(f"no default deadline for task kind {kind!r}")
    return created_at + timedelta(hours=deadlines_hours[kind])


DEFAULT_DEADLINES_HOURS: dict[str, int] = {
    "first_assessment": 72,
    "site_visit": 120,
    "interview": 120,
    "evidence_request": 96,
    "right_of_reply": 72,
}
