"""A party's witness cosigning over HTTP, without access to the mechanism's database."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from support_audit import append_entries, forge_signature_line
from truceline.accounts.roles import SYSTEM_ADMIN
from truceline.app import create_app
from truceline.audit.keys import PrivateKey, generate_key, register_witness_key
from truceline.audit.notes import cosign_body, parse_note, verify_cosignature
from truceline.audit.witness import WitnessError, cosign_remote, default_state_path
from truceline.db.engine import transaction
from truceline.http.deps import get_principal

ORIGIN = "truceline.af-pk/audit"


@pytest.fixture
def client(engine: Engine, log_key: PrivateKey) -> TestClient:
    app = create_app()
    app.dependency_overrides[get_principal] = lambda: SYSTEM_ADMIN
    return TestClient(app)


@pytest.fixture
def witness(engine: Engine, tmp_path: Path) -> PrivateKey:
    key = generate_key("witness-PK", "witness", path=tmp_path / "pk-office" / "witness.key")
    with transaction(engine) as session:
        register_witness_key(session, key.public.vkey())
    return key


def remote_cosign(
    client: TestClient, witness: PrivateKey, log_key: PrivateKey
) -> dict[str, object]:
    return cosign_remote(
        client,
        witness,
        state_path=default_state_path(witness.path),
        log_keys=[log_key.public],
        origin=ORIGIN,
    )


def test_a_witness_cosigns_over_http_and_the_log_serves_the_cosignature(
    client: TestClient, engine: Engine, log_key: PrivateKey, witness: PrivateKey
) -> None:
    append_entries(engine, 8)
    client.post("/api/audit/checkpoints")
    first = remote_cosign(client, witness, log_key)
    append_entries(engine, 13)
    client.post("/api/audit/checkpoints")
    second = remote_cosign(client, witness, log_key)
    assert second["previous_size"] == first["checkpoint_size"]
    note = parse_note(client.get("/api/audit/checkpoint").text)
    cosignature = next(sig for sig in note.signatures if sig.name == "witness-PK")
    assert verify_cosignature(note.body, cosignature, witness.public) is not None


def test_the_log_refuses_cosignatures_from_unregistered_or_forged_keys(
    client: TestClient, engine: Engine, log_key: PrivateKey, witness: PrivateKey, tmp_path: Path
) -> None:
    created = client.post("/api/audit/checkpoints").json()
    body = created["note"].split("\n\n", 1)[0] + "\n"
    stranger = generate_key("witness-XX", "witness", path=tmp_path / "stranger.key")
    unregistered = cosign_body(body, stranger.name, stranger.signing_key, 1_800_000_000)
    forged = forge_signature_line(
        cosign_body(body, witness.name, witness.signing_key, 1_800_000_000).line()
    )
    url = f"/api/audit/checkpoints/{created['id']}/cosignatures"
    refused = client.post(url, json={"signature_line": unregistered.line()})
    assert refused.status_code == 422 and "not a registered witness" in refused.json()["detail"]
    refused = client.post(url, json={"signature_line": forged})
    assert refused.status_code == 422 and "does not verify" in refused.json()["detail"]
    missing = client.post(
        "/api/audit/checkpoints/999/cosignatures", json={"signature_line": forged}
    )
    assert missing.status_code == 404


def test_a_witness_cannot_cosign_the_same_checkpoint_twice(
    client: TestClient, engine: Engine, log_key: PrivateKey, witness: PrivateKey
) -> None:
    client.post("/api/audit/checkpoints")
    remote_cosign(client, witness, log_key)
    with pytest.raises(WitnessError, match="already cosigned"):
        remote_cosign(client, witness, log_key)


def test_a_witness_fetches_a_checkpoint_with_its_consistency_proof_in_one_request(
    client: TestClient, engine: Engine, log_key: PrivateKey, witness: PrivateKey
) -> None:
    from truceline.audit.merkle import verify_consistency

    append_entries(engine, 5)
    old = client.post("/api/audit/checkpoints").json()
    remote_cosign(client, witness, log_key)
    append_entries(engine, 9)
    new = client.post("/api/audit/checkpoints").json()
    anonymous = TestClient(create_app())  # a witness needs no account
    fetched = anonymous.get(
        f"/api/audit/checkpoints/{new['id']}/witness", params={"old_size": old["tree_size"]}
    )
    assert fetched.status_code == 200, fetched.text
    body = fetched.json()
    assert (body["tree_size"], body["consistency"]["old_size"]) == (
        new["tree_size"],
        old["tree_size"],
    )
    assert verify_consistency(
        old["tree_size"],
        new["tree_size"],
        bytes.fromhex(old["root_hash"]),
        bytes.fromhex(new["root_hash"]),
        [bytes.fromhex(h) for h in body["consistency"]["proof"]],
    )
    assert body["cosign_at"] == f"/api/audit/checkpoints/{new['id']}/cosignatures"
    earlier = anonymous.get(f"/api/audit/checkpoints/{old['id']}").json()
    assert [c["witness"] for c in earlier["cosignatures"]] == ["witness-PK"]
    too_big = anonymous.get(
        f"/api/audit/checkpoints/{old['id']}/witness", params={"old_size": new["tree_size"]}
    )
    assert too_big.status_code == 422 and "old_size" in too_big.text
    assert anonymous.get("/api/audit/checkpoints/999999/witness").status_code == 404
    assert anonymous.get("/api/audit/entries").status_code == 401
    assert client.get("/api/audit/entries", params={"limit": 3}).json()["items"][0]["seq"] >= 13
