"""What the incident page's Publication section shows one principal.

Whether the public sees the incident, and which form (``release`` or
``withdraw``) the access policy offers this principal. Nothing here tests a
role: a principal who could release a determined incident but not this one
(still under verification) is told the policy's reason instead of a form.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from truceline.accounts.policy import Action, Resource, ResourceType, authorize
from truceline.accounts.roles import Principal
from truceline.accounts.scoping import resource_of
from truceline.incidents.models import Incident

_DETERMINED_INCIDENT = Resource(ResourceType.INCIDENT, determined=True)


@dataclass(frozen=True)
class PublicationPanel:
    """The Publication section: the state, and which form (if any) to offer."""

    released: bool
    form: str | None
    #: The policy's reason when the principal releases incidents, but not this one yet.
    blocked_reason: str = ""


def publication_panel(principal: Principal, incident: Incident) -> PublicationPanel:
    """Asked of the policy: may this principal release (or withdraw) the incident now?"""
    released = bool(incident.released)
    decision = authorize(principal, Action.RELEASE, resource_of(incident))
    if decision.allowed:
        return PublicationPanel(released, "withdraw" if released else "release")
    if authorize(principal, Action.RELEASE, _DETERMINED_INCIDENT).allowed:
        return PublicationPanel(released, None, decision.reason)
    return PublicationPanel(released, None)


def publication_context(principal: Principal, incident: Incident) -> dict[str, Any]:
    return {"publication": publication_panel(principal, incident)}
