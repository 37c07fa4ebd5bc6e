"""Signed checkpoints of the audit log, and the proofs served against them.

``create_checkpoint`` integrates the entries written since the last checkpoint
into the stored tree (``tree.integrate``), signs origin, size, root hash and
time with every log key valid now (two during a rotation overlap) and stores
the note in the append-only ``audit_checkpoints`` table. Run it on demand
(``truceline audit checkpoint``, ``POST /api/audit/checkpoints``) or
periodically (``truceline audit checkpoint --if-due`` from a timer, or
``--every SECONDS``). Witness cosignatures are kept beside each checkpoint and
appended to its note when it is served or exported.

Checkpoints are not themselves log entries: a checkpoint that added an entry
would always be one entry behind the log it signs.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from truceline.audit.keys import signing_keys_at
from truceline.audit.merkle import consistency_proof, inclusion_proof, tree_root
from truceline.audit.models import AuditCheckpoint, AuditCosignature, AuditEntry
from truceline.audit.notes import Checkpoint, Note, parse_note, sign_note_body
from truceline.audit.sequence import require_in_sequence
from truceline.audit.tree import DatabaseNodes, TreeError, integrate, integrated_size, log_size
from truceline.db.base import utcnow

CHECKPOINT_LOCK = 6963


def create_checkpoint(session: Session, *, keys_dir: Path, origin: str) -> AuditCheckpoint:
    """Sign and store a checkpoint covering every entry committed so far."""
    _serialise_checkpointers(session)
    require_in_sequence(session)
    now = utcnow().replace(microsecond=0)
    keys = signing_keys_at(keys_dir, now)
    size = log_size(session)
    root = integrate(session, size).root()
    checkpoint = Checkpoint(
        origin=origin, size=size, root_hash=root, timestamp=int(now.timestamp())
    )
    body = checkpoint.body()
    note = Note(body, tuple(sign_note_body(body, key.name, key.signing_key) for key in keys))
    row = AuditCheckpoint(
        tree_size=size, root_hash=root.hex(), origin=origin, signed_at=now, note=note.text()
    )
    session.add(row)
    session.flush()
    return row


def _serialise_checkpointers(session: Session) -> None:
    if session.get_bind().dialect.name == "postgresql":
        session.execute(select(func.pg_advisory_xact_lock(CHECKPOINT_LOCK)))


def checkpoint_due(session: Session, *, max_age: timedelta, max_pending: int) -> bool:
    """True when entries wait and the last checkpoint is older than ``max_age`` or too far behind."""
    pending = log_size(session) - integrated_size(session)
    if pending <= 0:
        return False
    latest = latest_checkpoint(session)
    return latest is None or pending >= max_pending or utcnow() - latest.signed_at >= max_age


def latest_checkpoint(session: Session) -> AuditCheckpoint | None:
    return session.scalars(select(AuditCheckpoint).order_by(AuditCheckpoint.id.desc())).first()


def all_checkpoints(session: Session) -> list[AuditCheckpoint]:
    return list(session.scalars(select(AuditCheckpoint).order_by(AuditCheckpoint.id)))


def checkpoint_by_size(session: Session, size: int) -> AuditCheckpoint:
    row = session.scalars(
        select(AuditCheckpoint)
        .where(AuditCheckpoint.tree_size == size)
        .order_by(AuditCheckpoint.id.desc())
    ).first()
    if row is None:
        raise LookupError(f"no checkpoint of size {size}")
    return row


def full_note(session: Session, checkpoint: AuditCheckpoint) -> str:
    """The checkpoint note with the log signatures and every witness cosignature."""
    lines = session.scalars(
        select(AuditCosignature.signature_line)
        .where(AuditCosignature.checkpoint_id == checkpoint.id)
        .order_by(AuditCosignature.id)
    ).all()
    return checkpoint.note + "".join(line + "\n" for line in lines)


def add_cosignature(
    session: Session, checkpoint: AuditCheckpoint, *, witness: str, signature_line: str
) -> AuditCosignature:
    """Store a witness's cosignature line (checked by the caller) beside its checkpoint."""
    parse_note(checkpoint.note + signature_line + "\n")  # refuses a malformed line
    row = AuditCosignature(
        checkpoint_id=checkpoint.id,
        witness=witness,
        signature_line=signature_line,
        cosigned_at=utcnow(),
    )
    session.add(row)
    session.flush()
    return row


@dataclass(frozen=True)
class InclusionProof:
    seq: int
    leaf_hash: bytes
    tree_size: int
    root_hash: bytes
    proof: list[bytes]

    def as_json(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "leaf_hash": self.leaf_hash.hex(),
            "tree_size": self.tree_size,
            "root_hash": self.root_hash.hex(),
            "proof": [digest.hex() for digest in self.proof],
        }


@dataclass(frozen=True)
class ConsistencyProof:
    old_size: int
    new_size: int
    old_root: bytes
    new_root: bytes
    proof: list[bytes]

    def as_json(self) -> dict[str, Any]:
        return {
            "old_size": self.old_size,
            "new_size": self.new_size,
            "old_root": self.old_root.hex(),
            "new_root": self.new_root.hex(),
            "proof": [digest.hex() for digest in self.proof],
        }


def _proof_size(session: Session, size: int | None) -> int:
    covered = integrated_size(session)
    if size is None:
        return covered
    if not 0 <= size <= covered:
        raise LookupError(f"tree size {size} is beyond the latest checkpoint ({covered} entries)")
    return size


def prove_inclusion(session: Session, seq: int, size: int | None = None) -> InclusionProof:
    """Inclusion proof of entry ``seq`` in the tree of ``size`` (default: latest checkpoint)."""
    tree_size = _proof_size(session, size)
    if not 0 <= seq < tree_size:
        raise LookupError(f"entry seq {seq} is not in the tree of size {tree_size}")
    stored = session.scalar(select(AuditEntry.leaf_hash).where(AuditEntry.seq == seq))
    if stored is None:
        raise TreeError(f"audit entry seq {seq} is missing")
    nodes = DatabaseNodes(session)
    return InclusionProof(
        seq=seq,
        leaf_hash=bytes.fromhex(stored),
        tree_size=tree_size,
        root_hash=tree_root(nodes, tree_size),
        proof=inclusion_proof(nodes, seq, tree_size),
    )


def prove_consistency(
    session: Session, old_size: int, new_size: int | None = None
) -> ConsistencyProof:
    """Proof that the tree of ``new_size`` (default: latest checkpoint) extends that of ``old_size``."""
    new = _proof_size(session, new_size)
    if not 0 <= old_size <= new:
        raise LookupError(f"old size {old_size} must lie between 0 and {new}")
    nodes = DatabaseNodes(session)
    return ConsistencyProof(
        old_size=old_size,
        new_size=new,
        old_root=tree_root(nodes, old_size),
        new_root=tree_root(nodes, new),
        proof=consistency_proof(nodes, old_size, new),
    )


def checkpoint_summary(session: Session, checkpoint: AuditCheckpoint) -> dict[str, Any]:
    return {
        "id": checkpoint.id,
        "tree_size": checkpoint.tree_size,
        "root_hash": checkpoint.root_hash,
        "root_hash_base64": base64.b64encode(bytes.fromhex(checkpoint.root_hash)).decode(),
        "signed_at": checkpoint.signed_at.isoformat(),
        "note": full_note(session, checkpoint),
    }
