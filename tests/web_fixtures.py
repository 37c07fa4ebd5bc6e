"""Fixtures for the tests of pages (every context's and the composite ones): a seeded database with one account per role, and clients.

``client`` is an anonymous browser; ``as_role("mediator")`` (and the ``mediator``
shortcut) gives a browser signed in as that role's real account, so the
application's own authentication and policy decide what it sees.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from support_web import FAST_HASHER, seed_findings, seed_incidents, seed_users, sign_in
from truceline.accounts import services
from truceline.app import create_app
from truceline.db.engine import transaction


@pytest.fixture(autouse=True)
def fast_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(services, "_hasher", FAST_HASHER)


@pytest.fixture
def seeded(engine: Engine) -> Engine:
    """The ``engine`` database (both back ends) with the web test incidents and accounts."""
    with transaction(engine) as session:
        seed_incidents(session)
        seed_findings(session)
        seed_users(session)
    return engine


@pytest.fixture
def as_role(seeded: Engine) -> Iterator[Callable[[str], TestClient]]:
    """Independent browsers (own cookie jars) on one app, each signed in as a role's account."""
    app = create_app()
    opened: list[TestClient] = []

    def make(key: str | None = None) -> TestClient:
        test_client = TestClient(app)
        test_client.__enter__()
        opened.append(test_client)
        if key is not None:
            sign_in(test_client, key)
        return test_client

    yield make
    for test_client in opened:
        test_client.__exit__(None, None, None)


@pytest.fixture
def client(as_role: Callable[[str | None], TestClient]) -> TestClient:
    """An anonymous browser: the public."""
    return as_role(None)


@pytest.fixture
def mediator(as_role: Callable[[str], TestClient]) -> TestClient:
    return as_role("mediator")
