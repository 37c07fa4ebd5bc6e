"""Principals and incidents shared by the verification tests."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.orm import Session

from truceline.accounts.roles import Principal, Role
from truceline.incidents.models import Incident
from truceline.verification.services import MemberSpec

MEDIATOR = Principal("mona", Role.MEDIATOR)
OTHER_MEDIATOR = Principal("omar", Role.MEDIATOR)
AF_LIAISON = Principal("farid", Role.PARTY_LIAISON, "AF")
PK_LIAISON = Principal("sana", Role.PARTY_LIAISON, "PK")
AF_MEMBER = Principal("af-nominee", Role.TEAM_MEMBER)
PK_MEMBER = Principal("pk-nominee", Role.TEAM_MEMBER)
MONITOR = Principal("maya", Role.FIELD_MONITOR)
REPORTER = Principal("reporter-7", Role.COMMUNITY_REPORTER)

JOINT_TEAM = [
    MemberSpec("af-nominee", "AF"),
    MemberSpec("pk-nominee", "PK"),
    MemberSpec("maya", None),
]

OCCURRED = datetime(2025, 10, 22, 23, 40, tzinfo=UTC)


def cross_border_fire(session: Session, code: str = "INC-TEST-1") -> Incident:
    """Artillery fire from Afghanistan into Kurram during the Doha ceasefire, alleged by Pakistan."""
    incident = Incident(
        code=code,
        title="Cross-border fire on Kurram border posts",
        occurred_at=OCCURRED,
        lat=33.85,
        lon=70.05,
        geo_precision=2,
        place_name="Kurram",
        country="PK",
        event_type="cross_border_fire",
        perpetrator="unknown",
        targets=["security_forces"],
    )
    session.add(incident)
    session.flush()
    return incident
