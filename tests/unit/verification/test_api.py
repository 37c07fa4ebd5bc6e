"""The verification API: queue, transitions (409 on refusal), team, reply, views, access."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from truceline.db.base import utcnow

from .conftest import as_user


def test_a_refused_transition_is_409_with_state_attempt_and_reason(
    sqlite_engine: Engine, api_client: TestClient
) -> None:
    mona = as_user(sqlite_engine, "mona")
    assert api_client.post("/api/verification/INC-API-1", json={}, headers=mona).status_code == 200
    refused = api_client.post(
        "/api/verification/INC-API-1/transitions", json={"name": "propose_findings"}, headers=mona
    )
    assert refused.status_code == 409
    assert refused.json()["detail"] == {
        "error": "transition_refused",
        "state": "reported",
        "attempted": "propose_findings",
        "reason": "allowed from here: refute, resolve_locally, triage",
    }


def test_a_party_liaison_is_refused_a_transition_with_the_policys_reason(
    sqlite_engine: Engine, api_client: TestClient
) -> None:
    api_client.post("/api/verification/INC-API-1", json={}, headers=as_user(sqlite_engine, "mona"))
    response = api_client.post(
        "/api/verification/INC-API-1/transitions",
        json={"name": "triage"},
        headers=as_user(sqlite_engine, "sana"),
    )
    assert response.status_code == 403
    assert "party_liaison may not update verifications" in response.text


def test_the_queue_shows_overdue_work_with_its_reason(
    sqlite_engine: Engine, api_client: TestClient
) -> None:
    mona = as_user(sqlite_engine, "mona")
    api_client.post(
        "/api/verification/INC-API-1",
        json={"alleging_party": "PK", "accused_party": "AF"},
        headers=mona,
    )
    later = (utcnow() + timedelta(hours=80)).isoformat()
    queue = api_client.get("/api/verification/queue", params={"now": later}, headers=mona).json()
    assert [(i["kind"], i["overdue"], i["reason"]) for i in queue] == [
        ("first_assessment", True, "no_team")
    ]
    nothing = api_client.get("/api/verification/queue", params={"overdue": True}, headers=mona)
    assert nothing.json() == []
    assert api_client.get("/api/verification/queue").status_code == 401


def test_team_reply_and_dissent_through_the_api(
    sqlite_engine: Engine, api_client: TestClient
) -> None:
    mona = as_user(sqlite_engine, "mona")
    base = "/api/verification/INC-API-1"
    api_client.post(base, json={"alleging_party": "PK", "accused_party": "AF"}, headers=mona)
    team = {
        "members": [
            {"name": "af-nominee", "nominated_by": "AF"},
            {"name": "pk-nominee", "nominated_by": "PK"},
            {"name": "maya"},
        ]
    }
    assert api_client.put(f"{base}/team", json=team, headers=mona).status_code == 200
    one_sided = {"members": [{"name": "af-nominee", "nominated_by": "AF"}, {"name": "maya"}]}
    bad = api_client.put(f"{base}/team", json=one_sided, headers=mona)
    assert bad.status_code == 422 and "no member nominated by PK" in bad.text
    for step in ("triage", "start_verification", "propose_findings"):
        moved = api_client.post(f"{base}/transitions", json={"name": step}, headers=mona)
        assert moved.status_code == 200, moved.text
    api_client.post(f"{base}/reply-window", json={}, headers=mona)
    reply = api_client.post(
        f"{base}/replies", json={"text": "We deny it."}, headers=as_user(sqlite_engine, "farid")
    )
    assert reply.json()["replies"][0]["party"] == "AF"
    view = api_client.post(
        f"{base}/views",
        json={"position": "dissents", "text": "The fragments are not ours."},
        headers=as_user(sqlite_engine, "af-nominee"),
    )
    assert view.json()["dissent"] == ["af-nominee"]
    shown = api_client.get(base, headers=as_user(sqlite_engine, "sana")).json()
    assert shown["team"][2] == {**shown["team"][2], "name": "maya", "role": "field_monitor"}


def test_a_determination_through_the_api_returns_its_findings_or_422_naming_the_field(
    sqlite_engine: Engine, api_client: TestClient
) -> None:
    mona = as_user(sqlite_engine, "mona")
    base = "/api/verification/INC-API-1"
    api_client.post(base, json={"alleging_party": "AF", "accused_party": "PK"}, headers=mona)
    api_client.post(f"{base}/transitions", json={"name": "triage"}, headers=mona)
    team = {"members": [{"name": "af-nominee", "nominated_by": "AF"},
                        {"name": "pk-nominee", "nominated_by": "PK"}, {"name": "maya"}]}  # fmt: skip
    api_client.put(f"{base}/team", json=team, headers=mona)
    api_client.post(f"{base}/transitions", json={"name": "start_verification"}, headers=mona)
    api_client.post(f"{base}/views", json={"position": "concurs", "text": "Craters face east."},
                    headers=as_user(sqlite_engine, "af-nominee"))  # fmt: skip
    api_client.post(f"{base}/transitions", json={"name": "propose_findings"}, headers=mona)
    api_client.post(f"{base}/reply-window", json={}, headers=mona)
    api_client.post(f"{base}/replies", json={"text": "Our posts answered fire."},
                    headers=as_user(sqlite_engine, "sana"))  # fmt: skip
    facts = {"perpetrator": "PK", "confidence": "high", "targets": ["security_forces"],
             "summary": "Mortar fire from the Pakistani side."}  # fmt: skip
    unknown = api_client.post(
        f"{base}/determination", json={**facts, "perpetrator": "Martians"}, headers=mona
    )
    assert unknown.status_code == 422 and "perpetrator" in unknown.json()["detail"]
    determined = api_client.post(f"{base}/determination", json=facts, headers=mona)
    assert determined.status_code == 200, determined.text
    record = determined.json()
    assert record["state"] == "determined"
    assert record["determination"]["findings"], "the determination keeps its findings"


def test_a_deadline_in_the_past_is_422_naming_the_field(
    sqlite_engine: Engine, api_client: TestClient
) -> None:
    mona = as_user(sqlite_engine, "mona")
    api_client.post("/api/verification/INC-API-1", json={}, headers=mona)
    past = (utcnow() - timedelta(hours=2)).isoformat()
    response = api_client.post(
        "/api/verification/INC-API-1/tasks",
        json={"kind": "site_visit", "due_at": past},
        headers=mona,
    )
    assert response.status_code == 422 and "due_at" in response.json()["detail"]


def test_the_openapi_schema_documents_the_refusal(api_client: TestClient) -> None:
    spec = api_client.get("/openapi.json").json()
    route = spec["paths"]["/api/verification/{incident_ref}/transitions"]["post"]
    assert "409" in route["responses"]
    assert "RefusalOut" in spec["components"]["schemas"]


def test_a_team_member_cannot_open_the_right_of_reply_on_a_case_without_a_team(
    sqlite_engine: Engine, api_client: TestClient
) -> None:
    base = "/api/verification/INC-API-1"
    api_client.post(base, json={"accused_party": "PK"}, headers=as_user(sqlite_engine, "mona"))
    nominee = as_user(sqlite_engine, "af-nominee")
    refused = api_client.post(f"{base}/reply-window", json={}, headers=nominee)
    assert refused.status_code == 403 and "that is for mediator" in refused.text
    shown = api_client.get(base, headers=nominee).json()
    assert shown["reply_due"] is None and "reply_window" not in shown["available_actions"]


def test_the_actions_route_answers_every_step_with_the_policys_reason(
    sqlite_engine: Engine, api_client: TestClient
) -> None:
    base = "/api/verification/INC-API-1"
    mona = as_user(sqlite_engine, "mona")
    before = api_client.get(f"{base}/actions", headers=mona).json()
    # a mediator may also speak for a local committee (escalate, resolve locally)
    assert [a["step"] for a in before if a["allowed"]] == ["open", "escalate", "resolve_locally"]
    api_client.post(base, json={"accused_party": "PK"}, headers=mona)
    answers = {a["step"]: a for a in api_client.get(f"{base}/actions", headers=mona).json()}
    assert answers["triage"]["allowed"] and not answers["reply_window"]["allowed"]
    assert "in state reported" in answers["reply_window"]["reason"]
    sana = {
        a["step"]: a
        for a in api_client.get(f"{base}/actions", headers=as_user(sqlite_engine, "sana")).json()
    }
    assert not any(a["allowed"] for a in sana.values())
    assert api_client.get(f"{base}/actions").status_code == 401


def test_a_role_that_may_never_work_a_case_is_refused_before_the_incident_is_looked_up(
    sqlite_engine: Engine, api_client: TestClient
) -> None:
    """The route declares ``update`` on a case in its signature: a party liaison is refused
    with the policy's reason, not told whether an incident exists."""
    sana = as_user(sqlite_engine, "sana")
    for ref in ("INC-API-1", "INC-NO-SUCH"):
        response = api_client.post(
            f"/api/verification/{ref}/transitions", json={"name": "triage"}, headers=sana
        )
        assert response.status_code == 403, ref
        assert "party_liaison may not update verifications" in response.text
    unknown = api_client.post(
        "/api/verification/INC-NO-SUCH/transitions",
        json={"name": "triage"},
        headers=as_user(sqlite_engine, "mona"),
    )
    assert unknown.status_code == 404


def test_the_determination_declares_both_permissions_it_needs(
    sqlite_engine: Engine, api_client: TestClient
) -> None:
    """Updating the case and drafting findings: a field monitor works cases but drafts no
    findings, and is refused with that reason before the case is read."""
    response = api_client.post(
        "/api/verification/INC-NO-SUCH/determination",
        json={"perpetrator": "AF", "confidence": "low", "summary": "as found"},
        headers=as_user(sqlite_engine, "maya"),
    )
    assert response.status_code == 403
    assert "a field_monitor may not create findings" in response.text
