"""Appending entries to the audit log."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from truceline.audit.hashing import canonical_json, content_hash, leaf_hash
from truceline.audit.models import AuditEntry
from truceline.db.base import utcnow


@dataclass(frozen=True)
class Actor:
    """Who made a change: a user (or ``system``), their role and party."""

    name: str
    role: str
    party: str | None = None


SYSTEM = Actor(name="system", role="system")


def append_entry(
    session: Session,
    *,
    actor: Actor,
    action: str,
    object_type: str,
    object_id: str | int,
    before: Any = None,
    after: Any = None,
) -> AuditEntry:
    """Record one state change in the caller's transaction.

    ``before`` and ``after`` are JSON-able snapshots; only their hashes are
    logged, so the log proves what changed without copying protected content.
    """
    seq = _next_seq(session)
    recorded_at = utcnow()
    body = {
        "seq": seq,
        "recorded_at": recorded_at.isoformat(),
        "actor": actor.name,
        "role": actor.role,
        "party": actor.party,
        "action": action,
        "object_type": object_type,
        "object_id": str(object_id),
        "before_hash": content_hash(before),
        "after_hash": content_hash(after),
    }
    canonical = canonical_json(body)
    entry = AuditEntry(
        seq=seq,
        recorded_at=recorded_at,
        actor=actor.name,
        role=actor.role,
        party=actor.party,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        before_hash=body["before_hash"],
        after_hash=body["after_hash"],
        canonical=canonical,
        leaf_hash=leaf_hash(canonical.encode()).hex(),
    )
    session.add(entry)
    session.flush()
    return entry


def _next_seq(session: Session) -> int:
    """The next sequence number; the primary key makes concurrent appends fail, not fork."""
    if session.get_bind().dialect.name == "postgresql":
        # Serialise appenders so that sequence numbers have no gaps.
        session.execute(select(func.pg_advisory_xact_lock(6962)))
    current = session.execute(select(func.max(AuditEntry.seq))).scalar()
    return 0 if current is None else int(current) + 1
