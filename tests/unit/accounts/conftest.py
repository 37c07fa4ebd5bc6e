"""Fixtures for the accounts tests: cheap password hashing, one user per role, web clients."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from truceline.accounts import services
from truceline.accounts.credentials import issue_token
from truceline.accounts.policy import KNOWN_SCOPES
from truceline.accounts.sealing import generate_custodian_key
from truceline.app import create_app
from truceline.audit.actor import SYSTEM
from truceline.config import get_settings
from truceline.db.engine import transaction

PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def fast_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """argon2 with tiny parameters: the production cost (~0.3 s a hash) would slow tests."""
    monkeypatch.setattr(
        services, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    )


@dataclass(frozen=True)
class Account:
    name: str
    role: str
    party: str | None = None
    custodian: bool = False


ACCOUNTS = {
    "admin": Account("ada", "admin"),
    "mediator": Account("mona", "mediator"),
    "custodian": Account("carla", "mediator", custodian=True),
    "liaison_af": Account("farid", "party_liaison", "AF"),
    "liaison_pk": Account("sana", "party_liaison", "PK"),
    "team_member": Account("tariq", "team_member"),
    "field_monitor": Account("maya", "field_monitor"),
    "community_liaison": Account("elder-gul", "community_liaison"),
    "community_reporter": Account("reporter-7", "community_reporter"),
    "elder": Account("haji", "elder"),
}


def create_accounts(engine: Engine) -> dict[str, Account]:
    with transaction(engine) as session:
        for account in ACCOUNTS.values():
            services.create_user(
                session,
                name=account.name,
                role=account.role,
                party=account.party,
                custodian=account.custodian,
                password=PASSWORD,
                actor=SYSTEM,
            )
    return ACCOUNTS


@pytest.fixture
def accounts(engine: Engine) -> dict[str, Account]:
    """One account per role (both back ends), all with ``PASSWORD``."""
    return create_accounts(engine)


@pytest.fixture
def custodian_keys(engine: Engine) -> Path:
    """A custodian key pair in the test's keys directory; returns the private key path."""
    return generate_custodian_key(get_settings().resolved_keys_dir).private_key


@pytest.fixture
def client(engine: Engine) -> Iterator[TestClient]:
    with TestClient(create_app(), base_url="https://testserver") as test_client:
        yield test_client


@pytest.fixture
def make_client(engine: Engine) -> Iterator[Callable[[], TestClient]]:
    """Independent browsers (separate cookie jars) on one app."""
    app = create_app()
    opened: list[TestClient] = []

    def make() -> TestClient:
        test_client = TestClient(app, base_url="https://testserver")
        opened.append(test_client)
        return test_client

    yield make
    for test_client in opened:
        test_client.close()


def sign_in(client: TestClient, name: str, password: str = PASSWORD) -> str:
    """Sign in through the JSON API; returns the session's CSRF token."""
    response = client.post("/api/auth/login", json={"name": name, "password": password})
    assert response.status_code == 200, response.text
    return str(response.json()["csrf_token"])


def token_for(
    engine: Engine, name: str, scopes: list[str] | None = None, ttl_days: int | None = None
) -> str:
    with transaction(engine) as session:
        user = services.require_user(session, name)
        _, secret = issue_token(
            session,
            settings=get_settings(),
            user=user,
            scopes=scopes or sorted(KNOWN_SCOPES),
            ttl_days=ttl_days,
            actor=SYSTEM,
        )
    return secret


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}
