"""The verification state machine and its rules (pure; no I/O).

The workflow follows the practice of CTSAMVM (allegation, investigation,
report, determination), Colombia's tripartite MM&V (party members on every
team, dissent recorded) and the OSCE SMM (obstruction is itself reportable).
The states and transitions, with the roles allowed to take each, are the
access policy's table (``accounts.workflow``, re-exported here): add a
transition there. ``check_transition`` applies it with the guards that depend
on the record, and explains every refusal.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from truceline.accounts.roles import Role
from truceline.accounts.workflow import LOCAL_DECIDERS as LOCAL_DECIDERS
from truceline.accounts.workflow import TERMINAL_STATES as TERMINAL_STATES
from truceline.accounts.workflow import TRANSITIONS as TRANSITIONS
from truceline.accounts.workflow import State as State
from truceline.accounts.workflow import Transition as Transition
from truceline.accounts.workflow import transitions_from as transitions_from
from truceline.errors import CodedError


class TransitionRefused(CodedError):
    """An attempted transition that the rules do not allow; the message says why.

    ``code`` says which rule refused it (see ``TRANSITION_CODES``), so a page
    chooses its message without reading ``reason``.
    """

    default_code = "transition_refused"

    def __init__(
        self, state: State, attempted: str, reason: str, *, code: str | None = None
    ) -> None:
        super().__init__(
            f"cannot {attempted} an incident in state {state.value}: {reason}", code=code
        )
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


def check_transition(
    state: State, attempted: str, *, role: Role, context: VerificationContext, now: datetime
) -> Transition:
    """Return the transition, or raise ``TransitionRefused`` naming the state, action and reason."""
    candidates = [t for t in transitions_from(state) if t.name == attempted]
    if not candidates:
        allowed = ", ".join(sorted({t.name for t in transitions_from(state)})) or "none"
        raise TransitionRefused(
            state, attempted, f"allowed from here: {allowed}", code="not_allowed_from_state"
        )
    transition = candidates[0]
    if role not in transition.roles:
        roles = ", ".join(sorted(r.value for r in transition.roles))
        raise TransitionRefused(
            state, attempted, f"role {role.value} may not; needs {roles}", code="role_may_not"
        )
    for code, problem in _guard_problems(transition, context, now):
        raise TransitionRefused(state, attempted, problem, code=code)
    return transition


def _guard_problems(
    transition: Transition, context: VerificationContext, now: datetime
) -> Iterable[tuple[str, str]]:
    """Each guard that refuses the transition: its code and its reason."""
    if transition.name == "start_verification":
        for problem in team_composition_problems(context.team):
            yield "team_incomplete", problem
    if transition.name == "determine":
        if _reply_still_open(context, now):
            due = context.reply_due.isoformat() if context.reply_due else "not yet opened"
            yield (
                "reply_window_open",
                f"the right of reply of {context.accused_party} is still open (due {due}); "
                "determine after the reply or after the window closes",
            )
        if context.member_views == 0:
            yield "no_member_views", "no team member has recorded a view"


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
