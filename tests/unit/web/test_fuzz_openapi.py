"""Property-based fuzzing of every operation in ``/openapi.json`` (schemathesis).

Each run builds requests from the document itself (valid and invalid ids,
numbers past 64 bits, odd Unicode in paths, malformed bodies), sends them to the
real application on a seeded database of each back end, as the public, as a
mediator's API token and as a party liaison's browser session, and fails on:

- any server error (5xx);
- a status code the document does not declare for the operation;
- a response whose content type or body does not match what is declared.

The run is bounded and reproducible (``derandomize``) so it fits in ``make test``;
raise ``TRUCELINE_FUZZ_EXAMPLES`` to search harder locally.
"""

from __future__ import annotations

import contextlib
import os
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from sqlalchemy import Engine, select

from support_web import USERS
from truceline.accounts import credentials
from truceline.accounts.middleware import SESSION_COOKIE
from truceline.accounts.models import User
from truceline.accounts.policy import KNOWN_SCOPES
from truceline.app import create_app
from truceline.audit.actor import SYSTEM
from truceline.db.engine import transaction

EXAMPLES = int(os.environ.get("TRUCELINE_FUZZ_EXAMPLES", "2"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]

pytestmark = [pytest.mark.xdist_group("fuzz_openapi"), pytest.mark.slow]


@pytest.fixture
def fuzz_app(seeded: Engine, monkeypatch: pytest.MonkeyPatch) -> FastAPI:
    """The application on the seeded database; rate limits high enough not to hide routes."""
    from truceline.config import get_settings

    monkeypatch.setenv("TRUCELINE_LOGIN_RATE_PER_MINUTE", "100000")
    monkeypatch.setenv("TRUCELINE_INTAKE_RATE_PER_MINUTE", "100000")
    get_settings.cache_clear()
    return create_app()


@pytest.fixture
def callers(seeded: Engine) -> dict[str, dict[str, str]]:
    """Request headers of each caller, with real credentials made by the accounts services."""
    from truceline.config import get_settings

    with transaction(seeded) as session:
        mediator = session.scalars(select(User).where(User.name == USERS["mediator"][0])).one()
        _, secret = credentials.issue_token(
            session,
            settings=get_settings(),
            user=mediator,
            scopes=sorted(KNOWN_SCOPES),
            actor=SYSTEM,
        )
        liaison = session.scalars(select(User).where(User.name == USERS["liaison_af"][0])).one()
        row, cookie = credentials.start_session(session, liaison, settings=get_settings())
        return {
            "public": {},
            "mediator_token": {"Authorization": f"Bearer {secret}"},
            "liaison_session": {
                "Cookie": f"{SESSION_COOKIE}={cookie}",
                "X-CSRF-Token": row.csrf_token,
            },
        }


def test_no_operation_answers_a_server_error_or_an_undeclared_response(
    fuzz_app: FastAPI, callers: dict[str, dict[str, str]]
) -> None:
    schema = schemathesis.openapi.from_asgi("/openapi.json", fuzz_app)
    failures: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()
        try:
            fuzz_operation(operation, callers)
        except Exception as exc:  # one line per failing operation, then the whole list
            failures.append(f"{operation.label}: {exc}")
    assert not failures, "\n\n".join(failures)


def fuzz_operation(operation: Any, callers: dict[str, dict[str, str]]) -> None:
    """Valid and invalid requests for one operation, each sent as every caller."""
    strategies = [operation.as_strategy(GenerationMode.POSITIVE)]
    with contextlib.suppress(Exception):  # no negative form (e.g. no parameters at all)
        strategies.append(operation.as_strategy(GenerationMode.NEGATIVE))

    @given(case=st.one_of(strategies))
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def run(case: Any) -> None:
        for headers in callers.values():
            case.call_and_validate(headers=headers, checks=CHECKS)

    run()
