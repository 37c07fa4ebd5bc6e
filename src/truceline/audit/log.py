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

from collections.abc import Callable
from functools import lru_cache
from typing import Any, TypeVar, cast

from sqlalchemy import Table, bindparam, event, func, insert, select
from sqlalchemy.orm import ORMExecuteState, Session, SessionTransaction
from sqlalchemy.sql.elements import ClauseElement
from sqlalchemy.sql.util import find_tables

from truceline.audit.actor import Actor
from truceline.audit.hashing import canonical_json, content_hash, leaf_hash
from truceline.audit.models import AuditEntry
from truceline.db.base import utcnow


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
    entry = AuditEntry(**values)
    session.info["truceline.audit.actor"] = actor  # the state digests of this commit name them too
    if not session.in_transaction():
        # The entry is written at commit; a session that has run no statement yet has no
        # transaction, and one that ends without any would drop the entry unwritten.
        session.begin()
    owner = session.get_nested_transaction() or session.get_transaction()
    session.info.setdefault(_PENDING, []).append((entry, values, owner))
    return entry


_PENDING = "truceline_audit_pending"


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


def write_pending(session: Session) -> None:
    """Write the entries recorded in ``session`` and not yet written, in order, in one INSERT.

    Row ``i`` takes the next sequence number plus ``i``: every row's subquery sees the log
    as it was before the statement (the statement's snapshot on PostgreSQL; SQLite
    evaluates the uncorrelated subquery once), and the writers' turn is held, so the
    numbers are consecutive; the primary key makes any clash fail, never fork. One
    statement instead of one per entry: a submission writes three.
    """
    pending = session.info.pop(_PENDING, None)
    if not pending:
        return
    take_turn(session)
    # On the session's connection, not through the ORM: the ORM's per-statement events
    # (which look for reads of the log) have nothing to do here.
    connection = session.connection()
    if len(pending) == 1:
        entry, values, _owner = pending[0]
        entry.seq = connection.execute(_INSERT, values).scalar_one()
        return
    for start in range(0, len(pending), _ROWS_PER_INSERT):
        chunk = pending[start : start + _ROWS_PER_INSERT]
        bound = {f"{name}_{row}": value for row, (_e, values, _o) in enumerate(chunk)
                 for name, value in values.items()}  # fmt: skip
        first = min(connection.execute(_insert_rows(len(chunk)), bound).scalars())
        for offset, (entry, _values, _owner) in enumerate(chunk):
            entry.seq = first + offset


#: 11 values an entry: 80 entries stay under SQLite's oldest limit of 999 parameters, and a
#: commit of many entries is written in statements of this size, in order.
_ROWS_PER_INSERT = 80


@event.listens_for(Session, "before_commit")
def _write_at_commit(session: Session) -> None:
    if not session.in_nested_transaction():  # a savepoint's entries wait for the real commit
        write_pending(session)


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

#: The next sequence number, computed inside the INSERT (the primary key index makes it O(log n)).
_NEXT_SEQ = select(func.coalesce(func.max(AuditEntry.seq) + 1, 0)).scalar_subquery()

#: Built once, so that appending compiles nothing (column values are bound per call).
_INSERT = insert(_ENTRIES).values(seq=_NEXT_SEQ).returning(_ENTRIES.c.seq)
_COLUMNS = tuple(c.name for c in _ENTRIES.columns if c.name != "seq")


@lru_cache(maxsize=16)
def _insert_rows(count: int) -> Any:
    """One INSERT of ``count`` entries, row ``i`` numbered next + ``i``; built once per count
    (its values are bound per call as ``<column>_<row>``), so it compiles once."""
    rows = [
        {"seq": _NEXT_SEQ + row, **{name: bindparam(f"{name}_{row}") for name in _COLUMNS}}
        for row in range(count)
    ]
    return insert(_ENTRIES).values(rows).returning(_ENTRIES.c.seq)


def take_turn(session: Session) -> None:
    """On PostgreSQL, hold a transaction lock so concurrent appenders take turns (no gaps, no forks).

    Taken once per transaction (it is held until the commit; one taken inside a savepoint
    is not remembered, as rolling the savepoint back releases it). SQLite already serialises writers; on both,
    the primary key makes a clash fail, never fork.
    """
    if session.get_bind().dialect.name != "postgresql":
        return
    transaction = session.get_transaction()
    if session.info.get(_LOCKED) is transaction:
        return
    session.execute(select(func.pg_advisory_xact_lock(6962)))
    if not session.in_nested_transaction():  # a lock taken in a savepoint goes if it rolls back
        session.info[_LOCKED] = transaction


_LOCKED = "truceline_audit_locked_in"


@event.listens_for(Session, "after_transaction_end")
def _forget_lock(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None and session.info.get(_LOCKED) is transaction:
        del session.info[_LOCKED]
