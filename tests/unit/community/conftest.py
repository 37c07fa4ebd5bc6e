"""Fixtures for the community tests: a custodian key, people, a committee and a reporter."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

import pytest
from argon2 import PasswordHasher
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from truceline.accounts import services as account_services
from truceline.accounts.ratelimit import RateLimiter
from truceline.accounts.roles import Principal, Role
from truceline.accounts.sealing import IdentityDetails, generate_custodian_key
from truceline.community import committees
from truceline.community.models import Committee, CommunityReporter
from truceline.community.phones import PhoneVault
from truceline.community.reporters import register_reporter
from truceline.config import get_settings
from truceline.db.engine import session_factory

LIAISON = Principal("elder-gul", Role.COMMUNITY_LIAISON)
MEDIATOR = Principal("mona", Role.MEDIATOR)
GATEWAY = Principal("sms-gateway", Role.COMMUNITY_LIAISON)
REPORTER_PHONE = "0701234567"
ELDER = IdentityDetails(name="Haji Abdul Wali", phone="+93 79 000 1111", village="Wesh")


@dataclass
class Setup:
    session: Session
    committee: Committee
    reporter: CommunityReporter


def phone_vault() -> PhoneVault:
    """The phone vault of the test installation (as the API builds it from the settings)."""
    return PhoneVault.in_keys_dir(get_settings().resolved_keys_dir)


@pytest.fixture(autouse=True)
def fast_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """argon2 with tiny parameters for the accounts these tests create."""
    monkeypatch.setattr(
        account_services, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    )


@pytest.fixture
def custodian(engine: Engine) -> None:
    generate_custodian_key(get_settings().resolved_keys_dir)


@pytest.fixture
def session(engine: Engine, custodian: None) -> Iterator[Session]:
    with session_factory(engine)() as session, session.begin():
        yield session


@pytest.fixture
def setup(session: Session) -> Setup:
    """A committee of Spin Boldak and a Pashto-speaking reporter (both back ends)."""
    return build_setup(session)


@pytest.fixture
def sqlite_setup(sqlite_engine: Engine) -> Iterator[Setup]:
    """The same on SQLite only, for checks of input that do not depend on the back end."""
    generate_custodian_key(get_settings().resolved_keys_dir)
    with session_factory(sqlite_engine)() as session, session.begin():
        yield build_setup(session)


def build_setup(session: Session) -> Setup:
    """A committee of Spin Boldak, an elder, and a reporter registered by its liaison."""
    committee = committees.create_committee(
        session, district_key="AF:spin-boldak", name="Spin Boldak liaison committee",
        principal=LIAISON,
    )  # fmt: skip
    committees.add_member(
        session, committee, ELDER, role=committees.MemberRole.ELDER,
        term_start=date(2025, 11, 1), term_end=date(2026, 10, 31), principal=LIAISON,
        keys_dir=get_settings().resolved_keys_dir,
    )  # fmt: skip
    reporter = register_reporter(
        session, IdentityDetails(name="Gul Bibi", phone=REPORTER_PHONE, village="Wesh"),
        committee=committee, language="ps", principal=LIAISON, vault=phone_vault(),
        keys_dir=get_settings().resolved_keys_dir,
    )  # fmt: skip
    return Setup(session, committee, reporter)


@pytest.fixture
def limiter() -> RateLimiter:
    return RateLimiter(per_minute=100)
