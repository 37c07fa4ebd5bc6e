"""State digests: what every audited record must look like now, committed to by the log.

The log's own entries carry hashes of snapshots that each service chooses; they
prove what was recorded, not that the database still holds it. So every
commit that writes audited rows also records, for each (table, key) written,
the SHA-256 of the row as the database now returns it (``row_digest``), in the
append-only ``audit_state_digests`` table, and appends one ``audit.state``
entry whose ``after_hash`` commits to exactly those digests. A row changed,
added or deleted with SQL afterwards no longer matches the latest digest the
log vouches for; ``check.py`` finds it.

Capture is automatic (``capture.py`` listens to ORM flushes and ORM bulk
UPDATE/DELETE), so a new table or column is covered without any service
remembering it. Writes that bypass the ORM (the importer's bulk ``executemany``)
call ``note_written`` with the keys they wrote.

Rows are read raw (no SQLAlchemy type processing), so a malformed value is
digested as stored instead of crashing the check; instants from the driver
are normalised to UTC so a witness's session time zone changes nothing.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, Dialect, Integer, column, insert, select, table
from sqlalchemy.orm import Session

from truceline.audit.actor import SYSTEM, Actor
from truceline.audit.hashing import content_hash
from truceline.audit.log import FollowUp, append_entry, commit_pending, placeholder, take_turn
from truceline.audit.models import AuditStateSchema

#: Tables whose rows are not audited records, and why.
NOT_AUDITED: dict[str, str] = {
    "audit_entries": "the log itself, checked by `audit verify`",
    "audit_tree_nodes": "derived from the entries, checked by `audit verify`",
    "audit_checkpoints": "signed notes, checked by `audit verify`",
    "audit_cosignatures": "signed lines, checked by `audit verify`",
    "audit_state_schemas": "committed to through the digests",
    "audit_state_digests": "committed to by the log's audit.state entries",
    "web_sessions": "ephemeral sign-in state",
    "rate_limit_buckets": "ephemeral request budgets, spent outside any audited transaction",
    "worker_leases": "which serve worker runs the background jobs (SQLite), renewed every few seconds",
    "geo_places": "reference gazetteer, rebuilt from the shipped data",
}

PENDING = "truceline.audit.state.pending"
ACTOR = "truceline.audit.actor"  # set by ``append_entry``: who the commit's state entry names
ACTION = "audit.state"
READ_CHUNK = 500


@dataclass(frozen=True)
class AuditedTable:
    """An audited table: its primary key and the columns a digest covers (sorted)."""

    name: str
    key: str
    integer_key: bool
    columns: tuple[str, ...]

    def key_text(self, value: Any) -> str:
        """The stored key: integers zero-padded, so text order is numeric order."""
        return f"{int(value):020d}" if self.integer_key else str(value)

    def shown_key(self, key: str) -> str:
        return str(int(key)) if self.integer_key else key

    def key_value(self, key: str) -> Any:
        return int(key) if self.integer_key else key


@lru_cache(maxsize=1)
def _audited() -> dict[str, AuditedTable]:
    from truceline.db.base import Base
    from truceline.db.models_registry import import_all_models

    import_all_models()
    found: dict[str, AuditedTable] = {}
    for mapped in Base.metadata.sorted_tables:
        if mapped.name in NOT_AUDITED or len(mapped.primary_key.columns) != 1:
            continue
        key = next(iter(mapped.primary_key.columns))
        found[mapped.name] = AuditedTable(
            name=mapped.name,
            key=key.name,
            integer_key=isinstance(key.type, Integer),
            columns=tuple(sorted(c.name for c in mapped.columns)),
        )
    return found


def audited_tables() -> list[AuditedTable]:
    """Every audited table, in name order (every mapped table not in ``NOT_AUDITED``)."""
    return [found for _, found in sorted(_audited().items())]


def audited_table(name: str) -> AuditedTable | None:
    return _audited().get(name)


def _plain(value: Any) -> Any:
    """JSON for what the driver returns beyond JSON's types (called by the encoder only for those)."""
    if isinstance(value, datetime):
        return (value.astimezone(UTC) if value.tzinfo else value).isoformat()
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).hex()
    return str(value)  # Decimal, date, time, UUID


#: Canonical JSON: keys of nested objects sorted, no spaces, UTF-8 kept (the C encoder).
_ENCODER = json.JSONEncoder(
    separators=(",", ":"), ensure_ascii=False, sort_keys=True, default=_plain
)


def row_digest(values: Sequence[Any]) -> str:
    """SHA-256 hex of the canonical JSON array of a row's values, in its schema's column order.

    The column names are not repeated in every digest: the schema (sorted
    column names) fixes which value is where, and a schema changed afterwards
    selects other values, so the digest no longer matches.
    """
    return hashlib.sha256(_ENCODER.encode(list(values)).encode()).hexdigest()


def raw_select(audited: AuditedTable, columns: Sequence[str] | None = None) -> Any:
    """SELECT of raw column values (no type processing), the same for recording and checking."""
    names = columns or audited.columns
    source = table(audited.name, *(column(name) for name in {*names, audited.key}))
    return select(*(source.c[name] for name in names)), source


def note_written(session: Session, table_name: str, keys: Iterable[Any]) -> None:
    """Mark rows written (or deleted) in this transaction; their digests are taken at commit."""
    audited = audited_table(table_name)
    texts = {audited.key_text(key) for key in keys} if audited is not None else set()
    if texts:
        pending: dict[str, set[str]] = session.info.setdefault(PENDING, {})
        pending.setdefault(table_name, set()).update(texts)


