"""``truceline audit check-state``: the database against the digests the log vouches for.

Three streaming passes, read-only, so a party's witness can run them on a replica:

0. **The log is the signed one.** Every entry's leaf hash is recomputed from its
   canonical text and the tree rebuilt; its root at the latest checkpoint's size
   must be that checkpoint's, signed by a trusted log key (the keys given with
   ``--key``, or else those the database publishes). Entries after that
   checkpoint are counted as ``uncovered``: recorded, but not signed yet.
1. **The digests are the log's.** The rows of ``audit_state_digests`` are grouped
   by the entry that wrote them; each group must hash to that ``audit.state``
   entry's ``after_hash`` (read from its canonical text, whose leaf hash is
   checked too). A digest added, changed or removed with SQL is named here.
2. **The records are the digests'.** For every audited table, the rows (in key
   order) are merged with the latest digest of each key (same order): a row
   whose digest differs was *changed*, a row with no digest was *added*, and a
   digest with no row was *deleted* outside the application.

Each error names the table and the record's key. Tampering never crashes the
check: rows are read raw, and a digest over columns that no longer exist is
reported as such.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from itertools import groupby
from typing import Any

from sqlalchemy import Connection, select
from sqlalchemy.orm import Session

from truceline.audit.hashing import leaf_hash
from truceline.audit.keys import keys_document
from truceline.audit.merkle import Frontier
from truceline.audit.models import AuditCheckpoint, AuditEntry, AuditStateDigest, AuditStateSchema
from truceline.audit.notes import (
    Checkpoint,
    NoteError,
    PublicKey,
    parse_checkpoint_body,
    parse_note,
    parse_public_keys,
    verify_note_signature,
)
from truceline.audit.state import (
    ACTION,
    AuditedTable,
    audited_tables,
    commitment,
    raw_select,
    row_digest,
)

BATCH = 5000
MAX_ERRORS = 1000


@dataclass
class StateReport:
    """What the check found; ``as_json`` is the ``--json`` document."""

    checked: int = 0
    errors: list[str] = field(default_factory=list)
    more: int = 0
    signed_size: int = 0
    uncovered: int = 0

    def error(self, message: str) -> None:
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(message)
        else:
            self.more += 1

    def as_json(self) -> dict[str, Any]:
        errors = list(self.errors)
        if self.more:
            errors.append(f"… and {self.more} more errors")
        return {
            "valid": not errors,
            "checked": self.checked,
            "errors": errors,
            "signed_size": self.signed_size,
            "uncovered": self.uncovered,
        }


def check_state(
    connection: Connection, *, origin: str, keys: Sequence[PublicKey] | None = None
) -> StateReport:
    """Compare every audited record with the latest digest the signed log committed to.

    ``keys`` are the log keys the caller trusts (default: those the database
    publishes, which only proves the database agrees with itself); ``origin`` is the
    installation's checkpoint origin (``Settings.checkpoint_origin``), passed by the caller.
    """
    report = StateReport()
    check_signed_log(connection, report, keys=keys, origin=origin)
    _check_commitments(connection, report)
    schemas = {
        row.id: tuple(row.columns.split(","))
        for row in connection.execute(select(AuditStateSchema.id, AuditStateSchema.columns))
    }
    for audited in audited_tables():
        _check_table(connection, audited, schemas, report)
    return report


def check_signed_log(
    connection: Connection,
    report: StateReport,
    *,
    keys: Sequence[PublicKey] | None,
    origin: str,
) -> None:
    """Leaf hashes and tree of every entry against the latest checkpoint and its signature."""
    note_text = connection.scalar(
        select(AuditCheckpoint.note).order_by(AuditCheckpoint.id.desc()).limit(1)
    )
    checkpoint = _signed_checkpoint(connection, note_text, keys, origin, report)
    size = checkpoint.size if checkpoint is not None else 0
    frontier = Frontier()
    query = select(AuditEntry.seq, AuditEntry.canonical, AuditEntry.leaf_hash).order_by(
        AuditEntry.seq
    )
    for seq, canonical, stored in _stream(connection, query):
        if seq != frontier.size:
            report.error(
                f"audit_entries seq {seq} found at position {frontier.size}: entries missing"
            )
        digest = leaf_hash(canonical.encode())
        if digest.hex() != stored:
            report.error(f"audit_entries seq {seq}: leaf hash does not match its canonical content")
        frontier.append(digest)
        if (
            frontier.size == size
            and checkpoint is not None
            and frontier.root() != checkpoint.root_hash
        ):
            report.error(
                f"audit_checkpoints (size {size}): root hash does not match entries 0..{size - 1}"
            )
    if frontier.size < size:
        report.error(f"audit_checkpoints (size {size}): the log has only {frontier.size} entries")
    report.signed_size = size
    report.uncovered = max(0, frontier.size - size)


def _signed_checkpoint(
    connection: Connection,
    note_text: str | None,
    keys: Sequence[PublicKey] | None,
    origin: str,
    report: StateReport,
) -> Checkpoint | None:
    if note_text is None:
        return None
    try:
        note = parse_note(note_text)
        checkpoint = parse_checkpoint_body(note.body)
    except NoteError as exc:
        report.error(f"audit_checkpoints (latest): {exc}")
        return None
    trusted = keys if keys is not None else _published_keys(connection, origin)
    signed = any(
        key.name == origin
        and signature.key_id == key.note_key_id
        and key.valid_at(checkpoint.timestamp)
        and verify_note_signature(note.body, signature, key)
        for signature in note.signatures
        for key in trusted
    )
    if not signed:
        report.error(
            f"audit_checkpoints (size {checkpoint.size}): no valid signature by a trusted log key"
        )
    return checkpoint


def _published_keys(connection: Connection, origin: str) -> list[PublicKey]:
    with Session(bind=connection) as session:  # reads only; never flushed or committed
        return parse_public_keys(json.dumps(keys_document(session, origin)))


def _stream(connection: Connection, query: Any) -> Iterator[Any]:
    yield from connection.execution_options(yield_per=BATCH).execute(query)


def _check_commitments(connection: Connection, report: StateReport) -> None:
    entries = _stream(
        connection,
        select(AuditEntry.seq, AuditEntry.canonical, AuditEntry.leaf_hash)
        .where(AuditEntry.action == ACTION)
        .order_by(AuditEntry.seq),
    )
    digests = _stream(
        connection,
        select(
            AuditStateDigest.seq,
            AuditStateDigest.table_name,
            AuditStateDigest.row_key,
            AuditStateDigest.schema_id,
            AuditStateDigest.digest,
        ).order_by(AuditStateDigest.seq),
    )
    groups = groupby(digests, key=lambda row: int(row[0]))
    group = next(groups, None)
    for seq, canonical, stored_leaf in entries:
        records: list[list[Any]] = []
        while group is not None and group[0] <= seq:
            if group[0] < seq:
                report.error(
                    f"audit_state_digests: digests at seq {group[0]}, where the log has no state entry"
                )
            else:
                records = [list(row[1:]) for row in group[1]]
            group = next(groups, None)
        _check_entry(seq, canonical, stored_leaf, records, report)
    while group is not None:
        report.error(
            f"audit_state_digests: digests at seq {group[0]}, where the log has no state entry"
        )
        group = next(groups, None)


def _check_entry(
    seq: int, canonical: str, stored_leaf: str, records: list[list[Any]], report: StateReport
) -> None:
    if leaf_hash(canonical.encode()).hex() != stored_leaf:
        return  # named by the log pass
    try:
        committed = json.loads(canonical)["after_hash"]
    except (ValueError, KeyError, TypeError):
        report.error(f"audit_entries seq {seq}: canonical text is not a state entry")
        return
    if commitment(records) != committed:
        report.error(
            f"audit_state_digests seq {seq}: the digests differ from those the log committed to "
            "(a digest was changed, added or deleted outside the application)"
        )


def _latest(
    connection: Connection, audited: AuditedTable
) -> Iterator[tuple[str, int, int, str | None]]:
    """The latest digest of each key of one table, in key order (the primary key's order)."""
    query = (
        select(
            AuditStateDigest.row_key,
            AuditStateDigest.seq,
            AuditStateDigest.schema_id,
            AuditStateDigest.digest,
        )
        .where(AuditStateDigest.table_name == audited.name)
        .order_by(_ordered(connection, AuditStateDigest.row_key, audited), AuditStateDigest.seq)
    )
    for _key, versions in groupby(_stream(connection, query), key=lambda row: row[0]):
        *_, last = versions
        yield str(last[0]), int(last[1]), int(last[2]), last[3]


def _ordered(connection: Connection, expression: Any, audited: AuditedTable) -> Any:
    """Text keys in byte order on PostgreSQL too, so both streams agree with Python's ``<``."""
    if audited.integer_key or connection.dialect.name != "postgresql":
        return expression
    return expression.collate("C")


def _check_table(
    connection: Connection,
    audited: AuditedTable,
    schemas: dict[int, tuple[str, ...]],
    report: StateReport,
) -> None:
    query, source = raw_select(audited)
    rows = _stream(connection, query.order_by(_ordered(connection, source.c[audited.key], audited)))
    key_index = audited.columns.index(audited.key)
    positions: dict[int, list[int] | None] = {}
    latest = _latest(connection, audited)
    digest = next(latest, None)
    row = next(rows, None)
    while row is not None or digest is not None:
        key = audited.key_text(row[key_index]) if row is not None else None
        if digest is None or (key is not None and key < digest[0]):
            report.checked += 1
            report.error(
                f"{audited.name} {audited.key} {audited.shown_key(key or '')}: added outside the application (the log has no digest for it)"
            )
            row = next(rows, None)
        elif key is None or digest[0] < key:
            report.checked += 1
            if digest[3] is not None:
                report.error(
                    f"{audited.name} {audited.key} {audited.shown_key(digest[0])}: deleted outside the "
                    f"application (the log's digest at seq {digest[1]} has no row)"
                )
            digest = next(latest, None)
        else:
            report.checked += 1
            _compare(audited, row, digest, schemas, positions, report)
            row, digest = next(rows, None), next(latest, None)


def _compare(
    audited: AuditedTable,
    row: Any,
    digest: tuple[str, int, int, str | None],
    schemas: dict[int, tuple[str, ...]],
    positions: dict[int, list[int] | None],
    report: StateReport,
) -> None:
    key, seq, schema_id, expected = digest
    problem = _difference(audited, row, schema_id, expected, schemas, positions)
    if problem is not None:
        label = f"{audited.name} {audited.key} {audited.shown_key(key)}"
        report.error(f"{label}: {problem.format(seq=seq)}")


def _difference(
    audited: AuditedTable,
    row: Any,
    schema_id: int,
    expected: str | None,
    schemas: dict[int, tuple[str, ...]],
    positions: dict[int, list[int] | None],
) -> str | None:
    """What is wrong with ``row`` against its latest digest (None: it matches)."""
    if expected is None:
        return "added outside the application (the log says it was deleted at seq {seq})"
    if schema_id not in positions:
        columns = schemas.get(schema_id, ())
        known = bool(columns) and all(name in audited.columns for name in columns)
        positions[schema_id] = [audited.columns.index(name) for name in columns] if known else None
    where = positions[schema_id]
    if where is None:
        return "its digest (seq {seq}) covers columns the table no longer has"
    values = row if len(where) == len(audited.columns) else [row[i] for i in where]
    if row_digest(values) != expected:
        return "changed outside the application (it differs from the log's digest at seq {seq})"
    return None
