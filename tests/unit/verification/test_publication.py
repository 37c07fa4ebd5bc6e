"""Publication: a mediator releases or withdraws an incident, through the service, the API
and the command line; everyone else, and an undetermined incident, is refused with a reason."""

from __future__ import annotations

import json

import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from truceline.accounts import services as accounts
from truceline.accounts.policy import AccessDenied
from truceline.app import create_app
from truceline.audit.actor import SYSTEM
from truceline.audit.models import AuditEntry
from truceline.cli.main import build_app
from truceline.db.engine import transaction
from truceline.incidents.models import Incident
from truceline.verification.publication import (
    RELEASED_EVENT,
    WITHDRAWN_EVENT,
    PublicationError,
    set_released,
)
from truceline.warning.models import Notification

from .conftest import as_user
from .factories import AF_LIAISON, MEDIATOR, MONITOR, PK_LIAISON, cross_border_fire

USERS = {
    "mona": ("mediator", None),
    "maya": ("field_monitor", None),
    "farid": ("party_liaison", "AF"),
    "sana": ("party_liaison", "PK"),
}


def _seed(session: Session, *, state: str = "determined") -> Incident:
    for name, (role, party) in USERS.items():
        accounts.create_user(
            session, name=name, role=role, party=party, password="x" * 16, actor=SYSTEM
        )
    incident = cross_border_fire(session, code="INC-PUB-1")
    incident.verification_state = state
    session.flush()
    return incident


@pytest.fixture(autouse=True)
def fast_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        accounts, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    )


def _released(engine: Engine, code: str = "INC-PUB-1") -> bool:
    with transaction(engine) as session:
        return bool(session.scalar(select(Incident.released).where(Incident.code == code)))


def test_a_mediator_releases_a_determined_incident_audited_and_both_parties_told(
    engine: Engine,
) -> None:
    with transaction(engine) as session:
        incident = _seed(session)
        outcome = set_released(
            session, incident, principal=MEDIATOR, released=True, reason="Findings agreed."
        )
        assert (outcome.incident, outcome.released, outcome.changed) == ("INC-PUB-1", True, True)
    assert _released(engine)
    with transaction(engine) as session:
        entries = session.scalars(
            select(AuditEntry).where(AuditEntry.action == RELEASED_EVENT)
        ).all()
        assert [(e.actor, e.object_type) for e in entries] == [("mona", "incident")]
        told = session.scalars(select(Notification).where(Notification.event == RELEASED_EVENT))
        recipients = {(n.recipient, n.audience) for n in told}
    assert {("farid", "AF"), ("sana", "PK"), ("mona", "mediator")} <= recipients
    assert "Findings agreed." in _body(engine, RELEASED_EVENT)


def _body(engine: Engine, event: str) -> str:
    with transaction(engine) as session:
        note = session.scalars(select(Notification).where(Notification.event == event)).first()
        assert note is not None
        return note.body


def test_withdrawing_takes_it_back_and_repeating_changes_nothing(engine: Engine) -> None:
    with transaction(engine) as session:
        incident = _seed(session)
        set_released(session, incident, principal=MEDIATOR, released=True)
        again = set_released(session, incident, principal=MEDIATOR, released=True)
        assert again.changed is False
        withdrawn = set_released(session, incident, principal=MEDIATOR, released=False)
        assert (withdrawn.released, withdrawn.changed) == (False, True)
    assert not _released(engine)
    with transaction(engine) as session:
        actions = session.scalars(
            select(AuditEntry.action)
            .where(AuditEntry.action.in_([RELEASED_EVENT, WITHDRAWN_EVENT]))
            .order_by(AuditEntry.seq)
        ).all()
    assert actions == [RELEASED_EVENT, WITHDRAWN_EVENT]


@pytest.mark.parametrize(
    ("principal", "state", "reason"),
    [
        (MEDIATOR, "under_verification", "only a determined incident can be released"),
        (AF_LIAISON, "determined", "a party_liaison may not release incidents"),
        (PK_LIAISON, "determined", "a party_liaison may not release incidents"),
        (MONITOR, "determined", "a field_monitor may not release incidents"),
    ],
)
def test_release_is_refused_with_the_policys_reason(
    engine: Engine, principal: object, state: str, reason: str
) -> None:
    with transaction(engine) as session:
        incident = _seed(session, state=state)
        with pytest.raises(AccessDenied, match=reason):
            set_released(session, incident, principal=principal, released=True)  # type: ignore[arg-type]
    assert not _released(engine)


