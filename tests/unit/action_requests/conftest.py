"""Accounts of every role and signed-in clients, for the API, page and CLI tests."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from truceline.app import create_app
from unit.accounts.conftest import (  # noqa: F401 (fixtures)
    Account,
    accounts,
    fast_password_hashing,
    sign_in,
)


@pytest.fixture
def browser(engine: Engine, accounts: dict[str, Account]) -> Callable[[str], TestClient]:  # noqa: F811
    """A web client signed in as the named user, sending its CSRF token on writes."""
    app = create_app()

    def signed_in(name: str) -> TestClient:
        client = TestClient(app, base_url="https://testserver")
        client.headers["X-CSRF-Token"] = sign_in(client, name)
        return client

    return signed_in
