"""Roles and the principal a request acts as (pure)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from truceline.audit.actor import Actor


class Role(StrEnum):
    ADMIN = "admin"
    MEDIATOR = "mediator"
    PARTY_LIAISON = "party_liaison"
    TEAM_MEMBER = "team_member"
    FIELD_MONITOR = "field_monitor"
    COMMUNITY_LIAISON = "community_liaison"
    COMMUNITY_REPORTER = "community_reporter"
    #: An elder or other member of a local committee, signed in: reads and works the records
    #: of the committee whose member list names their account, nothing else.
    ELDER = "elder"
    PUBLIC = "public"


#: The parties to the agreements; party-bound roles act for one of them.
PARTIES = ("AF", "PK")

#: Roles that act for one party and must carry a party code.
PARTY_BOUND_ROLES = frozenset({Role.PARTY_LIAISON})


@dataclass(frozen=True)
class Principal:
    """Who is acting: user name, role and (for party-bound roles) party.

    ``custodian`` marks the mediator who holds the custodian key of protected
    identities. ``scopes`` is ``None`` for a signed-in person (the role alone
    decides) and the token's scopes for a machine using an API token, which
    can then do no more than both its role and its scopes allow.
    """

    name: str
    role: Role
    party: str | None = None
    custodian: bool = False
    scopes: frozenset[str] | None = None

    def __post_init__(self) -> None:
        if self.role in PARTY_BOUND_ROLES and self.party is None:
            raise ValueError(f"role {self.role.value} must act for a party (AF or PK)")
        if self.party is not None and self.party not in PARTIES:
            raise ValueError(f"unknown party {self.party!r}: expected one of {', '.join(PARTIES)}")
        if self.custodian and self.role is not Role.MEDIATOR:
            raise ValueError("only a mediator can be the custodian of protected identities")

    @property
    def signed_in(self) -> bool:
        return self.role is not Role.PUBLIC

    def as_actor(self) -> Actor:
        return Actor(name=self.name, role=self.role.value, party=self.party)


PUBLIC = Principal(name="public", role=Role.PUBLIC)
SYSTEM_ADMIN = Principal(name="system", role=Role.ADMIN)
