"""List queries narrowed by ``visible_filter`` select exactly what the policy allows (both back ends)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from truceline.accounts.policy import Action, authorize
from truceline.accounts.roles import PUBLIC, Principal, Role
from truceline.accounts.scoping import resource_of, visible_filter
from truceline.db.engine import transaction
from truceline.incidents.models import Incident, Report

PRINCIPALS = [
    PUBLIC,
    Principal("ada", Role.ADMIN),
    Principal("mona", Role.MEDIATOR),
    Principal("farid", Role.PARTY_LIAISON, "AF"),
    Principal("sana", Role.PARTY_LIAISON, "PK"),
    Principal("maya", Role.FIELD_MONITOR),
    Principal("elder-gul", Role.COMMUNITY_LIAISON),
    Principal("reporter-7", Role.COMMUNITY_REPORTER),
]
WHEN = datetime(2025, 10, 17, 16, 30, tzinfo=UTC)


def seed(session: Session) -> None:
    states = [("reported", False), ("determined", False), ("reported", True), ("determined", True)]
    for number, (state, released) in enumerate(states):
        session.add(
            Incident(
                code=f"INC-{number}",
                occurred_at=WHEN,
                event_type="air_drone_strike",
                verification_state=state,
                released=released,
            )
        )
    sources = [("AF", "farid"), ("PK", "sana"), (None, "reporter-7"), (None, None)]
    for number, (party, submitter) in enumerate(sources):
        session.add(
            Report(
                code=f"REP-{number}",
                channel="web",
                source_type="party",
                source_party=party,
                submitted_by=submitter,
                content_hash=f"{number:064d}",
            )
        )


@pytest.mark.parametrize("model", [Incident, Report], ids=["incidents", "reports"])
def test_visible_filter_selects_exactly_what_the_policy_allows(engine: Engine, model: type) -> None:
    with transaction(engine) as session:
        seed(session)
    with transaction(engine) as session:
        everything = list(session.scalars(select(model)))
        for principal in PRINCIPALS:
            expected = {
                row.code
                for row in everything
                if authorize(principal, Action.READ, resource_of(row)).allowed
            }
            query = select(model).where(visible_filter(principal, model))
            assert {row.code for row in session.scalars(query)} == expected, principal


def test_the_public_sees_only_determined_released_incidents(engine: Engine) -> None:
    with transaction(engine) as session:
        seed(session)
        query = select(Incident.code).where(visible_filter(PUBLIC, Incident))
        assert list(session.scalars(query)) == ["INC-3"]


def test_a_party_liaison_lists_only_its_own_partys_reports(engine: Engine) -> None:
    with transaction(engine) as session:
        seed(session)
        query = select(Report.code).where(visible_filter(PRINCIPALS[4], Report))
        assert list(session.scalars(query)) == ["REP-1"]


def test_an_unmapped_model_is_an_error_not_a_silent_full_list() -> None:
    with pytest.raises(LookupError, match="no access mapping"):
        visible_filter(PUBLIC, Principal)