def test_an_oversized_reason_is_refused_naming_the_field(engine: Engine) -> None:
    with transaction(engine) as session:
        incident = _seed(session)
        with pytest.raises(PublicationError, match="^reason: "):
            set_released(session, incident, principal=MEDIATOR, released=True, reason="x" * 2001)


# --- the command line (fixed interface) ---------------------------------------------

runner = CliRunner()


def _cli(*args: str) -> tuple[int, dict]:  # type: ignore[type-arg]
    result = runner.invoke(build_app(), [*args, "--json"])
    return result.exit_code, json.loads(result.stdout)


def test_cli_releases_and_withdraws(sqlite_engine: Engine) -> None:
    with transaction(sqlite_engine) as session:
        _seed(session)
    assert _cli("incidents", "release", "INC-PUB-1", "--as", "mona") == (
        0,
        {"incident": "INC-PUB-1", "released": True, "changed": True},
    )
    assert _released(sqlite_engine)
    code, out = _cli("incidents", "release", "INC-PUB-1", "--as", "mona", "--withdraw")
    assert (code, out["incident"], out["released"]) == (0, "INC-PUB-1", False)
    assert not _released(sqlite_engine)


@pytest.mark.parametrize(
    ("user", "state", "reason"),
    [
        ("mona", "triaged", "only a determined incident can be released"),
        ("farid", "determined", "a party_liaison may not release incidents"),
        ("maya", "determined", "a field_monitor may not release incidents"),
        ("nobody", "determined", "nobody"),
    ],
)
def test_cli_refusals_exit_1_with_a_reason(
    sqlite_engine: Engine, user: str, state: str, reason: str
) -> None:
    with transaction(sqlite_engine) as session:
        _seed(session, state=state)
    code, out = _cli("incidents", "release", "INC-PUB-1", "--as", user)
    assert code == 1
    assert (out["incident"], out["released"]) == ("INC-PUB-1", False)
    assert reason in out["error"]


# --- the API ------------------------------------------------------------------------


@pytest.fixture
def client(sqlite_engine: Engine) -> TestClient:
    with transaction(sqlite_engine) as session:
        _seed(session)
        still_open = cross_border_fire(session, code="INC-PUB-OPEN")
        still_open.verification_state = "under_verification"
    return TestClient(create_app(), base_url="https://testserver")


def test_api_release_and_withdraw(client: TestClient, sqlite_engine: Engine) -> None:
    headers = as_user(sqlite_engine, "mona")
    response = client.post(
        "/api/incidents/INC-PUB-1/release", json={"reason": "Agreed."}, headers=headers
    )
    assert response.status_code == 200, response.text
    assert response.json() == {"incident": "INC-PUB-1", "released": True, "changed": True}
    response = client.post("/api/incidents/INC-PUB-1/withdraw", headers=headers)
    assert response.json()["released"] is False
    assert not _released(sqlite_engine)


def test_api_refusals_say_why(client: TestClient, sqlite_engine: Engine) -> None:
    mediator = as_user(sqlite_engine, "mona")
    response = client.post("/api/incidents/INC-PUB-OPEN/release", headers=mediator)
    assert response.status_code == 403
    assert "only a determined incident can be released" in response.text
    liaison = as_user(sqlite_engine, "sana")
    response = client.post("/api/incidents/INC-PUB-1/release", headers=liaison)
    assert response.status_code == 403
    assert "may not release" in response.text
    assert client.post("/api/incidents/NO-SUCH/release", headers=mediator).status_code == 404
    response = client.post(
        "/api/incidents/INC-PUB-1/release", json={"reason": "x" * 3000}, headers=mediator
    )
    assert response.status_code == 422
    assert client.post("/api/incidents/INC-PUB-1/release").status_code == 401
    assert not _released(sqlite_engine)
