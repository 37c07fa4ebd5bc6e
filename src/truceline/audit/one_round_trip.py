"""Appending to the log and committing, on PostgreSQL, in one round trip (psycopg's pipeline).

Appenders take turns on a transaction lock that is held until COMMIT (see
``log.take_turn``): the log's numbers must have no gaps, so no appender may
number its entries before the one ahead of it has committed. Sent one at a time,
the lock, the INSERTs and the COMMIT each wait for the worker to get a CPU and
the interpreter lock back before the next goes out; under load that wait, not
the server's work, was how long the lock was held, and every other appender
queued behind it. Here they are queued on the connection and sent together; the
server runs them back to back, so the lock is held only for the server's own
work. A failure anywhere aborts the transaction (psycopg skips the rest of the
pipeline) and is raised as SQLAlchemy raises a driver error, so callers (the
web retry of a lost race, the error pages) treat it as any failed commit.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection
from sqlalchemy.exc import DBAPIError

if TYPE_CHECKING:
    from truceline.audit.log import FollowUp


def can_commit_in_one_round_trip(connection: Connection) -> bool:
    """True on PostgreSQL through psycopg 3, whose connections have a pipeline mode."""
    if connection.dialect.name != "postgresql":
        return False
    return hasattr(connection.connection.driver_connection, "pipeline")


def commit_in_one_round_trip(
    connection: Connection,
    *,
    lock: int | None,
    statements: Sequence[tuple[str, tuple[Any, ...]]],
    then: Sequence[FollowUp],
) -> list[list[int]]:
    """Take ``lock`` (unless None: already held), run ``statements`` (each returning one integer a row), run every
    follow-up once per row, and COMMIT the connection's transaction; returns the
    integers each statement returned. Nothing reaches the database unless all of it does.
    """
    raw: Any = connection.connection.driver_connection
    dialect = connection.dialect
    try:
        with raw.pipeline():
            if lock is not None:
                raw.execute("SELECT pg_advisory_xact_lock(%s)", (lock,))
            cursors = []
            for sql, parameters in statements:
                cursor = raw.cursor()
                cursor.execute(sql, parameters)
                cursors.append(cursor)
            for follow in then:
                if follow.rows:
                    raw.cursor().executemany(follow.sql, list(follow.rows))
            raw.commit()
        return [[int(row[0]) for row in cursor.fetchall()] for cursor in cursors]
    except dialect.loaded_dbapi.Error as error:
        raise DBAPIError.instance(
            "audit log: append and commit", None, error, dialect.loaded_dbapi.Error, dialect=dialect
        ) from error
