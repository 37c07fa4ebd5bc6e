from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
from sqlalchemy import Engine

from support_audit import ORIGIN, append_entries
from truceline.audit.checkpoints import create_checkpoint, full_note, latest_checkpoint
from truceline.audit.keys import PrivateKey, generate_key
from truceline.audit.notes import parse_note, verify_cosignature
from truceline.audit.witness import WitnessError, cosign_latest, default_state_path
from truceline.db.engine import transaction


@pytest.fixture
def witness(tmp_path: Path) -> PrivateKey:
    return generate_key("witness-PK", "witness", path=tmp_path / "witness-pk" / "pk.key")


def checkpoint(engine: Engine, log_key: PrivateKey) -> None:
    with transaction(engine) as session:
        create_checkpoint(session, keys_dir=log_key.path.parent, origin=ORIGIN)


def cosign(engine: Engine, witness: PrivateKey, log_key: PrivateKey) -> dict[str, object]:
    with transaction(engine) as session:
        return cosign_latest(
            session,
            witness,
            state_path=default_state_path(witness.path),
            log_keys=[log_key.public],
            origin=ORIGIN,
        )


def test_witness_cosigns_a_checkpoint_that_extends_the_last_one_it_cosigned(
    engine: Engine, log_key: PrivateKey, witness: PrivateKey
) -> None:
    append_entries(engine, 10)
    checkpoint(engine, log_key)
    first = cosign(engine, witness, log_key)
    append_entries(engine, 25)
    checkpoint(engine, log_key)
    second = cosign(engine, witness, log_key)
    assert first["previous_size"] is None
    assert second["previous_size"] == first["checkpoint_size"]
    with transaction(engine) as session:
        row = latest_checkpoint(session)
        assert row is not None
        note = parse_note(full_note(session, row))
    cosignature = next(sig for sig in note.signatures if sig.name == "witness-PK")
    assert verify_cosignature(note.body, cosignature, witness.public) is not None


def test_witness_refuses_a_checkpoint_inconsistent_with_what_it_remembers(
    engine: Engine, log_key: PrivateKey, witness: PrivateKey
) -> None:
    append_entries(engine, 10)
    checkpoint(engine, log_key)
    cosign(engine, witness, log_key)
    state_path = default_state_path(witness.path)
    state = json.loads(state_path.read_text())
    state["root_hash"] = base64.b64encode(b"\x07" * 32).decode()  # a different history
    state_path.write_text(json.dumps(state))
    append_entries(engine, 5)
    checkpoint(engine, log_key)
    with pytest.raises(WitnessError, match="history was rewritten"):
        cosign(engine, witness, log_key)


def test_witness_refuses_a_log_smaller_than_what_it_cosigned(
    engine: Engine, log_key: PrivateKey, witness: PrivateKey
) -> None:
    append_entries(engine, 10)
    checkpoint(engine, log_key)
    cosign(engine, witness, log_key)
    state_path = default_state_path(witness.path)
    state = json.loads(state_path.read_text())
    state["size"] = 10_000
    state_path.write_text(json.dumps(state))
    checkpoint(engine, log_key)
    with pytest.raises(WitnessError, match="truncated"):
        cosign(engine, witness, log_key)


def test_witness_refuses_a_checkpoint_not_signed_by_the_log_key_it_trusts(
    engine: Engine, log_key: PrivateKey, witness: PrivateKey, tmp_path: Path
) -> None:
    append_entries(engine, 3)
    checkpoint(engine, log_key)
    impostor = generate_key(ORIGIN, "log", directory=tmp_path / "impostor")
    with transaction(engine) as session, pytest.raises(WitnessError, match="trusted log key"):
        cosign_latest(
            session,
            witness,
            state_path=default_state_path(witness.path),
            log_keys=[impostor.public],
            origin=ORIGIN,
        )


def test_a_log_key_cannot_be_used_as_a_witness_key(engine: Engine, log_key: PrivateKey) -> None:
    checkpoint(engine, log_key)
    with pytest.raises(WitnessError, match="needs a witness key"):
        cosign(engine, log_key, log_key)
