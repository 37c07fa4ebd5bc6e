"""A local committee for the page and browser tests: an elder who signs in, a second committee
the elder is not on, and an incident of the district for the committee to take up."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy.orm import Session

from support_web import PASSWORD
from truceline.accounts import services as accounts
from truceline.accounts.roles import SYSTEM_ADMIN, Principal, Role
from truceline.accounts.sealing import IdentityDetails, generate_custodian_key
from truceline.community import committees
from truceline.config import get_settings
from truceline.incidents.models import Incident

ELDER_ACCOUNT = "haji"
KEEPER = Principal("elder-gul", Role.COMMUNITY_LIAISON)
PERSON = IdentityDetails(name="Haji Abdul Wali", phone="+93 79 000 1111", village="Wesh")


@dataclass(frozen=True)
class CommitteeWorld:
    committee: str
    other: str
    member: str
    incidents: tuple[str, ...]


def seed_committee(session: Session) -> CommitteeWorld:
    """Spin Boldak's committee with haji as its elder, Chaman's without, two new incidents."""
    generate_custodian_key(get_settings().resolved_keys_dir)
    accounts.create_user(session, name=ELDER_ACCOUNT, role="elder", password=PASSWORD,
                         actor=SYSTEM_ADMIN.as_actor())  # fmt: skip
    ours = committees.create_committee(session, district_key="AF:spin-boldak",
                                       name="Spin Boldak liaison committee", principal=KEEPER)  # fmt: skip
    other = committees.create_committee(session, district_key="PK:chaman",
                                        name="Chaman liaison committee", principal=KEEPER)  # fmt: skip
    member = committees.add_member(session, ours, PERSON, role=committees.MemberRole.ELDER,
                                   term_start=date(2025, 1, 1), term_end=date(2030, 1, 1),
                                   principal=KEEPER, keys_dir=get_settings().resolved_keys_dir)  # fmt: skip
    committees.link_account(session, member.pseudonym, ELDER_ACCOUNT, principal=KEEPER)
    codes = ("SB-2025-10-22-GATE", "SB-2025-10-23-POST")
    for code in codes:
        session.add(Incident(code=code, occurred_at=datetime(2025, 10, 22, 9, tzinfo=UTC),
                             event_type="cross_border_fire", lat=30.99, lon=66.40))  # fmt: skip
    session.flush()
    return CommitteeWorld(ours.code, other.code, member.pseudonym, codes)
