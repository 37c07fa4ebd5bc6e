"""End to end over HTTP, on both back ends: a committee set up, a reporter registered, a
message received through the simulated gateway, parsed and linked into an incident, the
incident resolved locally or escalated, and the reporter informed."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select, update

from truceline.app import create_app
from truceline.community.gateway import SimulatedGateway
from truceline.db.engine import transaction
from truceline.incidents.models import Incident
from unit.accounts.conftest import create_accounts, token_for

PHONE = "+93 70 555 1234"


@pytest.fixture
def client(engine: Engine, custodian: None) -> TestClient:
    create_accounts(engine)
    return TestClient(create_app())


def _bearer(engine: Engine, name: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token_for(engine, name)}"}


def _set_up_committee_and_reporter(client: TestClient, liaison: dict[str, str]) -> str:
    committee = client.post("/api/community/committees", headers=liaison,
                            json={"district_key": "AF:barmal", "name": "Barmal committee"})  # fmt: skip
    assert committee.status_code == 201, committee.text
    code = committee.json()["code"]
    member = client.post(f"/api/community/committees/{code}/members", headers=liaison, json={
        "person": {"name": "Malik Sher Khan", "phone": "+93 77 111 2222", "village": "Margha"},
        "role": "elder", "term_start": "2025-11-01", "term_end": "2026-10-31"})  # fmt: skip
    assert member.status_code == 201 and "Malik" not in member.text
    reporter = client.post("/api/community/reporters", headers=liaison, json={
        "person": {"name": "Nazia", "phone": PHONE, "village": "Margha"},
        "committee": code, "language": "ps"})  # fmt: skip
    assert reporter.status_code == 201 and reporter.json()["pseudonym"].startswith("R-")
    assert PHONE not in reporter.text and "Nazia" not in reporter.text
    return str(code)


@pytest.mark.parametrize("decision", ["resolve", "escalate"])
def test_from_committee_to_reporter_feedback(
    engine: Engine, client: TestClient, decision: str
) -> None:
    liaison = _bearer(engine, "elder-gul")
    code = _set_up_committee_and_reporter(client, liaison)
    gateway = SimulatedGateway(client, token_for(engine, "elder-gul"))

    answer = gateway.send(PHONE, "ځای برمل ډرون ۳ مړه ۲ ټپیان پرون شپه")
    assert answer["status"] == "accepted" and answer["language"] == "ps"
    confirmation = answer["confirmation_code"]
    assert confirmation in gateway.inbox(PHONE)[0]
    resent = gateway.send(PHONE, "ځای برمل ډرون ۳ مړه ۲ ټپیان پرون شپه", message_id="simulated-1")
    assert resent["status"] == "duplicate" and resent["confirmation_code"] == confirmation

    with transaction(engine) as session:
        incident = session.scalars(
            select(Incident).where(Incident.event_type == "air_drone_strike")
        ).one()
        incident_id = incident.id
        if decision == "escalate":  # a resolution closes a case still reported or triaged
            session.execute(update(Incident).where(Incident.id == incident_id)
                            .values(verification_state="under_verification"))  # fmt: skip

    text = (
        "elders of both sides settled it"
        if decision == "resolve"
        else "strike from the air: national level"
    )
    decided = client.post(f"/api/community/incidents/{incident_id}/{decision}", headers=liaison,
                          json={"committee": code, "text": text})  # fmt: skip
    assert decided.status_code == 201, decided.text
    owed = 1 if decision == "resolve" else 2  # resolved locally: never under verification
    assert client.post("/api/community/feedback", headers=liaison).json()["queued"] == owed
    assert gateway.deliver_outbox() == owed
    notices = gateway.inbox(PHONE)[-owed:]
    assert any("د تصدیق لاندې" in n for n in notices) == (decision == "escalate")
    expected = "ولسوالۍ کمېټې" if decision == "resolve" else "ملي کچې"
    assert any(expected in n for n in notices)
    assert all(confirmation in n for n in notices)
    assert client.post("/api/community/feedback", headers=liaison).json()["queued"] == 0

    listed = client.get(f"/api/community/incidents/{incident_id}/decisions", headers=liaison).json()
    assert [d["kind"] for d in listed] == [
        "resolved_locally" if decision == "resolve" else "escalated"
    ]


def test_the_outcome_reaches_the_reporter_and_builds_the_reliability_history(
    engine: Engine, client: TestClient
) -> None:
    liaison = _bearer(engine, "elder-gul")
    _set_up_committee_and_reporter(client, liaison)
    gateway = SimulatedGateway(client, token_for(engine, "elder-gul"))
    gateway.send(PHONE, "P Barmal DRONE 3 KILLED")
    with transaction(engine) as session:
        session.execute(update(Incident).values(verification_state="determined"))
    client.post("/api/community/feedback", headers=liaison)
    gateway.deliver_outbox()
    assert any("تایید شو" in n for n in gateway.inbox(PHONE))
    [reporter] = client.get("/api/community/reporters", headers=liaison).json()
    assert reporter["reliability"]["confirmed"] == 1 and reporter["reliability"]["grade"] == "F"


def test_the_webhook_accepts_a_form_post_and_refuses_the_public(
    engine: Engine, client: TestClient
) -> None:
    liaison = _bearer(engine, "elder-gul")
    _set_up_committee_and_reporter(client, liaison)
    form = {"From": PHONE, "Body": "P Barmal FIRING", "MessageSid": "SM1"}
    assert client.post("/api/community/sms/inbound", data=form).status_code in (401, 403)
    answer = client.post("/api/community/sms/inbound", data=form, headers=liaison)
    assert answer.status_code == 200 and answer.json()["status"] == "accepted"
    reporter = _bearer(engine, "reporter-7")
    assert client.post("/api/community/sms/inbound", data=form, headers=reporter).status_code == 403


def test_a_body_that_is_not_a_gateway_message_gets_a_clear_422(
    engine: Engine, client: TestClient
) -> None:
    liaison = _bearer(engine, "elder-gul")
    response = client.post("/api/community/sms/inbound", json={"text": "x"}, headers=liaison)
    assert response.status_code == 422 and "from" in response.text


def test_the_district_registry_is_public_reference_data(client: TestClient) -> None:
    districts = client.get("/api/community/districts", params={"country": "PK"}).json()
    chaman = next(d for d in districts if d["name"] == "Chaman")
    assert chaman["crossings"] == ["Friendship Gate (Chaman–Spin Boldak)"]
    assert client.get("/api/community/districts/PK:kurram-agency").json()["origin"] == "computed"
    assert client.get("/api/community/districts/XX:none").status_code == 404
    assert client.get("/api/community/committees").status_code in (401, 403)
