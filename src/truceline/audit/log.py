"""Appending entries to the audit log.

An entry is recorded in the caller's transaction but written when that
transaction commits (or earlier, when the same transaction reads the log). The
sequence number must be gapless, so on PostgreSQL writers take turns on a
transaction lock: taking that turn at the commit rather than at the first
change means a request holds it for a few inserts and the commit, not for
the rest of its work (linking, notices, ...), which used to serialise every
write request behind the slowest one. Entries recorded inside a savepoint that
is rolled back are dropped with it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, TypeVar, cast

from sqlalchemy import Dialect, Engine, Table, event, func, select
from sqlalchemy.orm import ORMExecuteState, Session, SessionTransaction, configure_mappers
from sqlalchemy.orm.instrumentation import manager_of_class
from sqlalchemy.sql.elements import ClauseElement
from sqlalchemy.sql.util import find_tables

from truceline.audit.actor import Actor
from truceline.audit.hashing import canonical_json, content_hash, leaf_hash
from truceline.audit.models import AuditEntry
from truceline.audit.one_round_trip import can_commit_in_one_round_trip, commit_in_one_round_trip
from truceline.db.base import utcnow

#: The PostgreSQL transaction lock that appenders take turns on (see ``take_turn``).
APPEND_LOCK = 6962


@dataclass(frozen=True)
class FollowUp:
    """A statement written right after a transaction's entries, in the same turn: driver SQL
    (the dialect's placeholders, ``placeholder``) run once per row of ``rows``."""

    sql: str
    rows: Sequence[tuple[Any, ...]]


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
    entry is written at commit (see the module docstring) with one INSERT that
    takes the next sequence number in the database (plus, on PostgreSQL, a
    transaction lock so that numbers have no gaps), so appending costs one
    statement and no scan. ``seq`` of the returned entry is set once written.
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
    entry = _entry_of(values)
    session.info["truceline.audit.actor"] = actor  # the state digests of this commit name them too
    if not session.in_transaction():
        # The entry is written at commit; a session that has run no statement yet has no
        # transaction, and one that ends without any would drop the entry unwritten.
        session.begin()
    owner = session.get_nested_transaction() or session.get_transaction()
    session.info.setdefault(_PENDING, []).append((entry, values, owner))
    return entry


_PENDING = "truceline_audit_pending"


def _entry_of(values: dict[str, Any]) -> AuditEntry:
    """The entry as an object for the caller, built the way the ORM builds loaded rows.

    It is never added to a session (the entry is written with its own INSERT), so the
    attribute events that ``AuditEntry(**values)`` fires per column have nothing to
    record; skipping them is most of what an append costs in Python.
    """
    if _MANAGER.registry._new_mappers:  # noqa: SLF001 (as the ORM's constructor checks first)
        configure_mappers()
    entry: AuditEntry = _MANAGER.new_instance()
    entry.__dict__.update(values)
    return entry


Row = TypeVar("Row")


def add_logged(
    session: Session,
    row: Row,
    *,
    actor: Actor,
    action: str,
    object_type: str,
    object_id: str | int | Callable[[Row], str | int] | None = None,
    before: Any = None,
    after: Any = None,
) -> Row:
    """Add a new row and log its creation, in the caller's transaction: the one way to do it.

    The row is flushed first, so that its id exists; ``object_id`` defaults to
    that id. ``object_id``, ``before`` and ``after`` may be functions of the
    flushed row (``after=case_snapshot``), for snapshots that need what the
    flush assigns.
    """
    session.add(row)
    session.flush()
    if object_id is None:
        object_id = cast(int, getattr(row, "id"))  # noqa: B009 (every audited model has an id)
    append_entry(
        session,
        actor=actor,
        action=action,
        object_type=object_type,
        object_id=object_id(row) if callable(object_id) else object_id,
        before=before(row) if callable(before) else before,
        after=after(row) if callable(after) else after,
    )
    return row


def write_pending(session: Session, *, then: Sequence[FollowUp] = ()) -> None:
    """Write the entries recorded in ``session`` and not yet written, in order, then ``then``."""
    pending = session.info.pop(_PENDING, None) or []
    if not pending and not then:
        return
    take_turn(session)
    # On the session's connection, as the driver's own SQL: the ORM's per-statement events
    # (which look for reads of the log) have nothing to do here, and a Core statement's
    # per-call work (cache look-up, parameter processing, result set-up) cost more than the
    # INSERT itself. The engine's events (SQLite's writer turns) still see the statement.
    connection = session.connection()
    for chunk, (statement, parameters) in _entry_inserts(connection.dialect, pending):
        _number(chunk, list(connection.exec_driver_sql(statement, parameters).scalars()))
    for follow in then:
        if follow.rows:
            connection.exec_driver_sql(follow.sql, list(follow.rows))


def commit_pending(session: Session, *, then: Sequence[FollowUp] = ()) -> None:
    """At the outermost commit: write the pending entries and ``then``; on PostgreSQL, commit.

    The append lock is held from the first of these statements until the commit, and every
    appender waits for it, so the time it is held is the log's throughput. Sent one by one,
    each statement waits for this process to be given the CPU again before the next is
    sent, which on a busy server is most of that time. On PostgreSQL (psycopg) the lock,
    the entries, ``then`` and the COMMIT therefore go to the server together, in one round
    trip (``one_round_trip``): the lock is then held only while the server runs them. The
    session's own commit, which follows, finds nothing left to do. Elsewhere (SQLite, a
    session with unflushed changes, one joined to a caller's connection) they are written
    here and the session commits as usual.
    """
    if not session.info.get(_PENDING) and not then:
        return
    connection = session.connection()
    if not _owns_its_commit(session) or not can_commit_in_one_round_trip(connection):
        write_pending(session, then=then)
        return
    pending = session.info.pop(_PENDING, None) or []
    inserts = _entry_inserts(connection.dialect, pending)
    held = session.info.get(_LOCKED) is session.get_transaction()  # e.g. to create a schema
    numbers = commit_in_one_round_trip(
        connection,
        lock=None if held else APPEND_LOCK,
        statements=[insert for _, insert in inserts],
        then=then,
    )
    for (chunk, _), seqs in zip(inserts, numbers, strict=True):
        _number(chunk, seqs)


def _owns_its_commit(session: Session) -> bool:
    """The session's commit is the database's (bound to an engine, not joined to a caller's
    connection and its transaction) and it has nothing left to flush."""
    if not isinstance(session.get_bind(), Engine):
        return False
    return not (session.new or session.dirty or session.deleted)


def _entry_inserts(
    dialect: Dialect, pending: list[Any]
) -> list[tuple[list[Any], tuple[str, tuple[Any, ...]]]]:
    """The INSERTs writing ``pending`` entries, in chunks: (chunk, (driver SQL, parameters))."""
    inserts = []
    for start in range(0, len(pending), _ROWS_PER_INSERT):
        chunk = pending[start : start + _ROWS_PER_INSERT]
        statement, stamp = _driver_insert(dialect, len(chunk))
        parameters: list[Any] = []
        for _entry, values, _owner in chunk:
            parameters += (stamp(values["recorded_at"]), *(values[name] for name in _COLUMNS[1:]))
        inserts.append((chunk, (statement, tuple(parameters))))
    return inserts


def _number(chunk: list[Any], seqs: list[int]) -> None:
    """Give the entries of ``chunk`` the sequence numbers their INSERT returned (consecutive)."""
    first = min(seqs)
    for offset, (entry, _values, _owner) in enumerate(chunk):
        entry.seq = first + offset


@event.listens_for(Session, "before_commit")
def _write_at_commit(session: Session) -> None:
    if not session.in_nested_transaction():  # a savepoint's entries wait for the real commit
        commit_pending(session)


@event.listens_for(Session, "after_soft_rollback")
def _drop_rolled_back(session: Session, rolled_back: SessionTransaction) -> None:
    pending = session.info.get(_PENDING)
    if pending:
        kept = [item for item in pending if not _within(item[2], rolled_back)]
        session.info[_PENDING] = kept


def _within(owner: SessionTransaction | None, rolled_back: SessionTransaction) -> bool:
    while owner is not None:
        if owner is rolled_back:
            return True
        owner = owner.parent
    return False


@event.listens_for(Session, "do_orm_execute")
def _write_before_reading_the_log(state: ORMExecuteState) -> None:
    """A transaction that reads the log sees its own entries, as if written at once."""
    statement = cast(ClauseElement, state.statement)
    if state.session.info.get(_PENDING) and _ENTRIES in find_tables(statement, include_crud=True):
        write_pending(state.session)


_ENTRIES = cast(Table, AuditEntry.__table__)
_MANAGER = manager_of_class(AuditEntry)

#: The columns an entry is written with, ``recorded_at`` first (``seq`` comes from the database).
_COLUMNS = ("recorded_at", "actor", "role", "party", "action", "object_type", "object_id",
            "before_hash", "after_hash", "canonical", "leaf_hash")  # fmt: skip


#: 11 values an entry: 80 entries stay under SQLite's oldest limit of 999 parameters.
_ROWS_PER_INSERT = 80


@lru_cache(maxsize=64)
def _driver_insert(dialect: Dialect, rows: int) -> tuple[str, Callable[[Any], Any]]:
    """The INSERT of ``rows`` entries in the driver's SQL, and the instant's conversion for it.

    The entries are numbered from the next free sequence number, read once inside
    the statement from the primary key index (no ``max(seq)`` round trip, no scan),
    in the order given (SQLite runs an INSERT whose SELECT reads the same table
    from a copy made first, so the statement does not see its own rows).
    Parameters are positional: each entry's values in the order of ``_COLUMNS``.
    """
    marker = placeholder(dialect)
    names = ", ".join(_COLUMNS)
    if rows == 1:
        sql = (
            f"INSERT INTO audit_entries (seq, {names}) VALUES"  # noqa: S608 (constants)
            " ((SELECT coalesce(max(seq) + 1, 0) FROM audit_entries),"
            f" {', '.join(marker for _ in _COLUMNS)}) RETURNING seq"
        )
    else:
        # A VALUES list names its columns column1, column2, ... on both back ends.
        tuples = ", ".join(f"({k}, {', '.join(marker for _ in _COLUMNS)})" for k in range(rows))
        values = ", ".join(f"column{i + 2}" for i in range(len(_COLUMNS)))
        sql = (
            f"INSERT INTO audit_entries (seq, {names})"  # noqa: S608 (constants)
            " SELECT (SELECT coalesce(max(seq) + 1, 0) FROM audit_entries) + column1,"
            f" {values} FROM (VALUES {tuples}) AS new_entries ORDER BY column1 RETURNING seq"
        )
    column_type = _ENTRIES.c.recorded_at.type
    convert = column_type.dialect_impl(dialect).bind_processor(dialect)
    return sql, convert or _unchanged


def _unchanged(value: Any) -> Any:
    return value


def placeholder(dialect: Dialect) -> str:
    """The driver's positional parameter marker, for driver SQL (``?`` or ``%s``)."""
    marker = {"qmark": "?", "format": "%s", "pyformat": "%s"}.get(dialect.paramstyle)
    if marker is None:
        raise RuntimeError(f"audit log: unsupported paramstyle {dialect.paramstyle}")
    return marker


def take_turn(session: Session) -> None:
    """On PostgreSQL, hold a transaction lock so concurrent appenders take turns (no gaps, no forks).

    Taken once per transaction (it is held until the commit; one taken inside a savepoint
    is not remembered, as rolling the savepoint back releases it). SQLite already
    serialises writers; on both, the primary key makes a clash fail, never fork.
    """
    if session.get_bind().dialect.name != "postgresql":
        return
    transaction = session.get_transaction()
    if session.info.get(_LOCKED) is transaction:
        return
    session.execute(select(func.pg_advisory_xact_lock(APPEND_LOCK)))
    if not session.in_nested_transaction():  # a lock taken in a savepoint goes if it rolls back
        session.info[_LOCKED] = transaction


_LOCKED = "truceline_audit_locked_in"


@event.listens_for(Session, "after_transaction_end")
def _forget_lock(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None and session.info.get(_LOCKED) is transaction:
        del session.info[_LOCKED]
