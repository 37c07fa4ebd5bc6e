"""A signed log from the first run: the log key at ``init``, a checkpoint after the demo.

Also the one-off baseline of state digests on a database that predates them.

Without these, a fresh installation's log stays unsigned until someone reads
the audit documentation, and ``audit verify`` of its first export fails. Both
steps are idempotent: an existing valid key is kept, and a checkpoint is
signed only when entries are not yet covered.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, column, select, table
from sqlalchemy.orm import Session

from truceline.audit.actor import SYSTEM
from truceline.audit.checkpoints import create_checkpoint
from truceline.audit.keys import ensure_log_key
from truceline.audit.log import append_entry
from truceline.audit.models import AuditEntry, AuditStateDigest
from truceline.audit.state import AuditedTable, audited_tables, note_written
from truceline.audit.tree import integrated_size, log_size
from truceline.config import Settings
from truceline.db.engine import transaction


def prepare_log_key(engine: Engine, settings: Settings) -> dict[str, Any]:
    """Create and publish the mechanism's log key when none is valid (raises ``KeyFileError``)."""
    with transaction(engine) as session:
        key, created = ensure_log_key(
            session, settings.resolved_keys_dir, settings.checkpoint_origin
        )
    return {"vkey": key.public.vkey(), "path": str(key.path), "created": created}


def sign_uncovered(engine: Engine, settings: Settings) -> int | None:
    """Sign a checkpoint when entries are not covered yet; returns its size (None: nothing to do)."""
    with transaction(engine) as session:
        if log_size(session) <= integrated_size(session):
            return None
        row = create_checkpoint(
            session, keys_dir=settings.resolved_keys_dir, origin=settings.checkpoint_origin
        )
        return row.tree_size


BASELINE_ACTION = "audit.state_baseline"
BASELINE_BATCH = 10_000


def baseline_state(engine: Engine) -> int | None:
    """Once per database: record the digests of audited records that have none yet.

    A database created before state digests existed has records the log never
    digested; without a baseline, ``check-state`` would call every one of them
    "added outside the application". The first ``init`` after the upgrade
    digests them (in batches, each committed by its ``audit.state`` entry) and
    logs one ``audit.state_baseline`` entry, so the check starts from the state
    at that moment, visibly. Later runs do nothing (None). On a fresh database
    every record already has its digest and the baseline counts 0.
    """
    with transaction(engine) as session:
        done = session.scalar(
            select(AuditEntry.seq).where(AuditEntry.action == BASELINE_ACTION).limit(1)
        )
        if done is not None:
            return None
        missing = {audited.name: _undigested(session, audited) for audited in audited_tables()}
    count = 0
    for name, keys in missing.items():
        for start in range(0, len(keys), BASELINE_BATCH):
            with transaction(engine) as session:
                note_written(session, name, keys[start : start + BASELINE_BATCH])
            count += len(keys[start : start + BASELINE_BATCH])
    with transaction(engine) as session:
        append_entry(
            session,
            actor=SYSTEM,
            action=BASELINE_ACTION,
            object_type="state",
            object_id=str(count),
            after={"records": count, "tables": {n: len(k) for n, k in missing.items() if k}},
        )
    return count


def _undigested(session: Session, audited: AuditedTable) -> list[Any]:
    digested = set(
        session.scalars(
            select(AuditStateDigest.row_key).where(AuditStateDigest.table_name == audited.name)
        )
    )
    query: Any = select(column(audited.key)).select_from(table(audited.name))
    return [key for key in session.scalars(query) if audited.key_text(key) not in digested]
