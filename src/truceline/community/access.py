"""The facts of a committee as the access policy sees them (the committee rule).

A committee's ``team`` is the set of accounts of its active members: an elder
signed in with one of them reads and works that committee's records and no
other's. The mechanism's keepers (mediators, field monitors, community
liaisons) are allowed by role. Lists are narrowed here, row by row, with the
same rule (committees are few).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from truceline.accounts.policy import (
    Action,
    Resource,
    ResourceType,
    authorize,
    could_ever,
    require,
)
from truceline.accounts.roles import PARTIES, PARTY_BOUND_ROLES, Principal, Role
from truceline.community.models import Committee, CommitteeMember


def member_accounts(session: Session, committee_id: int) -> frozenset[str]:
    """The accounts of the committee's active members."""
    return frozenset(
        session.scalars(
            select(CommitteeMember.account).where(
                CommitteeMember.committee_id == committee_id,
                CommitteeMember.status == "active",
                CommitteeMember.account.is_not(None),
            )
        )
    )


def committee_resource(session: Session, committee: Committee) -> Resource:
    return Resource(ResourceType.COMMITTEE, team=member_accounts(session, committee.id))


def require_committee(
    session: Session, principal: Principal, action: Action, committee: Committee
) -> None:
    """Raise ``AccessDenied`` unless the policy lets ``principal`` do ``action`` on it."""
    require(principal, action, committee_resource(session, committee))


def may(session: Session, principal: Principal, action: Action, committee: Committee) -> bool:
    return authorize(principal, action, committee_resource(session, committee)).allowed


def readable_committees(session: Session, principal: Principal) -> list[Committee]:
    """The committees the principal may read, by code."""
    rows = session.scalars(select(Committee).order_by(Committee.code))
    return [c for c in rows if may(session, principal, Action.READ, c)]


def committee_roles() -> frozenset[str]:
    """The roles the policy lets read some committee (for the navigation link)."""
    return frozenset(
        role.value
        for role in Role
        if could_ever(
            Principal("-", role, PARTIES[0] if role in PARTY_BOUND_ROLES else None),
            Action.READ,
            ResourceType.COMMITTEE,
        )
    )
