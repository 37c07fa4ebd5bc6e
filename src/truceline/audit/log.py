"""Appending entries to the audit log."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Table, func, insert, select
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
    The leaf hash covers the canonical JSON of the entry's fields; its sequence
    number is its position in the Merkle tree, as for RFC 6962 leaves. The
    entry is written with one INSERT that takes the next sequence number in the
    database (plus, on PostgreSQL, a transaction lock so that numbers have no
    gaps), so appending costs one statement and no scan.
    """
    recorded_at = utcnow()
    body = {
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
    values = {
        **body,
        "recorded_at": recorded_at,
        "canonical": canonical,
        "leaf_hash": leaf_hash(canonical.encode()).hex(),
    }
    _serialise_appenders(session)
    session.info["truceline.audit.actor"] = actor  # the state digests of this commit name them too
    seq = session.execute(_INSERT, values).scalar_one()
    return AuditEntry(seq=seq, **values)


_ENTRIES = cast(Table, AuditEntry.__table__)

#: The next sequence number, computed inside the INSERT (the primary key index makes it O(log n)).
_NEXT_SEQ = select(func.coalesce(func.max(AuditEntry.seq) + 1, 0)).scalar_subquery()

#: Built once, so that appending compiles nothing (column values are bound per call).
_INSERT = insert(_ENTRIES).values(seq=_NEXT_SEQ).returning(_ENTRIES.c.seq)


def _serialise_appenders(session: Session) -> None:
    """On PostgreSQL, hold a transaction lock so concurrent appenders take turns (no gaps, no forks).

    SQLite already serialises writers; on both, the primary key makes a clash fail, never fork.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(select(func.pg_advisory_xact_lock(6962)))
