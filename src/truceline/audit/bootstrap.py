"""A signed log from the first run: the log key at ``init``, a checkpoint after the demo.

Without these, a fresh installation's log stays unsigned until someone reads
the audit documentation, and ``audit verify`` of its first export fails. Both
steps are idempotent: an existing valid key is kept, and a checkpoint is
signed only when entries are not yet covered.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine

from truceline.audit.checkpoints import create_checkpoint
from truceline.audit.keys import ensure_log_key
from truceline.audit.tree import integrated_size, log_size
from truceline.config import get_settings
from truceline.db.engine import transaction


def prepare_log_key(engine: Engine) -> dict[str, Any]:
    """Create and publish the mechanism's log key when none is valid (raises ``KeyFileError``)."""
    settings = get_settings()
    with transaction(engine) as session:
        key, created = ensure_log_key(
            session, settings.resolved_keys_dir, settings.checkpoint_origin
        )
    return {"vkey": key.public.vkey(), "path": str(key.path), "created": created}


def sign_uncovered(engine: Engine) -> int | None:
    """Sign a checkpoint when entries are not covered yet; returns its size (None: nothing to do)."""
    settings = get_settings()
    with transaction(engine) as session:
        if log_size(session) <= integrated_size(session):
            return None
        row = create_checkpoint(
            session, keys_dir=settings.resolved_keys_dir, origin=settings.checkpoint_origin
        )
        return row.tree_size
