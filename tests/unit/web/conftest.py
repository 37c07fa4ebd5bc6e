"""Fixtures for the web tests: a seeded database and clients acting as each role."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from support_web import app_with_test_principals, seed_incidents
from truceline.db.engine import transaction


@pytest.fixture
def seeded(engine: Engine) -> Engine:
    """The ``engine`` database (both back ends) with the web test incidents."""
    with transaction(engine) as session:
        seed_incidents(session)
    return engine


@pytest.fixture
def client(seeded: Engine) -> Iterator[TestClient]:
    with TestClient(app_with_test_principals()) as test_client:
        yield test_client
