"""Questions to the access policy phrased the way pages and navigation need them.

Pages never test roles: they ask ``truceline.accounts.policy`` (one rule table)
through these helpers.
"""

from __future__ import annotations

from truceline.accounts.policy import Action, Resource, ResourceType, authorize
from truceline.accounts.roles import Principal

#: An incident that is neither determined nor released: readable only in the restricted view.
_UNRELEASED_INCIDENT = Resource(ResourceType.INCIDENT)


def sees_restricted(principal: Principal) -> bool:
    """True when the policy lets the principal read unreleased incidents (and exact places)."""
    return authorize(principal, Action.READ, _UNRELEASED_INCIDENT).allowed


def may(principal: Principal, action: Action, resource_type: ResourceType, **facts: object) -> bool:
    """Whether ``action`` is allowed on a resource with these facts (for showing a form or link)."""
    return authorize(principal, action, Resource(resource_type, **facts)).allowed  # type: ignore[arg-type]
