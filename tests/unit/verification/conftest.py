"""Fixtures for the verification HTTP tests: accounts for every part of a case, a client."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from truceline.accounts import services as accounts
from truceline.app import create_app
from truceline.audit.actor import SYSTEM
from truceline.db.engine import transaction
from unit.accounts.conftest import bearer, token_for

from .factories import cross_border_fire

USERS = {
    "mona": ("mediator", None),
    "maya": ("field_monitor", None),
    "farid": ("party_liaison", "AF"),
    "sana": ("party_liaison", "PK"),
    "af-nominee": ("team_member", None),
    "pk-nominee": ("team_member", None),
}


@pytest.fixture
def api_client(sqlite_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    """A client on SQLite (HTTP behaviour; back-end contracts are tested on both elsewhere)."""
    monkeypatch.setattr(
        accounts, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    )
    with transaction(sqlite_engine) as session:
        for name, (role, party) in USERS.items():
            accounts.create_user(
                session, name=name, role=role, party=party, password="x" * 16, actor=SYSTEM
            )
        cross_border_fire(session, code="INC-API-1")
    with TestClient(create_app(), base_url="https://testserver") as test_client:
        yield test_client


def as_user(engine: Engine, name: str) -> dict[str, str]:
    """Bearer headers for a token of ``name`` with every scope."""
    return bearer(token_for(engine, name))
