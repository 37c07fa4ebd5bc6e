"""Who may change the armed-group registry and the parties' designations (pure, no I/O).

Everything here is public reference data once recorded: anyone reads the
registry, each party's designations, the joint list and the alignment
processes. Writing is narrower, and the two resource types say how:

- ``group_registry``: the groups themselves, their aliases, relations and
  listings, and the steps of an alignment process that the mediators run
  (sessions, decisions, deferrals): the mediators and the administrator keep it,
  so that neither party shapes the list both are judged against;
- ``designation``: a party's position on a group, the evidence it asserts on
  the criteria, and its position in an alignment process. ``owner_party`` is the
  party the record speaks for (the holder, the asserting party): a party's
  liaison records only its own party's, the mediators and the administrator any.
"""

from __future__ import annotations

from truceline.accounts.permissions import Action, Decision, Resource, allow, refuse
from truceline.accounts.roles import Principal, Role

REGISTRY_KEEPERS = frozenset({Role.ADMIN, Role.MEDIATOR})
WRITES = frozenset({Action.CREATE, Action.UPDATE})


def group_registry_rule(principal: Principal, action: Action, resource: Resource) -> Decision:
    if action is Action.READ:
        return allow("the armed-group registry is public reference data")
    if action in WRITES and principal.role in REGISTRY_KEEPERS:
        return allow("the mediators and the administrator keep the armed-group registry")
    return refuse(
        f"role {principal.role.value} may not {action.value} the armed-group registry: "
        "that is for the mediators and the administrator"
    )


def designation_rule(principal: Principal, action: Action, resource: Resource) -> Decision:
    role = principal.role
    if action is Action.READ:
        return allow("each party's designations are public reference data")
    if action not in WRITES:
        return refuse(f"designations are recorded, never {action.value}d")
    if role in REGISTRY_KEEPERS:
        return allow("the mediators and the administrator record designations for either party")
    if role is Role.PARTY_LIAISON:
        if principal.party is not None and resource.owner_party == principal.party:
            return allow("a party records its own designations")
        return refuse(f"a liaison of {principal.party} may act only for {principal.party}")
    return refuse(f"role {role.value} may not record designations")
