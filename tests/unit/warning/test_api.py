"""The warning routes: own notifications only, marking read, clocks and escalation by role."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from truceline.accounts import services as accounts
from truceline.accounts.credentials import issue_token
from truceline.accounts.policy import KNOWN_SCOPES
from truceline.app import create_app
from truceline.audit.actor import SYSTEM, Actor
from truceline.config import get_settings
from truceline.db.engine import transaction
from truceline.warning.services import on_report_stored

from .conftest import add_report


@pytest.fixture
def engine(sqlite_engine: Engine) -> Engine:
    """HTTP behaviour; the back-end contracts are in test_services."""
    return sqlite_engine


@pytest.fixture
def client(engine: Engine) -> Iterator[TestClient]:
    with TestClient(create_app(), base_url="https://testserver") as test_client:
        yield test_client


@pytest.fixture
def alleged(engine: Engine, users: dict[str, object]) -> str:
    with transaction(engine) as session:
        report = add_report(session)
        on_report_stored(session, report, Actor("sana", "party_liaison", "PK"))
        return report.code


def bearer(engine: Engine, name: str) -> dict[str, str]:
    with transaction(engine) as session:
        user = accounts.require_user(session, name)
        _, secret = issue_token(
            session, settings=get_settings(), user=user, scopes=sorted(KNOWN_SCOPES), actor=SYSTEM
        )
    return {"Authorization": f"Bearer {secret}"}


def test_each_user_sees_only_their_own_notifications(
    client: TestClient, engine: Engine, alleged: str
) -> None:
    farid = client.get("/api/notifications", headers=bearer(engine, "farid")).json()
    sana = client.get("/api/notifications", headers=bearer(engine, "sana")).json()
    assert [n["object_id"] for n in farid] == [alleged]
    assert sana == []


def test_the_public_cannot_list_notifications(client: TestClient, alleged: str) -> None:
    assert client.get("/api/notifications").status_code == 401


def test_marking_read_is_for_the_recipient_only(
    client: TestClient, engine: Engine, alleged: str
) -> None:
    farid = bearer(engine, "farid")
    (note,) = client.get("/api/notifications", headers=farid).json()
    refused = client.post(f"/api/notifications/{note['id']}/read", headers=bearer(engine, "mona"))
    assert refused.status_code == 403
    assert "addressed to" in refused.text
    marked = client.post(f"/api/notifications/{note['id']}/read", headers=farid)
    assert marked.status_code == 200 and marked.json()["read_at"] is not None
    unread = client.get("/api/notifications?unread=true", headers=farid).json()
    assert unread == []


def test_clocks_are_shared_with_both_parties_and_refused_to_the_public(
    client: TestClient, engine: Engine, alleged: str
) -> None:
    clocks = client.get(
        "/api/warning/clocks?include_ended=true", headers=bearer(engine, "farid")
    ).json()
    assert clocks[0]["report"] == alleged and clocks[0]["hours"] == 72
    assert client.get("/api/warning/clocks").status_code == 401


def test_escalation_explains_itself_and_refuses_a_naive_time(
    client: TestClient, engine: Engine, users: dict[str, object]
) -> None:
    headers = bearer(engine, "mona")
    body = client.get("/api/warning/escalation", headers=headers).json()
    assert body["fit"] is None and "say nothing yet about escalation" in body["explanation"]
    assert body["prior"]["cross_mode"] == 0.2
    naive = client.get("/api/warning/escalation?since=2025-10-01T00:00:00", headers=headers)
    assert naive.status_code == 422 and "time zone" in naive.text


def test_mediators_configure_channels_and_parties_may_not(
    client: TestClient, engine: Engine, users: dict[str, object]
) -> None:
    hook = {
        "channel": "webhook",
        "target": "https://liaison.example/hooks",
        "audience": "PK",
        "secret": "s" * 24,
    }
    refused = client.post("/api/warning/subscriptions", json=hook, headers=bearer(engine, "sana"))
    assert refused.status_code == 403
    mona = bearer(engine, "mona")
    created = client.post("/api/warning/subscriptions", json=hook, headers=mona)
    assert created.status_code == 201 and "secret" not in created.json()
    bad = client.post("/api/warning/subscriptions", json={**hook, "secret": "x"}, headers=mona)
    assert bad.status_code == 422 and "at least 16" in bad.text
    listed = client.get("/api/warning/subscriptions", headers=mona).json()
    assert [s["target"] for s in listed] == ["https://liaison.example/hooks"]