def commitment(records: Sequence[Sequence[Any]]) -> str | None:
    """The ``after_hash`` of an ``audit.state`` entry: over [table, key, schema, digest], sorted."""
    return content_hash({"digests": sorted(list(record) for record in records)})


def record_pending(session: Session) -> None:
    """Digest every row marked in this transaction and commit to the digests in the log.

    Called at the outermost commit: the rows are read (before the log's turn is taken),
    the ``audit.state`` entry is appended, and its digests are written in the same turn
    as the transaction's entries (``log.commit_pending``: on PostgreSQL, with the commit).
    """
    pending: dict[str, set[str]] = session.info.pop(PENDING, {})
    if not pending:
        return
    connection = session.connection()
    records: list[list[Any]] = []
    for name in sorted(pending):
        audited = _audited()[name]
        schema_id = schema_for(session, audited)
        found = dict(_digests_now(connection, audited, sorted(pending[name])))
        records.extend([name, key, schema_id, found.get(key)] for key in sorted(pending[name]))
    actor: Actor = session.info.get(ACTOR, SYSTEM)
    append_entry(
        session,
        actor=actor,
        action=ACTION,
        object_type="state",
        object_id=str(len(records)),
        after={"digests": sorted(records)},
    )
    rows = [(t, k, s, d) for t, k, s, d in records]
    commit_pending(session, then=[FollowUp(_digests_insert(connection.dialect), rows)])


@lru_cache(maxsize=8)
def _digests_insert(dialect: Dialect) -> str:
    """The digests' INSERT, numbered with the ``audit.state`` entry: the newest entry once the
    transaction's entries are written, since the log's turn is held until the commit."""
    marker = placeholder(dialect)
    newest = "(SELECT max(seq) FROM audit_entries)"
    columns = "table_name, row_key, seq, schema_id, digest"
    values = f"{marker}, {marker}, {newest}, {marker}, {marker}"
    return f"INSERT INTO audit_state_digests ({columns}) VALUES ({values})"  # noqa: S608


def _digests_now(
    connection: Connection, audited: AuditedTable, keys: list[str]
) -> Iterator[tuple[str, str]]:
    """(key, digest) of the rows of ``audited`` with ``keys``, as the database returns them.

    The SELECT is the driver's own SQL, prepared once a table: at every commit that writes
    audited rows, building and compiling a statement cost more than reading the rows. The
    values are the driver's, exactly as ``raw_select`` (used by the checks) returns them.
    """
    key_index = audited.columns.index(audited.key)
    for start in range(0, len(keys), READ_CHUNK):
        values = [audited.key_value(key) for key in keys[start : start + READ_CHUNK]]
        sql, parameters = _rows_by_key(connection.dialect, audited, values)
        for row in connection.exec_driver_sql(sql, parameters):
            yield audited.key_text(row[key_index]), row_digest(row)


def _rows_by_key(
    dialect: Dialect, audited: AuditedTable, values: list[Any]
) -> tuple[str, tuple[Any, ...]]:
    if dialect.name == "postgresql":
        return _select_by_key(dialect, audited, 0), (values,)
    return _select_by_key(dialect, audited, len(values)), tuple(values)


@lru_cache(maxsize=1024)
def _select_by_key(dialect: Dialect, audited: AuditedTable, count: int) -> str:
    """``SELECT`` of every column of ``audited`` for some keys: ``= ANY`` of one array
    parameter on PostgreSQL (``count`` 0), ``IN`` with ``count`` markers elsewhere."""
    quote = dialect.identifier_preparer.quote
    columns = ", ".join(quote(name) for name in audited.columns)
    key = quote(audited.key)
    marker = placeholder(dialect)
    wanted = f"= ANY({marker})" if count == 0 else f"IN ({', '.join([marker] * count)})"
    return f"SELECT {columns} FROM {quote(audited.name)} WHERE {key} {wanted}"  # noqa: S608


_SCHEMA_IDS = "truceline.audit.state.schema_ids"


def schema_for(session: Session, audited: AuditedTable) -> int:
    """The id of the (table, columns) schema of new digests, created on first use.

    A committed schema row never changes (the table is append-only), so its id is
    remembered on the database connection (``Connection.info`` lives as long as the
    connection, which belongs to one database): every commit writing audited rows
    would otherwise ask again, once per table. An id created in this transaction is not
    remembered, since the transaction may still roll back.
    """
    columns = ",".join(audited.columns)
    # On the connection (Core): the ORM's per-statement hooks (does this read the log, while the
    # commit's entries wait to be written?) have nothing to do with this table.
    connection = session.connection()
    known: dict[tuple[str, str], int] = connection.info.setdefault(_SCHEMA_IDS, {})
    cached = known.get((audited.name, columns))
    if cached is not None:
        return cached
    query = select(AuditStateSchema.id).where(
        AuditStateSchema.table_name == audited.name, AuditStateSchema.columns == columns
    )
    found = connection.execute(query).scalar()
    if found is None:
        # Creating it: take the log writers' turn first and look again, so that two commits
        # writing a table's first digests at once do not both create its schema.
        take_turn(session)
        found = connection.execute(query).scalar()
    if found is not None:
        known[(audited.name, columns)] = int(found)
        return int(found)
    statement = (
        insert(AuditStateSchema)
        .values(table_name=audited.name, columns=columns)
        .returning(AuditStateSchema.id)
    )
    return int(connection.execute(statement).scalar_one())
