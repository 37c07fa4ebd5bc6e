"""The access policy: the ONE place that decides who may do what (pure, no I/O).

``authorize(principal, action, resource)`` returns a ``Decision`` with a reason a
person can read; ``require`` raises ``AccessDenied`` with that reason (the web
app turns it into 401/403). Routes never test roles themselves: they call
``require`` (or depend on ``truceline.accounts.access.Authorized``), and list
queries are narrowed by ``truceline.accounts.scoping.visible_filter``, which is
derived from these same rules.

A resource is described by a few facts (``Resource``): who owns it (a party,
a user), whether it is shared with both parties, released to the public,
determined (the verification is finished), or disclosed (evidence originals).
To protect a new kind of record, add a ``ResourceType`` and one rule function
to ``RULES``; the table-driven test in ``tests/unit/accounts/test_policy.py``
must then say, for every role, what is allowed and what is refused.
"""

from __future__ import annotations

import itertools

from truceline.accounts.permissions import (
    INTAKE_ROLES,
    MECHANISM_STAFF,
    READ_ACTIONS,
    AccessDenied,
    Action,
    Decision,
    Resource,
    ResourceType,
    allow,
    refuse,
)
from truceline.accounts.policy_rules import RULES, Rule
from truceline.accounts.roles import Principal

__all__ = [
    "INTAKE_ROLES",
    "KNOWN_SCOPES",
    "MECHANISM_STAFF",
    "OTHER",
    "RULES",
    "SCOPE_DOMAINS",
    "AccessDenied",
    "Action",
    "Decision",
    "Resource",
    "ResourceType",
    "Rule",
    "Step",
    "allow",
    "authorize",
    "authorize_step",
    "available_actions",
    "conceivable_resources",
    "could_ever",
    "refuse",
    "require",
    "require_step",
    "required_scope",
    "step_decisions",
]

#: The scope a token needs, by resource type: ``<domain>:read`` or ``<domain>:write``.
SCOPE_DOMAINS: dict[ResourceType, str] = {
    ResourceType.INCIDENT: "incidents",
    ResourceType.INCIDENT_LINK: "incidents",
    ResourceType.REPORT: "reports",
    ResourceType.PARTY_NOTE: "notes",
    ResourceType.SHARED_RECORD: "shared",
    ResourceType.EVIDENCE_ORIGINAL: "evidence",
    ResourceType.EVIDENCE_REDACTED: "evidence",
    ResourceType.REPORTER_IDENTITY: "identities",
    ResourceType.AUDIT_LOG: "audit",
    ResourceType.FINDING: "findings",
    ResourceType.USER: "accounts",
    ResourceType.API_TOKEN: "accounts",
    ResourceType.VERIFICATION_CASE: "verification",
    ResourceType.PARTY_REPLY: "verification",
    ResourceType.MEMBER_VIEW: "verification",
    ResourceType.COMMITTEE: "community",
    ResourceType.COMMUNITY_REPORTER: "community",
    ResourceType.NOTIFICATION: "notifications",
    ResourceType.EARLY_WARNING: "warning",
    ResourceType.PERIODIC_REPORT: "periodic_reports",
    ResourceType.ACTION_REQUEST: "requests",
    ResourceType.INTELLIGENCE: "requests",
    ResourceType.GROUP_REGISTRY: "designations",
    ResourceType.DESIGNATION: "designations",
}
INTAKE_SCOPE = "intake:write"
KNOWN_SCOPES = frozenset(
    {f"{domain}:{mode}" for domain in SCOPE_DOMAINS.values() for mode in ("read", "write")}
    | {INTAKE_SCOPE}
)


def required_scope(action: Action, resource_type: ResourceType) -> str:
    """The token scope an action needs: submitting a report needs ``intake:write``."""
    if resource_type is ResourceType.REPORT and action is Action.CREATE:
        return INTAKE_SCOPE
    mode = "read" if action in READ_ACTIONS else "write"
    return f"{SCOPE_DOMAINS[resource_type]}:{mode}"


def authorize(principal: Principal, action: Action, resource: Resource) -> Decision:
    """Decide whether ``principal`` may do ``action`` on ``resource``, and say why."""
    if principal.scopes is not None:
        scope = required_scope(action, resource.type)
        if scope not in principal.scopes:
            return refuse(f"the API token lacks the scope {scope}")
    return RULES[resource.type](principal, action, resource)


def require(principal: Principal, action: Action, resource: Resource) -> Decision:
    """Like ``authorize`` but raises ``AccessDenied`` when refused."""
    decision = authorize(principal, action, resource)
    if not decision.allowed:
        raise AccessDenied(decision, principal)
    return decision


def could_ever(principal: Principal, action: Action, resource_type: ResourceType) -> Decision:
    """Whether ``action`` is allowed on at least one conceivable resource of this type.

    Used to refuse early (e.g. a list endpoint) before any record is loaded.
    """
    first_refusal: Decision | None = None
    for resource in conceivable_resources(principal, resource_type):
        decision = authorize(principal, action, resource)
        if decision.allowed:
            return decision
        first_refusal = first_refusal or decision
    assert first_refusal is not None
    return first_refusal


OTHER = "\x00other"  # an owner that is neither the principal nor its party


def conceivable_resources(principal: Principal, resource_type: ResourceType) -> list[Resource]:
    """Every combination of the facts that matter, seen from ``principal`` (on a case's team
    or not)."""
    flags = list(itertools.product((True, False), repeat=4))
    return [
        Resource(resource_type, party, user, shared, released, determined, disclosed, team=team)
        for party in (principal.party or OTHER, OTHER)
        for user in (principal.name, OTHER)
        for shared, released, determined, disclosed in flags
        for team in (frozenset({principal.name}), frozenset())
    ]


from truceline.accounts.policy_workflow import (  # noqa: E402 (it asks ``authorize`` above)
    Step,
    authorize_step,
    available_actions,
    require_step,
    step_decisions,
)
