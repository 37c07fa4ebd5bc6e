"""Session events that take state digests at every commit, for every audited model.

Registered once, on the ``Session`` class, when ``truceline.db.engine`` is
imported (every session of the application comes from there). ``after_flush``
notes the rows the flush inserted, updated or deleted; ORM bulk ``UPDATE`` and
``DELETE`` statements note the keys they are about to touch; ``before_commit``
(of the outermost transaction only) flushes, then ``state.record_pending``
digests the rows as stored and appends the ``audit.state`` entry. A rollback
forgets what was noted.
"""

from __future__ import annotations

from itertools import chain
from typing import Any

from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session, SessionTransaction
from sqlalchemy.orm.session import ORMExecuteState

from truceline.audit.state import ACTOR, PENDING, audited_table, note_written, record_pending


def _after_flush(session: Session, _context: Any) -> None:
    dirty = {id(obj) for obj in session.dirty}
    for obj in chain(session.new, session.dirty, session.deleted):
        name = getattr(getattr(obj, "__table__", None), "name", None)
        if name is None or audited_table(name) is None:
            continue
        if id(obj) in dirty and not session.is_modified(obj, include_collections=False):
            continue
        key = inspect(obj).mapper.primary_key_from_instance(obj)
        if key and key[0] is not None:
            note_written(session, name, [key[0]])


def _before_bulk_statement(state: ORMExecuteState) -> None:
    if not (state.is_update or state.is_delete):
        return
    statement: Any = state.statement
    name = getattr(statement.table, "name", None)
    audited = audited_table(name) if name else None
    if audited is None:
        return
    key = statement.table.c[audited.key]
    query = (
        select(key) if statement.whereclause is None else select(key).where(statement.whereclause)
    )
    note_written(state.session, audited.name, state.session.execute(query).scalars().all())


def _before_commit(session: Session) -> None:
    if session.in_nested_transaction():
        return
    session.flush()
    record_pending(session)


def _after_transaction_end(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:
        session.info.pop(PENDING, None)
        session.info.pop(ACTOR, None)


def register() -> None:
    """Listen on every session (idempotent)."""
    listeners = (
        ("after_flush", _after_flush),
        ("do_orm_execute", _before_bulk_statement),
        ("before_commit", _before_commit),
        ("after_transaction_end", _after_transaction_end),
    )
    for name, listener in listeners:
        if not event.contains(Session, name, listener):
            # Before the log's own commit-time write: the state entry then goes into the log in
            # the same statement as the entries the transaction appended (``log.write_pending``).
            event.listen(Session, name, listener, insert=name == "before_commit")
