"""Sentences explaining each step of a request, stored with the step (pure).

The history of a request reads as a record a mediator can quote: who did what,
on which basis, and what follows (the deadline, the next step).
"""

from __future__ import annotations

from datetime import datetime

PARTY_NAMES = {"AF": "Afghanistan", "PK": "Pakistan"}


def party_name(code: str | None) -> str:
    return PARTY_NAMES.get(code or "", code or "the mechanism")


def when(instant: datetime | None) -> str:
    return "no deadline" if instant is None else instant.strftime("%Y-%m-%d %H:%M UTC")


def submitted(
    requesting: str,
    addressed: str,
    action: str,
    group: str,
    clause: str,
    agreement: str,
    deadline: datetime | None,
    basis: str,
) -> str:
    due = (
        f"a response is due by {when(deadline)} ({basis.strip()})"
        if deadline
        else "the agreement sets no response window, so there is no deadline"
    )
    return (
        f"{party_name(requesting)} asks {party_name(addressed)} to {action.replace('_', ' ')} "
        f"against {group}, relying on clause {clause} of {agreement}; {due}. "
        "The mediator screens it before it is delivered."
    )


def admitted(note: str) -> str:
    return "The mediator found the request admissible" + (f": {note}" if note else ".")


def returned(reason: str, text: str) -> str:
    return (
        f"The mediator returned the request to the requesting party "
        f"({reason.replace('_', ' ')}): {text}"
    )


def delivered(addressed: str, deadline: datetime | None) -> str:
    return (
        f"Delivered to {party_name(addressed)} through the mechanism; "
        f"response due by {when(deadline)}."
    )


def acknowledged(addressed: str) -> str:
    return f"{party_name(addressed)} acknowledged receipt."


def responded(
    addressed: str, kind: str, text: str, dispute: str | None, in_time: bool | None
) -> str:
    timing = {True: " within the deadline", False: " after the deadline", None: ""}[in_time]
    what = {
        "action_taken": "reports action taken",
        "declined": "declines to act",
        "disputed": "disputes the request",
    }[kind]
    reason = f" ({dispute.replace('_', ' ')})" if dispute else ""
    return f"{party_name(addressed)} {what}{reason}{timing}: {text}"


def verified(outcome: str, text: str) -> str:
    what = {
        "confirmed": "The monitors confirmed the action reported",
        "not_confirmed": "The monitors could not confirm the action reported",
        "not_possible": "The monitors could not verify (no access)",
    }[outcome]
    return f"{what}: {text}"


def closed(note: str) -> str:
    return "The mediator closed the request" + (f": {note}" if note else ".")
