"""A write that lost the race for the SQLite lock is run again, not answered 500."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from sqlalchemy.exc import OperationalError

from truceline.app import create_app
from truceline.audit.actor import SYSTEM
from truceline.audit.log import append_entry
from truceline.audit.models import AuditEntry
from truceline.db.engine import transaction
from truceline.http.deps import SessionDep
from truceline.http.retry import is_transient


def _real_lock_error(tmp_path: Path) -> OperationalError:
    """The error SQLite raises when another connection holds the write lock."""
    path = tmp_path / "locked.sqlite3"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("CREATE TABLE t (x)")
    holder.execute("BEGIN IMMEDIATE")
    other = sqlite3.connect(path, timeout=0)
    try:
        other.execute("INSERT INTO t VALUES (1)")
    except sqlite3.OperationalError as error:
        return OperationalError("INSERT INTO t VALUES (1)", {}, error)
    finally:
        holder.close()
        other.close()
    raise AssertionError("the database was not locked")


def test_a_locked_database_is_transient_and_other_errors_are_not(tmp_path: Path) -> None:
    assert is_transient(_real_lock_error(tmp_path))
    assert not is_transient(ValueError("database is locked"))


def test_the_whole_request_is_run_again_and_stored_once(
    sqlite_engine: Engine, tmp_path: Path
) -> None:
    app = create_app()
    lock_error = _real_lock_error(tmp_path)
    attempts: list[bytes] = []

    @app.post("/test-only/locked-once")
    def locked_once(session: SessionDep, body: dict[str, str]) -> dict[str, int]:
        attempts.append(body["token"].encode())
        append_entry(session, actor=SYSTEM, action="test.retry", object_type="x", object_id=9)
        if len(attempts) == 1:
            raise lock_error
        return {"attempts": len(attempts)}

    with TestClient(app) as client:
        answer = client.post("/test-only/locked-once", json={"token": "abc"})
    assert answer.status_code == 200
    assert answer.json() == {"attempts": 2}
    assert attempts == [b"abc", b"abc"]  # the body was replayed
    with transaction(sqlite_engine) as session:
        stored = session.scalars(select(AuditEntry).where(AuditEntry.action == "test.retry"))
        assert len(stored.all()) == 1


def test_a_database_that_stays_locked_answers_503_with_nothing_stored(
    sqlite_engine: Engine, tmp_path: Path
) -> None:
    app = create_app()
    lock_error = _real_lock_error(tmp_path)

    @app.post("/test-only/always-locked")
    def always_locked(session: SessionDep) -> None:
        append_entry(session, actor=SYSTEM, action="test.locked", object_type="x", object_id=9)
        raise lock_error

    with TestClient(app) as client:
        answer = client.post("/test-only/always-locked")
    assert answer.status_code == 503
    assert answer.headers["retry-after"]
    with transaction(sqlite_engine) as session:
        stored = session.scalars(select(AuditEntry).where(AuditEntry.action == "test.locked"))
        assert stored.all() == []
