"""Reading the log for people: recent entries, checkpoints with their cosignatures, and the
command a party runs to check the log on its own (the audit page and ``/api/audit``)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from truceline.audit.checkpoints import checkpoint_summary
from truceline.audit.models import AuditCheckpoint, AuditCosignature, AuditEntry

#: What a party runs, on its own machine, to check the log without trusting the operator.
VERIFY_COMMANDS = (
    "truceline audit export -o truceline-audit.jsonl",
    "curl -s {base}/api/audit/keys -o keys.json",
    "truceline audit verify truceline-audit.jsonl --key keys.json --json",
)


def recent_entries(
    session: Session, *, before: int | None = None, limit: int = 50
) -> list[AuditEntry]:
    """The newest entries first (those before sequence ``before`` when given)."""
    stmt = select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(limit)
    if before is not None:
        stmt = stmt.where(AuditEntry.seq < before)
    return list(session.scalars(stmt))


def entry_json(entry: AuditEntry) -> dict[str, Any]:
    return {
        "seq": entry.seq,
        "recorded_at": entry.recorded_at.isoformat(),
        "actor": entry.actor,
        "role": entry.role,
        "party": entry.party,
        "action": entry.action,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "leaf_hash": entry.leaf_hash,
    }


def cosignatures(session: Session, checkpoint: AuditCheckpoint) -> list[AuditCosignature]:
    return list(
        session.scalars(
            select(AuditCosignature)
            .where(AuditCosignature.checkpoint_id == checkpoint.id)
            .order_by(AuditCosignature.id)
        )
    )


def checkpoint_detail(session: Session, checkpoint: AuditCheckpoint) -> dict[str, Any]:
    """A checkpoint's summary with each witness's cosignature."""
    return {
        **checkpoint_summary(session, checkpoint),
        "cosignatures": [
            {"witness": c.witness, "cosigned_at": c.cosigned_at.isoformat(),
             "signature_line": c.signature_line}
            for c in cosignatures(session, checkpoint)
        ],
    }  # fmt: skip


def recent_checkpoints(session: Session, limit: int = 20) -> list[AuditCheckpoint]:
    return list(
        session.scalars(select(AuditCheckpoint).order_by(AuditCheckpoint.id.desc()).limit(limit))
    )
