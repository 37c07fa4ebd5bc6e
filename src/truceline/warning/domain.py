"""The cooling-off protocol's rules (pure, no I/O).

When a party files an allegation, the other party and the mediators are told
at once and a cooling-off clock starts: the verification window during which
both parties have undertaken not to respond by force. An incident by the
alleging party's own forces (or by a group whose link to that party is
established) that happens after the allegation and before the clock ends is
flagged on the allegation, with an explanation.

Extend here: who is notified (``audiences_for_allegation``), which incidents
count against the clock (``responsible_party``, ``breach_of``), and the retry
schedule of outbound deliveries (``retry_delay``).
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from truceline.errors import CodedError

PARTIES = ("AF", "PK")
MEDIATOR_AUDIENCE = "mediator"
AUDIENCES = (*PARTIES, MEDIATOR_AUDIENCE)
DEFAULT_COOLING_OFF_HOURS = 72
ALLEGATION_SOURCE_TYPE = "party_liaison"
ALLEGATION_EVENT = "allegation.filed"
BREACH_EVENT = "cooling_off.breach"
SIGNATURE_HEADER = "X-Truceline-Signature"


class WarningError(CodedError, ValueError):
    """A request the cooling-off protocol cannot accept; the message says why."""

    default_code = "warning_refused"


def other_party(party: str) -> str:
    if party not in PARTIES:
        raise WarningError(f"unknown party {party!r}: expected AF or PK")
    return PARTIES[1 - PARTIES.index(party)]


def audiences_for_allegation(alleging_party: str) -> tuple[str, str]:
    """The accused side and the mediators hear of an allegation; the filer already knows."""
    return (other_party(alleging_party), MEDIATOR_AUDIENCE)


def is_party_allegation(source_type: str, source_party: str | None) -> bool:
    return source_type == ALLEGATION_SOURCE_TYPE and source_party in PARTIES


@dataclass(frozen=True)
class Window:
    """The cooling-off window of one allegation: (starts, ends]."""

    starts: datetime
    ends: datetime

    def contains(self, at: datetime) -> bool:
        return self.starts < at <= self.ends

    def remaining(self, now: datetime) -> timedelta:
        return max(self.ends - now, timedelta(0))


def cooling_off_window(filed_at: datetime, hours: int) -> Window:
    if filed_at.tzinfo is None:
        raise WarningError("the allegation's filing time must be timezone-aware")
    if hours <= 0:
        raise WarningError(f"a cooling-off period must be positive, not {hours} hours")
    return Window(filed_at, filed_at + timedelta(hours=hours))


def responsible_party(perpetrator: str, attribution: Sequence[dict[str, Any]]) -> str | None:
    """The party an incident counts against: its own forces, or one established link.

    A non-party group counts against a party only when exactly one party's
    link to it is established; a claimed link is not enough.
    """
    if perpetrator in PARTIES:
        return perpetrator
    established = {
        str(link.get("party"))
        for link in attribution
        if link.get("established") is True and link.get("party") in PARTIES
    }
    return established.pop() if len(established) == 1 else None


@dataclass(frozen=True)
class IncidentSketch:
    """What the protocol needs to know about an incident."""

    code: str
    occurred_at: datetime
    perpetrator: str
    attribution: tuple[dict[str, Any], ...] = ()
    title: str = ""


def breach_of(
    alleging_party: str, window: Window, allegation_code: str, incident: IncidentSketch
) -> str | None:
    """Why ``incident`` breaks the cooling-off undertaking, or None when it does not."""
    party = responsible_party(incident.perpetrator, incident.attribution)
    if party != alleging_party or not window.contains(incident.occurred_at):
        return None
    after = incident.occurred_at - window.starts
    how = (
        f"by {party} forces"
        if incident.perpetrator == party
        else f"by {incident.perpetrator}, whose link to {party} is established"
    )
    return (
        f"Incident {incident.code} ({incident.title or 'untitled'}) occurred "
        f"{_hours(after)} after {party} filed allegation {allegation_code}, {how}, "
        f"inside the cooling-off window ending {window.ends.isoformat()}: "
        f"{party} had undertaken not to respond while the allegation is verified."
    )


def _hours(delta: timedelta) -> str:
    hours = delta.total_seconds() / 3600
    return f"{hours:.1f} h"


def sign_body(secret: str, body: bytes) -> str:
    """HMAC-SHA256 of the exact body sent, so a receiver can check origin and integrity."""
    digest = hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def signature_matches(secret: str, body: bytes, header: str) -> bool:
    return hmac.compare_digest(sign_body(secret, body), header)


def retry_delay(attempts_made: int) -> timedelta:
    """Back off 1, 2, 4 ... minutes after each failure, capped at one hour."""
    return timedelta(minutes=min(2 ** max(attempts_made - 1, 0), 60))
