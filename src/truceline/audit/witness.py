"""Witness cosigning: a party (AF, PK) or the mediator vouches for a checkpoint.

A witness keeps its own Ed25519 key and a small state file with the last
checkpoint it cosigned. Before cosigning a newer checkpoint it checks that the
log signed it and that the log's consistency proof links the root *it
remembers* to the new root: the old root comes from the witness's own file,
not from the database, so an operator who rewrote history cannot obtain the
cosignature. A log that was rewritten, truncated or forked is refused with
``WitnessError``.

Two ways to reach the log: ``cosign_latest`` on a host with database access,
and ``cosign_remote`` over the public HTTP routes (checkpoint, consistency
proof) posting the cosignature back, which ``accept_cosignature`` verifies
against the witness keys the operator registered.
"""

from __future__ import annotations

import base64
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import select
from sqlalchemy.orm import Session

from truceline.audit.checkpoints import add_cosignature, latest_checkpoint, prove_consistency
from truceline.audit.keys import PrivateKey, published_keys, register_witness_key
from truceline.audit.merkle import verify_consistency
from truceline.audit.models import AuditCheckpoint, AuditCosignature
from truceline.audit.notes import (
    Checkpoint,
    Note,
    PublicKey,
    Signature,
    cosign_body,
    parse_checkpoint_body,
    parse_note,
    verify_cosignature,
    verify_note_signature,
)
from truceline.db.base import utcnow
from truceline.errors import CodedError


class WitnessError(CodedError, RuntimeError):
    """The witness refuses to cosign; the message says why."""

    default_code = "witness_refused"


@dataclass(frozen=True)
class WitnessState:
    size: int
    root_hash: bytes
    note: str

    @classmethod
    def load(cls, path: Path) -> WitnessState | None:
        if not path.exists():
            return None
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(int(data["size"]), base64.b64decode(data["root_hash"]), str(data["note"]))

    def save(self, path: Path) -> None:
        document = {
            "size": self.size,
            "root_hash": base64.b64encode(self.root_hash).decode(),
            "note": self.note,
        }
        temporary = path.with_suffix(path.suffix + ".tmp")
        temporary.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
        os.replace(temporary, path)


def default_state_path(key_path: Path) -> Path:
    return key_path.with_name(key_path.name + ".state.json")


ProofSource = Callable[[int, int], list[bytes]]


def cosign_note(
    key: PrivateKey,
    note_text: str,
    *,
    state_path: Path,
    log_keys: list[PublicKey],
    origin: str,
    consistency: ProofSource,
) -> tuple[Signature, WitnessState, WitnessState | None]:
    """The witness's checks and signature, wherever the checkpoint and proof come from.

    ``consistency(old_size, new_size)`` returns the log's proof; it is checked
    against the root in the witness's own state file, never against the log's.
    The caller saves the returned state once the cosignature is stored.
    """
    if key.role != "witness":
        raise WitnessError(f"{key.path} is a {key.role} key; cosigning needs a witness key")
    note = parse_note(note_text)
    checkpoint = parse_checkpoint_body(note.body)
    _require_log_signature(note, checkpoint, log_keys, origin)
    previous = WitnessState.load(state_path)
    if previous is not None:
        _require_consistency(previous, checkpoint, consistency)
    signature = cosign_body(note.body, key.name, key.signing_key, int(utcnow().timestamp()))
    return signature, WitnessState(checkpoint.size, checkpoint.root_hash, note_text), previous


def cosign_latest(
    session: Session, key: PrivateKey, *, state_path: Path, log_keys: list[PublicKey], origin: str
) -> dict[str, Any]:
    """Cosign the latest checkpoint of the database this process can reach (witness on site)."""
    row = latest_checkpoint(session)
    if row is None:
        raise WitnessError("the log has no checkpoint to cosign yet")
    signature, state, previous = cosign_note(
        key,
        row.note,
        state_path=state_path,
        log_keys=log_keys,
        origin=origin,
        consistency=lambda old, new: prove_consistency(session, old, new).proof,
    )
    add_cosignature(session, row, witness=key.name, signature_line=signature.line())
    register_witness_key(session, key.public.vkey(), not_before=key.not_before)
    state.save(state_path)
    return _result(key, signature, state, previous)


