from __future__ import annotations

from datetime import datetime

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from truceline.agreements import services
from truceline.app import create_app
from truceline.audit.actor import SYSTEM
from truceline.db.engine import transaction
from truceline.incidents.models import Incident

from .factories import fact


def test_lists_agreements_and_their_versions(engine: Engine) -> None:
    client = TestClient(create_app())
    agreements = client.get("/api/agreements").json()
    assert {a["id"] for a in agreements} >= {"doha-2025-10-19", "istanbul-2025-10-30"}
    versions = client.get("/api/agreements/doha-2025-10-19/versions").json()
    assert [v["version"] for v in versions] == [1]
    doc = client.get("/api/agreements/doha-2025-10-19", params={"version": 1}).json()
    assert doc["document"]["mediators"] == ["QA", "TR"]
    assert client.get("/api/agreements/nope").status_code == 404


def test_batch_endpoint_judges_facts_and_lists_rejections(engine: Engine) -> None:
    client = TestClient(create_app())
    response = client.post(
        "/api/adjudications", json=[fact(id="a"), fact(id="b", perpetrator="XYZ")]
    )
    assert response.status_code == 200
    body = response.json()
    assert [(f["incident"], f["finding"]) for f in body["findings"]] == [("a", "violation")]
    assert body["rejected"] == [
        {
            "index": 1,
            "incident": "b",
            "field": "perpetrator",
            "reason": body["rejected"][0]["reason"],
        }
    ]


def test_returns_an_incidents_findings_and_their_history(engine: Engine) -> None:
    with transaction(engine) as session:
        incident = Incident(
            code="INC-API",
            occurred_at=datetime.fromisoformat("2025-10-17T21:30:00+05:00"),
            lat=32.93,
            lon=69.17,
            event_type="air_drone_strike",
            perpetrator="PK",
            targets=["civilians"],
            released=True,
        )
        session.add(incident)
        session.flush()
        services.refresh_findings(session, incident.id, actor=SYSTEM)
        incident_id = incident.id
    client = TestClient(create_app())
    current = client.get(f"/api/incidents/{incident_id}/findings").json()
    assert [(f["agreement"], f["finding"], f["violating_party"]) for f in current] == [
        ("truce-extension-2025-10-17", "violation", "PK")
    ]
    history = client.get(f"/api/incidents/{incident_id}/findings", params={"history": True})
    assert len(history.json()) == 1


def test_findings_of_an_unreleased_incident_are_not_shown_to_the_public(engine: Engine) -> None:
    with transaction(engine) as session:
        incident = Incident(
            code="INC-HIDDEN",
            occurred_at=datetime.fromisoformat("2025-10-17T21:30:00+05:00"),
            event_type="air_drone_strike",
            perpetrator="PK",
            targets=["civilians"],
        )
        session.add(incident)
        session.flush()
        incident_id = incident.id
    client = TestClient(create_app())
    assert client.get(f"/api/incidents/{incident_id}/findings").status_code == 404
    assert client.get("/api/incidents/987654/findings").status_code == 404
