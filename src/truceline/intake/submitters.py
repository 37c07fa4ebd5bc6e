"""Who files what: the source a signed-in account's reports come from, as one rule.

The API (``intake/api.py``) and the report form (``intake/pages/report.py``)
both ask here. A party liaison files its party's allegations: source type
``party_liaison``, in its own party's name (it may not pass one off as a
monitor's or a community report); a community liaison or reporter files
community reports; the mechanism's staff file monitors' reports. Whether the
account may file in that name at all is then the access policy's decision
(``report`` / ``create`` with the party the report speaks for: a liaison only
for its own party).
"""

from __future__ import annotations

from dataclasses import dataclass

from truceline.accounts.roles import Principal, Role
from truceline.intake.schemas import IntakeSourceType
from truceline.intake.services import IntakeError


@dataclass(frozen=True)
class Source:
    """What an account's reports are: their source type and the party they speak for."""

    source_type: IntakeSourceType
    party: str | None


class SourceRefused(IntakeError):
    """A source type the account may not file as (a party liaison files as its party)."""

    default_code = "source_type_not_yours"


def source_of(principal: Principal) -> Source:
    """The source an account files as on the report form."""
    if principal.role is Role.PARTY_LIAISON:
        return Source(IntakeSourceType.PARTY_LIAISON, principal.party)
    if principal.role in {Role.COMMUNITY_REPORTER, Role.COMMUNITY_LIAISON}:
        return Source(IntakeSourceType.COMMUNITY_REPORTER, None)
    return Source(IntakeSourceType.FIELD_MONITOR, None)


def speaks_for(source_type: IntakeSourceType, source_party: str | None) -> str | None:
    """The party a submission speaks for: its source party when it is a party's allegation."""
    return source_party if source_type is IntakeSourceType.PARTY_LIAISON else None


def check_source(principal: Principal, source_type: IntakeSourceType) -> None:
    """Refuse a party liaison filing as anything but its party (``SourceRefused``)."""
    own = source_of(principal).source_type
    if principal.role is Role.PARTY_LIAISON and source_type is not own:
        raise SourceRefused(
            f"a party liaison files reports as source_type {own.value}", field="source_type"
        )
