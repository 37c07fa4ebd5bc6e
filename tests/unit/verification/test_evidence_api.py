"""Evidence over HTTP: upload with metadata, restricted originals, redaction, no deletion."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import Engine

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
