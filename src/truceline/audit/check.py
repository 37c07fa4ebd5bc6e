"""``truceline audit check-state``: the database against the digests the log vouches for.

Two streaming passes, read-only, so a party's witness can run them on a replica:

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
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import groupby
from typing import Any

from sqlalchemy import Connection, select

from truceline.audit.hashing import leaf_hash
from truceline.audit.models import AuditEntry, AuditStateDigest, AuditStateSchema
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

    def error(self, message: str) -> None:
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(message)
        else:
            self.more += 1

    def as_json(self) -> dict[str, Any]:
        errors = list(self.errors)
        if self.more:
            errors.append(f"… and {self.more} more errors")
        return {"valid": not errors, "checked": self.checked, "errors": errors}


def check_state(connection: Connection) -> StateReport:
    """Compare every audited record with the latest digest the log committed to."""
    report = StateReport()
    _check_commitments(connection, report)
    schemas = {
        row.id: tuple(row.columns.split(","))
        for row in connection.execute(select(AuditStateSchema.id, AuditStateSchema.columns))
    }
    for audited in audited_tables():
        _check_table(connection, audited, schemas, report)
    return report


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
        report.error(f"audit_entries seq {seq}: leaf hash does not match its canonical content")
        return
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
    label = f"{audited.name} {audited.key} {audited.shown_key(key)}"
    if expected is None:
        report.error(
            f"{label}: added outside the application (the log says it was deleted at seq {seq})"
        )
        return
    if schema_id not in positions:
        columns = schemas.get(schema_id, ())
        known = all(name in audited.columns for name in columns) and bool(columns)
        positions[schema_id] = [audited.columns.index(name) for name in columns] if known else None
    where = positions[schema_id]
    if where is None:
        report.error(f"{label}: its digest (seq {seq}) covers columns the table no longer has")
        return
    columns = schemas[schema_id]
    values = row if len(where) == len(audited.columns) else [row[i] for i in where]
    if row_digest(columns, values) != expected:
        report.error(
            f"{label}: changed outside the application (it differs from the log's digest at seq {seq})"
        )
