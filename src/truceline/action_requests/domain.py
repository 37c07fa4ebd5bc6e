"""Requests for action between the parties: the vocabulary and the state machine (pure).

A party asks the other, through the mechanism, to act against a group (or named
people, a place, a financing channel). The request goes::

    submitted → screened (admissible) → delivered → acknowledged → responded
              ↘ returned (with reasons)                              → verified → closed

``TRANSITIONS`` is the one table of which step leads from which state to which,
taken by which roles on which side (the requesting party, the addressed party,
or the mechanism); the access policy (``accounts.policy_requests``) reads it.
Deadlines come from the response windows of the agreement relied on; a request
is overdue when the clock passed in is past its deadline and no response came.
Nothing here touches a database or a web framework.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import TypeVar

from truceline.accounts.request_workflow import LIAISONS as LIAISONS
from truceline.accounts.request_workflow import MONITORS as MONITORS
from truceline.accounts.request_workflow import STAFF as STAFF
from truceline.accounts.request_workflow import TRANSITIONS as TRANSITIONS
from truceline.accounts.request_workflow import RequestState as RequestState
from truceline.accounts.request_workflow import Side as Side
from truceline.accounts.request_workflow import Step as Step
from truceline.accounts.request_workflow import Transition as Transition


class AskedAction(StrEnum):
    ARREST = "arrest"
    EXPEL = "expel"
    CLOSE = "close"
    DISRUPT = "disrupt"
    INVESTIGATE = "investigate"
    SHARE_INFORMATION = "share_information"


class TargetKind(StrEnum):
    GROUP = "group"
    INDIVIDUALS = "individuals"
    LOCATION = "location"
    FINANCING = "financing_channel"


class ResponseKind(StrEnum):
    ACTION_TAKEN = "action_taken"
    DECLINED = "declined"
    DISPUTED = "disputed"


class DisputeReason(StrEnum):
    NOT_ON_OUR_TERRITORY = "not_on_our_territory"
    NOT_THE_GROUP_NAMED = "not_the_group_named"


class ReturnReason(StrEnum):
    GROUP_NOT_IDENTIFIED = "group_not_identified"
    CLAUSE_DOES_NOT_APPLY = "clause_does_not_apply"
    INSUFFICIENT_EVIDENCE = "insufficient_evidence"
    NOT_ACTIONABLE = "not_actionable"
    OTHER = "other"


class VerificationOutcome(StrEnum):
    CONFIRMED = "confirmed"  # the monitors saw the action taken
    NOT_CONFIRMED = "not_confirmed"  # they looked and could not confirm it
    NOT_POSSIBLE = "not_possible"  # they could not look (access, safety)


class Provenance(StrEnum):
    """Where a request comes from: live work, public reporting (the demo), or an exercise."""

    LIVE = "live"
    PUBLIC_REPORTING = "public_reporting"
    EXERCISE = "exercise"


S = RequestState

#: States in which the addressed party can read the request (it has been delivered).
DELIVERED_STATES = frozenset({S.DELIVERED, S.ACKNOWLEDGED, S.RESPONDED, S.VERIFIED, S.CLOSED})
#: States in which a response is awaited: the deadline runs.
AWAITING_RESPONSE = frozenset({S.DELIVERED, S.ACKNOWLEDGED})
PARTIES = ("AF", "PK")


class RequestRefused(ValueError):
    """A step or input the domain refuses; ``code`` for pages, ``field`` for forms and APIs."""

    def __init__(self, code: str, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.field = field


def next_state(state: RequestState, step: Step) -> RequestState:
    """The state ``step`` leads to from ``state``, or ``RequestRefused`` naming what is allowed."""
    for transition in TRANSITIONS:
        if transition.step is step and transition.source is state:
            return transition.target
    allowed = sorted({t.step.value for t in TRANSITIONS if t.source is state})
    raise RequestRefused(
        "step_not_allowed",
        f"a request in state {state.value} cannot be {step.value}; "
        f"allowed: {', '.join(allowed) or 'nothing (the request is closed)'}",
        field="step",
    )


def other_party(party: str) -> str:
    return "PK" if party == "AF" else "AF"


def check_party(value: str, *, field: str) -> str:
    if value not in PARTIES:
        raise RequestRefused(
            "unknown_party", f"{field}: expected AF or PK, got {value!r}", field=field
        )
    return value


E = TypeVar("E", bound=StrEnum)


def parse_choice(kind: type[E], value: str, *, field: str) -> E:
    """``value`` as a member of ``kind``, or a refusal listing the choices."""
    try:
        return kind(value)
    except ValueError:
        choices = ", ".join(member.value for member in kind)
        raise RequestRefused(
            f"unknown_{field}", f"{field}: {value!r} is not one of {choices}", field=field
        ) from None


# --- deadlines --------------------------------------------------------------------


@dataclass(frozen=True)
class ResponseWindow:
    """One window of an agreement: hours to respond to requests relying on ``clause``."""

    clause: str
    hours: int
    actions: tuple[str, ...]
    basis: str


def response_window(
    windows: Iterable[ResponseWindow], clause: str, action: AskedAction
) -> ResponseWindow | None:
    """The window for ``action`` under ``clause``: one naming the action before a general one."""
    general: ResponseWindow | None = None
    for window in windows:
        if window.clause != clause:
            continue
        if action.value in window.actions:
            return window
        if not window.actions and general is None:
            general = window
    return general


def deadline_of(submitted_at: datetime, window: ResponseWindow | None) -> datetime | None:
    return None if window is None else submitted_at + timedelta(hours=window.hours)


def is_overdue(state: RequestState, deadline: datetime | None, now: datetime) -> bool:
    """Past its deadline with no response yet (``now`` is the clock passed in)."""
    return deadline is not None and state in AWAITING_RESPONSE and now > deadline


def answered_in_time(deadline: datetime | None, responded_at: datetime | None) -> bool | None:
    """Whether the response came by the deadline (None: no deadline, or no response yet)."""
    if deadline is None or responded_at is None:
        return None
    return responded_at <= deadline


# --- controlled disclosure ----------------------------------------------------------


class Tlp(StrEnum):
    """Traffic Light Protocol handling marks, strictest first."""

    RED = "red"
    AMBER = "amber"
    GREEN = "green"
    CLEAR = "clear"


class Audience(StrEnum):
    """Whom a package is sealed to, beyond the submitting party."""

    MEDIATOR = "mediator"  # the mediator alone
    MEDIATOR_AND_PARTY = "mediator_and_party"  # and the other party, once released to it
    MONITORS = "monitors"  # the mediator and the monitors, for verification


def readers_for(
    audience: Audience, submitting_party: str | None, *, released: bool
) -> tuple[str, ...]:
    """Who a package is sealed to: ``mediator``, a party code, ``monitors``.

    The other party is a reader only after the submitting party released the
    package to it, and only when the audience allows that release.
    """
    readers = ["mediator"]
    if submitting_party is not None:
        readers.append(submitting_party)
        if audience is Audience.MEDIATOR_AND_PARTY and released:
            readers.append(other_party(submitting_party))
    if audience is Audience.MONITORS:
        readers.append("monitors")
    return tuple(readers)


def strictest(marks: Sequence[Tlp]) -> Tlp:
    """The strictest handling mark among ``marks`` (CLEAR when none)."""
    order = list(Tlp)
    return min(marks, key=order.index) if marks else Tlp.CLEAR
