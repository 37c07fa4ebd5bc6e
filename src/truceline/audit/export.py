"""Export the audit log, its signed checkpoints and published keys to one file.

The file is JSON Lines (UTF-8, one JSON object a line; ``docs/audit.md``
documents every field so that a party can write its own verifier):

1. ``{"type": "header", "format": "truceline-audit-log", "version": 1, "origin": ...,
   "exported_at": ..., "entries": N, "checkpoints": M}``
2. ``{"type": "keys", "keys": [...]}``: the published keys document (informative:
   an independent verifier brings its own copy of the keys).
3. N lines ``{"type": "entry", "seq": i, "leaf_hash": hex, "canonical": text}``, seq 0..N-1.
4. M lines ``{"type": "checkpoint", "note": signed note text}`` in signing order,
   each with the log signatures and any witness cosignatures.
5. The records of each section added with ``add_section``: at start-up
   (``truceline.startup.wire``) the agreements context adds what the findings
   in force were computed from, ``agreement`` and ``findings`` records
   (``truceline.agreements.provenance``), for ``audit reproduce``. The log
   depends on no context; contexts add to its export.

Export signs a fresh checkpoint first when entries are not yet covered and a
log key is available, so that the whole file is covered by a signature.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TextIO

from sqlalchemy import select
from sqlalchemy.orm import Session

from truceline.audit.checkpoints import all_checkpoints, create_checkpoint, full_note
from truceline.audit.keys import KeyFileError, keys_document
from truceline.audit.models import AuditEntry
from truceline.audit.sequence import require_in_sequence
from truceline.audit.tree import integrated_size, log_size
from truceline.db.base import utcnow

FORMAT = "truceline-audit-log"
VERSION = 1

logger = logging.getLogger(__name__)

#: Writes the records of one section of the export (after the checkpoints), in order.
Section = Callable[[Session], Iterable[dict[str, Any]]]
_SECTIONS: list[Section] = []


def add_section(section: Section) -> None:
    """Append ``section``'s records to every export from now on (idempotent)."""
    if section not in _SECTIONS:
        _SECTIONS.append(section)


def export_log(session: Session, path: Path, *, origin: str, keys_dir: Path | None) -> int:
    """Write the log to ``path``; returns the number of entries written.

    Raises ``TreeError`` (naming the entries) when the log has stray or
    out-of-sequence entries or a leaf hash that does not match its entry.
    """
    require_in_sequence(session)
    if keys_dir is not None and log_size(session) > integrated_size(session):
        try:
            create_checkpoint(session, keys_dir=keys_dir, origin=origin)
        except KeyFileError as exc:
            logger.warning("exporting without a fresh checkpoint: %s", exc)
    size = log_size(session)
    checkpoints = [row for row in all_checkpoints(session) if row.tree_size <= size]
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="\n") as out:
        _write(out, _header(origin, size, len(checkpoints)))
        _write(out, {"type": "keys", **keys_document(session, origin)})
        _write_entries(session, out, size)
        for row in checkpoints:
            _write(out, {"type": "checkpoint", "note": full_note(session, row)})
        for section in _SECTIONS:
            for record in section(session):
                _write(out, record)
    return size


def _header(origin: str, entries: int, checkpoints: int) -> dict[str, Any]:
    return {
        "type": "header",
        "format": FORMAT,
        "version": VERSION,
        "origin": origin,
        "exported_at": utcnow().isoformat(),
        "entries": entries,
        "checkpoints": checkpoints,
    }


def _write_entries(session: Session, out: TextIO, size: int) -> None:
    query = (
        select(AuditEntry.seq, AuditEntry.leaf_hash, AuditEntry.canonical)
        .where(AuditEntry.seq < size)
        .order_by(AuditEntry.seq)
        .execution_options(yield_per=5000)
    )
    for seq, digest, canonical in session.execute(query):
        _write(out, {"type": "entry", "seq": seq, "leaf_hash": digest, "canonical": canonical})


def _write(out: TextIO, record: dict[str, Any]) -> None:
    out.write(json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n")
