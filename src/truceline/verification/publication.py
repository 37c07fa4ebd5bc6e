"""Publication: a mediator releases a determined incident to the public, or withdraws it.

One function, ``set_released``, serves the incident page, the API
(``POST /api/incidents/{code}/release`` and ``/withdraw``) and
``truceline incidents release CODE --as USER [--withdraw]``, so that all three
ask the same question of the one access policy (``Action.RELEASE`` on the
incident: mediators only, and only an incident whose verification has ended)
and leave the same trace:

- an audit entry (``incident.released`` or ``incident.withdrawn``) whose
  before/after snapshots carry the flag and the mediator's reason;
- a notice to both parties' liaison officers and to the mediators (in-app,
  and through their webhook or email subscriptions), because what the public
  reads about an incident concerns both parties equally.

What the public then sees (coarsened places, no reports, no protected
identities) is decided where it is shown: ``incidents.pages.visibility``, ``reports.gather``
and ``exchange.exporter`` with ``released_only``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from truceline.accounts.policy import Action, require
from truceline.accounts.roles import Principal
from truceline.accounts.scoping import resource_of
from truceline.audit.log import append_entry
from truceline.errors import CodedError
from truceline.incidents.models import Incident
from truceline.warning import notify
from truceline.warning.domain import AUDIENCES

MAX_REASON_CHARS = 2000
RELEASED_EVENT = "incident.released"
WITHDRAWN_EVENT = "incident.withdrawn"


@dataclass(frozen=True)
class PublicationOutcome:
    """What a release or withdrawal left: the flag now, and whether this call changed it."""

    incident: str
    released: bool
    changed: bool

    def as_json(self) -> dict[str, Any]:
        return {"incident": self.incident, "released": self.released, "changed": self.changed}


class PublicationError(CodedError, ValueError):
    """A release or withdrawal that is understood but malformed (a reason that is too long)."""

    default_code = "publication_refused"


def set_released(
    session: Session,
    incident: Incident,
    *,
    principal: Principal,
    released: bool,
    reason: str = "",
) -> PublicationOutcome:
    """Release (``released=True``) or withdraw the incident, if the policy allows it.

    Raises ``AccessDenied`` with the policy's reason (a liaison, a monitor, an
    incident still under verification). Asking for the state the incident is
    already in changes nothing, writes nothing and notifies no one.
    """
    reason = reason.strip()
    if len(reason) > MAX_REASON_CHARS:
        raise PublicationError(
            f"reason: {len(reason)} characters is over the limit of {MAX_REASON_CHARS}",
            field="reason",
        )
    require(principal, Action.RELEASE, resource_of(incident))
    if bool(incident.released) == released:
        return PublicationOutcome(incident.code, released, changed=False)
    before = _snapshot(incident)
    incident.released = released
    session.flush()
    event = RELEASED_EVENT if released else WITHDRAWN_EVENT
    actor = principal.as_actor()
    append_entry(
        session,
        actor=actor,
        action=event,
        object_type="incident",
        object_id=incident.id,
        before=before,
        after=_snapshot(incident) | {"reason": reason},
    )
    _tell_both_parties(session, incident, principal, event, reason)
    return PublicationOutcome(incident.code, released, changed=True)


def _snapshot(incident: Incident) -> dict[str, Any]:
    return {
        "code": incident.code,
        "released": bool(incident.released),
        "verification_state": incident.verification_state,
    }


def _tell_both_parties(
    session: Session, incident: Incident, principal: Principal, event: str, reason: str
) -> None:
    """Both parties' liaisons (and the mediators) learn of it in the same transaction."""
    if event == RELEASED_EVENT:
        subject = f"Incident {incident.code} is published"
        body = (
            f"{principal.name} released incident {incident.code} ({incident.title or 'untitled'}) "
            "to the public: its findings now appear on the public pages, the public report and "
            "public exports, with coarsened places."
        )
    else:
        subject = f"Incident {incident.code} is withdrawn from publication"
        body = (
            f"{principal.name} withdrew incident {incident.code} ({incident.title or 'untitled'}) "
            "from the public pages, the public report and public exports."
        )
    if reason:
        body += f" Reason: {reason}"
    notify.announce(
        session,
        audiences=AUDIENCES,
        event=event,
        subject=subject,
        body=body,
        payload={
            "event": event,
            "incident": incident.code,
            "released": bool(incident.released),
            "reason": reason,
            "by": principal.name,
        },  # fmt: skip
        object_ref=("incident", incident.code),
        actor=principal.as_actor(),
    )
