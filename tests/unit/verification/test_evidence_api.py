"""Evidence over HTTP: upload with metadata, restricted originals, redaction, no deletion."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from truceline.accounts import services as accounts
from truceline.audit.actor import SYSTEM
from truceline.db.engine import transaction
from truceline.verification.models import EvidenceItem

from .conftest import as_user

STATEMENT = b"Gul Khan saw the shells land at 23:40.\n"
META = {
    "obtained_by": "maya (field monitor)",
    "obtained_at": "2025-10-23T08:00:00+05:00",
    "how_obtained": "Interview in Kurram, written down and signed",
}


def _upload(sqlite_engine: Engine, api_client: TestClient) -> dict:  # type: ignore[type-arg]
    mona = as_user(sqlite_engine, "mona")
    api_client.post("/api/verification/INC-API-1", json={}, headers=mona)
    response = api_client.post(
        "/api/verification/INC-API-1/evidence",
        data=META,
        files={"file": ("statement.txt", STATEMENT, "text/plain")},
        headers=as_user(sqlite_engine, "maya"),
    )
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


def test_uploaded_evidence_carries_metadata_and_custody(
    sqlite_engine: Engine, api_client: TestClient
) -> None:
    item = _upload(sqlite_engine, api_client)
    assert (item["media_type"], item["kind"], item["obtained_by"]) == (
        "text/plain",
        "original",
        "maya (field monitor)",
    )
    assert [c["action"] for c in item["custody"]] == ["received"]


def test_an_original_is_restricted_and_its_redaction_is_shared(
    sqlite_engine: Engine, api_client: TestClient
) -> None:
    item = _upload(sqlite_engine, api_client)
    sana = as_user(sqlite_engine, "sana")
    refused = api_client.get(f"/api/verification/evidence/{item['id']}/content", headers=sana)
    assert refused.status_code == 403 and "restricted to the mechanism" in refused.text
    derived = api_client.post(
        f"/api/verification/evidence/{item['id']}/redactions",
        data={"note": "witness name", "term": ["Gul Khan"]},
        headers=as_user(sqlite_engine, "mona"),
    ).json()
    content = api_client.get(f"/api/verification/evidence/{derived['id']}/content", headers=sana)
    assert content.content == b"[redacted] saw the shells land at 23:40.\n"
    shown = api_client.get("/api/verification/INC-API-1", headers=sana).json()
    assert [e["kind"] for e in shown["evidence"]] == ["redacted"]


def test_a_disallowed_type_is_422_naming_the_file(
    sqlite_engine: Engine, api_client: TestClient
) -> None:
    api_client.post("/api/verification/INC-API-1", json={}, headers=as_user(sqlite_engine, "mona"))
    response = api_client.post(
        "/api/verification/INC-API-1/evidence",
        data=META,
        files={"file": ("tool.exe", b"MZ" + b"\x00" * 40, "image/png")},
        headers=as_user(sqlite_engine, "maya"),
    )
    assert response.status_code == 422
    assert "tool.exe: content is application/x-msdownload" in response.json()["detail"]


def test_no_route_deletes_or_replaces_evidence(api_client: TestClient) -> None:
    spec = api_client.get("/openapi.json").json()
    for path, methods in spec["paths"].items():
        if path.startswith("/api/verification"):
            assert not {"delete", "put"} & set(methods) or path.endswith("/team"), path


def _with_team_and_pk_original(engine: Engine, client: TestClient) -> dict:  # type: ignore[type-arg]
    """INC-API-1 under verification by af-nominee, pk-nominee and maya; PK filed an original."""
    with transaction(engine) as session:
        for name, role in (("outsider", "team_member"), ("mehmet", "field_monitor")):
            accounts.create_user(session, name=name, role=role, password="x" * 16, actor=SYSTEM)
    mona = as_user(engine, "mona")
    base = "/api/verification/INC-API-1"
    client.post(base, json={"alleging_party": "AF", "accused_party": "PK"}, headers=mona)
    client.post(f"{base}/transitions", json={"name": "triage"}, headers=mona)
    team = {"members": [{"name": "af-nominee", "nominated_by": "AF"},
                        {"name": "pk-nominee", "nominated_by": "PK"}, {"name": "maya"}]}  # fmt: skip
    assert client.put(f"{base}/team", json=team, headers=mona).status_code == 200
    uploaded = client.post(
        f"{base}/evidence",
        data={**META, "submitted_party": "PK"},
        files={"file": ("statement.txt", STATEMENT, "text/plain")},
        headers=as_user(engine, "sana"),
    )
    assert uploaded.status_code == 200, uploaded.text
    return uploaded.json()  # type: ignore[no-any-return]


def test_a_team_member_off_the_case_cannot_read_the_other_partys_undisclosed_original(
    sqlite_engine: Engine, api_client: TestClient
) -> None:
    item = _with_team_and_pk_original(sqlite_engine, api_client)
    outsider = as_user(sqlite_engine, "outsider")
    for path in (
        f"/api/verification/evidence/{item['id']}",
        f"/api/verification/evidence/{item['id']}/content",
    ):
        refused = api_client.get(path, headers=outsider)
        assert refused.status_code == 403 and "joint team of its own case" in refused.text
    listed = api_client.get("/api/verification/INC-API-1", headers=outsider).json()
    assert listed["evidence"] == []
    on_team = api_client.get(
        f"/api/verification/evidence/{item['id']}/content",
        headers=as_user(sqlite_engine, "af-nominee"),
    )
    assert on_team.status_code == 200 and on_team.content == STATEMENT


def test_the_neutral_monitor_on_the_cases_team_reads_its_evidence(
    sqlite_engine: Engine, api_client: TestClient
) -> None:
    item = _with_team_and_pk_original(sqlite_engine, api_client)
    maya = as_user(sqlite_engine, "maya")
    content = api_client.get(f"/api/verification/evidence/{item['id']}/content", headers=maya)
    assert content.status_code == 200 and content.content == STATEMENT
    shown = api_client.get("/api/verification/INC-API-1", headers=maya).json()
    assert [e["id"] for e in shown["evidence"]] == [item["id"]]
    other_monitor = as_user(sqlite_engine, "mehmet")
    refused = api_client.get(
        f"/api/verification/evidence/{item['id']}/content", headers=other_monitor
    )
    assert refused.status_code == 403


def test_a_field_monitor_cannot_complete_another_teams_task(
    sqlite_engine: Engine, api_client: TestClient
) -> None:
    _with_team_and_pk_original(sqlite_engine, api_client)
    maya = as_user(sqlite_engine, "maya")
    task_id = api_client.get("/api/verification/INC-API-1", headers=maya).json()["tasks"][0]["id"]
    done = f"/api/verification/tasks/{task_id}/complete"
    refused = api_client.post(
        done, json={"outcome": "Seen it."}, headers=as_user(sqlite_engine, "mehmet")
    )
    assert refused.status_code == 403 and "not on this case's joint team" in refused.text
    tasks = api_client.get("/api/verification/INC-API-1", headers=maya).json()["tasks"]
    assert tasks[0]["done_at"] is None
    assert api_client.post(done, json={"outcome": "Seen it."}, headers=maya).status_code == 200


def test_the_public_reads_a_released_redaction_and_is_refused_the_original(
    sqlite_engine: Engine, api_client: TestClient
) -> None:
    """Reading declares the widest kind (a released redaction is public); the item's own
    rule then answers for an original with its reason."""
    item = _upload(sqlite_engine, api_client)
    derived = api_client.post(
        f"/api/verification/evidence/{item['id']}/redactions",
        data={"note": "witness name", "term": ["Gul Khan"]},
        headers=as_user(sqlite_engine, "mona"),
    ).json()
    shut = api_client.get(f"/api/verification/evidence/{derived['id']}/content")
    assert shut.status_code == 401 and "not released to the public" in shut.text
    with transaction(sqlite_engine) as session:
        stored = session.get(EvidenceItem, derived["id"])
        assert stored is not None
        stored.released = True
    content = api_client.get(f"/api/verification/evidence/{derived['id']}/content")
    assert content.status_code == 200
    assert content.content == b"[redacted] saw the shells land at 23:40.\n"
    original = api_client.get(f"/api/verification/evidence/{item['id']}")
    assert original.status_code == 401 and "restricted to the mechanism" in original.text
