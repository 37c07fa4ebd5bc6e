from __future__ import annotations

import json

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from support_audit import append_entries, current_size
from truceline.accounts.roles import SYSTEM_ADMIN
from truceline.app import create_app
from truceline.audit.keys import KeyFileError, PrivateKey
from truceline.audit.merkle import verify_consistency, verify_inclusion
from truceline.audit.notes import parse_public_keys
from truceline.http.deps import get_principal


@pytest.fixture
def app(engine: Engine) -> FastAPI:
    return create_app()


def test_keys_are_published_with_their_validity(app: FastAPI, log_key: PrivateKey) -> None:
    with TestClient(app) as client:
        document = client.get("/api/audit/keys").json()
    assert document["origin"] == "truceline.af-pk/audit"
    assert [key["vkey"] for key in document["keys"]] == [log_key.public.vkey()]
    assert parse_public_keys(json.dumps(document)) == [log_key.public]


def test_only_an_administrator_or_mediator_signs_on_demand(
    app: FastAPI, engine: Engine, log_key: PrivateKey
) -> None:
    append_entries(engine, 5)
    size = current_size(engine)
    with TestClient(app) as client:
        assert client.post("/api/audit/checkpoints").status_code == 401  # sign in first
        app.dependency_overrides[get_principal] = lambda: SYSTEM_ADMIN
        created = client.post("/api/audit/checkpoints")
        assert created.status_code == 201 and created.json()["tree_size"] == size
        note = client.get("/api/audit/checkpoint")
    assert note.headers["content-type"].startswith("text/plain")
    assert note.text.startswith(f"truceline.af-pk/audit\n{size}\n")


def test_proofs_served_over_http_verify(app: FastAPI, engine: Engine, log_key: PrivateKey) -> None:
    app.dependency_overrides[get_principal] = lambda: SYSTEM_ADMIN
    with TestClient(app) as client:
        append_entries(engine, 6)
        old = client.post("/api/audit/checkpoints").json()
        append_entries(engine, 11)
        new = client.post("/api/audit/checkpoints").json()
        inclusion = client.get("/api/audit/proofs/inclusion", params={"seq": 3}).json()
        consistency = client.get(
            "/api/audit/proofs/consistency", params={"old_size": old["tree_size"]}
        ).json()
        missing = client.get("/api/audit/proofs/inclusion", params={"seq": 999})
        listed = client.get("/api/audit/checkpoints").json()
    assert verify_inclusion(
        bytes.fromhex(inclusion["leaf_hash"]),
        3,
        new["tree_size"],
        [bytes.fromhex(h) for h in inclusion["proof"]],
        bytes.fromhex(new["root_hash"]),
    )
    assert verify_consistency(
        old["tree_size"],
        new["tree_size"],
        bytes.fromhex(old["root_hash"]),
        bytes.fromhex(new["root_hash"]),
        [bytes.fromhex(h) for h in consistency["proof"]],
    )
    assert missing.status_code == 404 and "seq 999" in missing.json()["detail"]
    assert [item["tree_size"] for item in listed] == [old["tree_size"], new["tree_size"]]


def test_latest_checkpoint_is_404_before_the_first_is_signed(app: FastAPI) -> None:
    with TestClient(app) as client:
        assert client.get("/api/audit/checkpoints/latest").status_code == 404


def test_start_up_refuses_a_private_key_readable_by_others(
    app: FastAPI, log_key: PrivateKey
) -> None:
    log_key.path.chmod(0o604)
    with pytest.raises(KeyFileError, match="mode 0604"), TestClient(app):
        pass
