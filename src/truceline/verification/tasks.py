"""Verification tasks, their deadlines and why overdue work is stuck (pure; no I/O).

A task is one piece of investigative work on a case: a first assessment, a
site visit, an interview, a request for evidence, or the accused party's
reply. Each kind has a default deadline in hours, configurable per agreement
(``verification_deadlines_hours`` in the agreement document) on top of
``DEFAULT_DEADLINES_HOURS``. To add a task kind, add its default hours there.

The overdue view explains every late task with one reason, the most
actionable first: monitors were denied access, no joint team is assigned,
or the mechanism is waiting on a party.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from truceline.errors import CodedError
from truceline.events.taxonomy import PARTY_CODES
from truceline.verification.domain import DEFAULT_DEADLINES_HOURS, OverdueReason

TASK_KINDS = frozenset(DEFAULT_DEADLINES_HOURS)

#: Task kinds that wait on a party rather than on the team.
PARTY_TASK_KINDS = frozenset({"right_of_reply"})


class BlockedReason(StrEnum):
    """Why a team says it cannot get on with a task."""

    ACCESS_DENIED = "access_denied"
    WAITING_ON_PARTY = "waiting_on_party"


class TaskRefused(CodedError, ValueError):
    """A task that cannot be created or changed; the message names the field."""

    default_code = "task_refused"

    def __init__(self, message: str, *, field: str, code: str | None = None) -> None:
        super().__init__(f"{field}: {message}", code=code, field=field)
        self.field: str = field


def deadlines_for(configured: Mapping[str, int] | None) -> dict[str, int]:
    """The default hours per task kind: the agreement's overrides on top of the defaults."""
    hours = dict(DEFAULT_DEADLINES_HOURS)
    for kind, value in (configured or {}).items():
        if kind not in TASK_KINDS:
            raise TaskRefused(f"unknown task kind {kind!r}", field="verification_deadlines_hours")
        if value <= 0:
            raise TaskRefused(f"{kind} must be a positive number of hours", field=kind)
        hours[kind] = value
    return hours


def due_time(
    kind: str,
    *,
    now: datetime,
    deadlines_hours: Mapping[str, int],
    due_at: datetime | None = None,
) -> datetime:
    """When a new task is due: an explicit future time, or the kind's default from now."""
    if kind not in TASK_KINDS:
        raise TaskRefused(
            f"unknown task kind {kind!r}; expected one of {', '.join(sorted(TASK_KINDS))}",
            field="kind",
        )
    if due_at is None:
        return now + timedelta(hours=deadlines_hours[kind])
    if due_at.tzinfo is None:
        raise TaskRefused("a deadline needs a time zone", field="due_at")
    if due_at <= now:
        raise TaskRefused(
            f"the deadline {due_at.isoformat()} is in the past (now {now.isoformat()})",
            field="due_at",
        )
    return due_at


def check_party(party: str | None, *, field: str) -> str | None:
    """A party code (AF, PK) or None; anything else is refused naming the field."""
    if party is None or party in PARTY_CODES:
        return party
    raise TaskRefused(f"unknown party {party!r}; expected AF or PK", field=field)


@dataclass(frozen=True)
class TaskStatus:
    """What the overdue view needs to know about one open task."""

    kind: str
    due_at: datetime
    blocked_reason: str | None
    requested_from: str | None
    has_team: bool
    started: bool


def overdue_reason(task: TaskStatus) -> OverdueReason:
    """Why an open task is late: access denied, no team, waiting on a party, or just late."""
    if task.blocked_reason == BlockedReason.ACCESS_DENIED:
        return OverdueReason.ACCESS_DENIED
    if not task.has_team and task.kind not in PARTY_TASK_KINDS:
        return OverdueReason.NO_TEAM
    if (
        task.blocked_reason == BlockedReason.WAITING_ON_PARTY
        or task.requested_from is not None
        or task.kind in PARTY_TASK_KINDS
    ):
        return OverdueReason.WAITING_ON_PARTY
    return OverdueReason.IN_PROGRESS if task.started else OverdueReason.NOT_STARTED


class ViewPosition(StrEnum):
    """A team member's position on the findings under consideration."""

    CONCURS = "concurs"
    DISSENTS = "dissents"
    ABSTAINS = "abstains"


def parse_member(spec: str) -> tuple[str, str | None]:
    """``NAME:PARTY`` (PARTY is AF, PK or NEUTRAL) as (name, nominating party or None)."""
    name, sep, party = spec.rpartition(":")
    if not sep or not name.strip():
        raise TaskRefused(f"{spec!r}: expected NAME:PARTY (AF, PK or NEUTRAL)", field="member")
    code = party.strip().upper()
    if code in ("NEUTRAL", "NONE", "-"):
        return name.strip(), None
    return name.strip(), check_party(code, field="member")
