"""The verification API: queue, transitions (409 on refusal), team, reply, views, access."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from truceline.accounts import services as accounts
from truceline.audit.log import SYSTEM
from truceline.db.base import utcnow
from truceline.db.engine import transaction
from truceline.web.app import create_app
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
def engine(sqlite_engine: Engine) -> Engine:
    """HTTP behaviour; the back-end contracts are in test_services and test_record."""
    return sqlite_engine


@pytest.fixture
def client(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    monkeypatch.setattr(
        accounts, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    )
    with transaction(engine) as session:
        for name, (role, party) in USERS.items():
            accounts.create_user(
                session, name=name, role=role, party=party, password="x" * 16, actor=SYSTEM
            )
        cross_border_fire(session, code="INC-API-1")
    with TestClient(create_app(), base_url="https://testserver") as test_client:
        yield test_client


def as_user(engine: Engine, name: str) -> dict[str, str]:
    return bearer(token_for(engine, name))


def test_a_refused_transition_is_409_with_state_attempt_and_reason(
    engine: Engine, client: TestClient
) -> None:
    mona = as_user(engine, "mona")
    assert client.post("/api/verification/INC-API-1", json={}, headers=mona).status_code == 200
    refused = client.post(
        "/api/verification/INC-API-1/transitions", json={"name": "propose_findings"}, headers=mona
    )
    assert refused.status_code == 409
    assert refused.json()["detail"] == {
        "error": "transition_refused",
        "state": "reported",
        "attempted": "propose_findings",
        "reason": "allowed from here: refute, triage",
    }


def test_a_party_liaison_is_refused_a_transition_with_the_policys_reason(
    engine: Engine, client: TestClient
) -> None:
    client.post("/api/verification/INC-API-1", json={}, headers=as_user(engine, "mona"))
    response = client.post(
        "/api/verification/INC-API-1/transitions",
        json={"name": "triage"},
        headers=as_user(engine, "sana"),
    )
    assert response.status_code == 403
    assert "party_liaison may not update verifications" in response.text


def test_the_queue_shows_overdue_work_with_its_reason(engine: Engine, client: TestClient) -> None:
    mona = as_user(engine, "mona")
    client.post(
        "/api/verification/INC-API-1",
        json={"alleging_party": "PK", "accused_party": "AF"},
        headers=mona,
    )
    later = (utcnow() + timedelta(hours=80)).isoformat()
    queue = client.get("/api/verification/queue", params={"now": later}, headers=mona).json()
    assert [(i["kind"], i["overdue"], i["reason"]) for i in queue] == [
        ("first_assessment", True, "no_team")
    ]
    nothing = client.get("/api/verification/queue", params={"overdue": True}, headers=mona)
    assert nothing.json() == []
    assert client.get("/api/verification/queue").status_code == 401


def test_team_reply_and_dissent_through_the_api(engine: Engine, client: TestClient) -> None:
    mona = as_user(engine, "mona")
    base = "/api/verification/INC-API-1"
    client.post(base, json={"alleging_party": "PK", "accused_party": "AF"}, headers=mona)
    team = {
        "members": [
            {"name": "af-nominee", "nominated_by": "AF"},
            {"name": "pk-nominee", "nominated_by": "PK"},
            {"name": "maya"},
        ]
    }
    assert client.put(f"{base}/team", json=team, headers=mona).status_code == 200
    one_sided = {"members": [{"name": "af-nominee", "nominated_by": "AF"}, {"name": "maya"}]}
    bad = client.put(f"{base}/team", json=one_sided, headers=mona)
    assert bad.status_code == 422 and "no member nominated by PK" in bad.text
    client.post(f"{base}/reply-window", json={}, headers=mona)
    reply = client.post(
        f"{base}/replies", json={"text": "We deny it."}, headers=as_user(engine, "farid")
    )
    assert reply.json()["replies"][0]["party"] == "AF"
    view = client.post(
        f"{base}/views",
        json={"position": "dissents", "text": "The fragments are not ours."},
        headers=as_user(engine, "af-nominee"),
    )
    assert view.json()["dissent"] == ["af-nominee"]
    shown = client.get(base, headers=as_user(engine, "sana")).json()
    assert shown["team"][2] == {**shown["team"][2], "name": "maya", "role": "field_monitor"}


def test_a_deadline_in_the_past_is_422_naming_the_field(engine: Engine, client: TestClient) -> None:
    mona = as_user(engine, "mona")
    client.post("/api/verification/INC-API-1", json={}, headers=mona)
    past = (utcnow() - timedelta(hours=2)).isoformat()
    response = client.post(
        "/api/verification/INC-API-1/tasks",
        json={"kind": "site_visit", "due_at": past},
        headers=mona,
    )
    assert response.status_code == 422 and "due_at" in response.json()["detail"]


def test_the_openapi_schema_documents_the_refusal(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    route = spec["paths"]["/api/verification/{incident_ref}/transitions"]["post"]
    assert "409" in route["responses"]
    assert "RefusalOut" in spec["components"]["schemas"]