def cosign_remote(
    client: httpx.Client,
    key: PrivateKey,
    *,
    state_path: Path,
    log_keys: list[PublicKey],
    origin: str,
) -> dict[str, Any]:
    """Cosign over the HTTP API: the witness needs no database access, only the public routes."""
    latest = _get_json(client, "/api/audit/checkpoints/latest", {})

    def consistency(old: int, new: int) -> list[bytes]:
        params = {"old_size": old, "new_size": new}
        proof = _get_json(client, "/api/audit/proofs/consistency", params)
        return [bytes.fromhex(digest) for digest in proof["proof"]]

    log_note = latest["note"].split("\n\n", 1)[0] + "\n\n" + _log_signature_lines(latest, origin)
    signature, state, previous = cosign_note(
        key,
        log_note,
        state_path=state_path,
        log_keys=log_keys,
        origin=origin,
        consistency=consistency,
    )
    response = client.post(
        f"/api/audit/checkpoints/{latest['id']}/cosignatures",
        json={"signature_line": signature.line()},
    )
    if response.status_code != 201:
        raise WitnessError(f"the log refused the cosignature: {response.text}")
    state.save(state_path)
    return _result(key, signature, state, previous)


def _log_signature_lines(latest: dict[str, Any], origin: str) -> str:
    """The note's signature lines by the log (a witness remembers the note without cosignatures)."""
    lines = latest["note"].split("\n\n", 1)[1].splitlines()
    return "".join(line + "\n" for line in lines if line.split(" ")[1:2] == [origin])


def _get_json(client: httpx.Client, path: str, params: dict[str, int]) -> Any:
    response = client.get(path, params=params)
    if response.status_code != 200:
        raise WitnessError(f"GET {path} failed ({response.status_code}): {response.text}")
    return response.json()


def _result(
    key: PrivateKey, signature: Signature, state: WitnessState, previous: WitnessState | None
) -> dict[str, Any]:
    return {
        "witness": key.name,
        "checkpoint_size": state.size,
        "previous_size": None if previous is None else previous.size,
        "root_hash": state.root_hash.hex(),
        "cosignature": signature.line(),
    }


def accept_cosignature(session: Session, checkpoint_id: int, signature_line: str) -> None:
    """Log side: store a cosignature that verifies under a registered witness key."""
    row = session.get(AuditCheckpoint, checkpoint_id)
    if row is None:
        raise LookupError(f"no checkpoint with id {checkpoint_id}")
    note = parse_note(row.note + signature_line.strip() + "\n")
    submitted = note.signatures[-1]
    already = session.scalar(
        select(AuditCosignature.id).where(
            AuditCosignature.checkpoint_id == row.id, AuditCosignature.witness == submitted.name
        )
    )
    if already is not None:
        raise WitnessError(f"{submitted.name} has already cosigned checkpoint {row.id}")
    for key in published_keys(session, "witness"):
        if submitted.name == key.name and submitted.key_id == key.cosignature_key_id:
            cosigned_at = verify_cosignature(note.body, submitted, key)
            if cosigned_at is None or not key.valid_at(cosigned_at):
                raise WitnessError(f"cosignature by {key.name} does not verify")
            add_cosignature(session, row, witness=key.name, signature_line=submitted.line())
            return
    raise WitnessError(f"{submitted.name} is not a registered witness key")


def _require_log_signature(
    note: Note, checkpoint: Checkpoint, log_keys: list[PublicKey], origin: str
) -> None:
    if checkpoint.origin != origin:
        raise WitnessError(f"checkpoint origin {checkpoint.origin!r} is not {origin!r}")
    for signature in note.signatures:
        for key in log_keys:
            if (
                key.name == origin
                and key.valid_at(checkpoint.timestamp)
                and verify_note_signature(note.body, signature, key)
            ):
                return
    raise WitnessError(
        f"checkpoint of size {checkpoint.size} carries no valid signature by a trusted log key"
    )


def _require_consistency(
    previous: WitnessState, checkpoint: Checkpoint, consistency: ProofSource
) -> None:
    if checkpoint.size < previous.size:
        raise WitnessError(
            f"checkpoint of size {checkpoint.size} is smaller than the size {previous.size} "
            "this witness already cosigned: the log was truncated"
        )
    proof = consistency(previous.size, checkpoint.size)
    if not verify_consistency(
        previous.size, checkpoint.size, previous.root_hash, checkpoint.root_hash, proof
    ):
        raise WitnessError(
            f"checkpoint of size {checkpoint.size} is not consistent with the checkpoint of size "
            f"{previous.size} this witness cosigned: history was rewritten"
        )
