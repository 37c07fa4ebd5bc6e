"""Witness cosigning: a party (AF, PK) or the mediator vouches for a checkpoint.

A witness keeps its own Ed25519 key and a small state file with the last
checkpoint it cosigned. Before cosigning a newer checkpoint it checks that the
log signed it and that the log's consistency proof links the root *it
remembers* to the new root: the old root comes from the witness's own file,
not from the database, so an operator who rewrote history cannot obtain the
cosignature. A log that was rewritten, truncated or forked is refused with
``WitnessError``.
"""

from __future__ import annotations

import base64
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from truceline.audit.checkpoints import add_cosignature, latest_checkpoint, prove_consistency
from truceline.audit.keys import PrivateKey, publish_key
from truceline.audit.merkle import verify_consistency
from truceline.audit.models import AuditPublicKey
from truceline.audit.notes import (
    Checkpoint,
    PublicKey,
    cosign_body,
    parse_checkpoint_body,
    parse_note,
    verify_note_signature,
)
from truceline.db.base import utcnow


class WitnessError(RuntimeError):
    """The witness refuses to cosign; the message says why."""


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


def cosign_latest(
    session: Session, key: PrivateKey, *, state_path: Path, log_keys: list[PublicKey], origin: str
) -> dict[str, Any]:
    """Check the latest checkpoint against the witness's state, then cosign and remember it."""
    if key.role != "witness":
        raise WitnessError(f"{key.path} is a {key.role} key; cosigning needs a witness key")
    row = latest_checkpoint(session)
    if row is None:
        raise WitnessError("the log has no checkpoint to cosign yet")
    note = parse_note(row.note)
    checkpoint = parse_checkpoint_body(note.body)
    _require_log_signature(note.body, note, checkpoint, log_keys, origin)
    previous = WitnessState.load(state_path)
    if previous is not None:
        _require_consistency(session, previous, checkpoint)
    now = int(utcnow().timestamp())
    signature = cosign_body(note.body, key.name, key.signing_key, now)
    add_cosignature(session, row, witness=key.name, signature_line=signature.line())
    _publish_once(session, key)
    WitnessState(checkpoint.size, checkpoint.root_hash, row.note).save(state_path)
    return {
        "witness": key.name,
        "checkpoint_size": checkpoint.size,
        "previous_size": None if previous is None else previous.size,
        "root_hash": checkpoint.root_hash.hex(),
        "cosignature": signature.line(),
    }


def _require_log_signature(
    body: str, note: Any, checkpoint: Checkpoint, log_keys: list[PublicKey], origin: str
) -> None:
    if checkpoint.origin != origin:
        raise WitnessError(f"checkpoint origin {checkpoint.origin!r} is not {origin!r}")
    for signature in note.signatures:
        for key in log_keys:
            if (
                key.name == origin
                and key.valid_at(checkpoint.timestamp)
                and verify_note_signature(body, signature, key)
            ):
                return
    raise WitnessError(
        f"checkpoint of size {checkpoint.size} carries no valid signature by a trusted log key"
    )


def _require_consistency(session: Session, previous: WitnessState, checkpoint: Checkpoint) -> None:
    if checkpoint.size < previous.size:
        raise WitnessError(
            f"checkpoint of size {checkpoint.size} is smaller than the size {previous.size} "
            "this witness already cosigned: the log was truncated"
        )
    proof = prove_consistency(session, previous.size, checkpoint.size)
    if not verify_consistency(
        previous.size, checkpoint.size, previous.root_hash, checkpoint.root_hash, proof.proof
    ):
        raise WitnessError(
            f"checkpoint of size {checkpoint.size} is not consistent with the checkpoint of size "
            f"{previous.size} this witness cosigned: history was rewritten"
        )


def _publish_once(session: Session, key: PrivateKey) -> None:
    vkey = key.public.vkey()
    if session.scalar(select(AuditPublicKey.id).where(AuditPublicKey.vkey == vkey)) is None:
        publish_key(session, key)
