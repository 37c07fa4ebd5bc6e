"""On SQLite, writers take turns in order rather than all polling the database.

SQLite lets one connection write at a time; the others poll (the busy handler
sleeps up to 100 ms between tries). Under load that leaves the lock idle between
writers, burns CPU in every waiting thread, and is unfair: a process whose
threads hand the lock to one another starves another process's poller, so
some requests wait many times longer than the rest.

``WriterQueue`` makes a connection take a writer turn before the first
INSERT/UPDATE/DELETE of its transaction, and give it back when the transaction
ends:

- within a process, threads queue on a Python lock (the wait is bounded by the
  busy timeout, then fails as SQLite would, "database is locked", which the web
  layer retries);
- across processes (``serve --workers N`` on one file), the thread at the head
  of each process's queue takes two file locks beside the database, a turnstile
  and then the writer lock, and lets go of the turnstile once it holds the
  writer lock. A process that just wrote must pass the turnstile again, behind
  any process already waiting, so the processes alternate when both have work.

The kernel releases file locks of a process that dies. Other programs writing
to the same file (the command line) still meet SQLite's own busy timeout.
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
import threading
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event

_HOLDS_WRITER = "truceline_holds_writer_lock"
WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")


class WriterQueue:
    """The writer turns of one engine (one process) on one SQLite file."""

    def __init__(self, timeout: float, database: Path | None = None) -> None:
        self.timeout = timeout
        self.lock = threading.Lock()
        self.database = database
        self._files: tuple[int, int] | None = None

    def install(self, engine: Engine) -> None:
        event.listen(engine, "before_cursor_execute", self._before_execute)
        event.listen(engine, "commit", self._release)
        event.listen(engine, "rollback", self._release)
        event.listen(engine.pool, "checkin", self._checkin)

    def _before_execute(self, conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if conn.info.get(_HOLDS_WRITER) or not statement.lstrip().upper().startswith(WRITES):
            return
        if not self.lock.acquire(timeout=self.timeout):
            raise sqlite3.OperationalError("database is locked (waited for the other writers)")
        try:
            self._take_file_lock()
        except BaseException:
            self.lock.release()
            raise
        conn.info[_HOLDS_WRITER] = True

    def _release(self, conn: Any) -> None:
        if conn.info.pop(_HOLDS_WRITER, False):
            self._give_back()

    def _checkin(self, _dbapi_connection: Any, record: Any) -> None:
        if record.info.pop(_HOLDS_WRITER, False):  # a connection given back mid-transaction
            self._give_back()

    def _give_back(self) -> None:
        if self._files is not None:
            fcntl.flock(self._files[1], fcntl.LOCK_UN)
        self.lock.release()

    def _take_file_lock(self) -> None:
        files = self._open_files()
        if files is None:
            return
        turnstile, writer = files
        fcntl.flock(turnstile, fcntl.LOCK_EX)
        try:
            fcntl.flock(writer, fcntl.LOCK_EX)
        finally:
            fcntl.flock(turnstile, fcntl.LOCK_UN)

    def _open_files(self) -> tuple[int, int] | None:
        if self.database is None:
            return None
        if self._files is None or self._files_pid != os.getpid():
            base = str(self.database)
            flags = os.O_RDWR | os.O_CREAT
            self._files = (
                os.open(f"{base}.turnstile", flags, 0o600),
                os.open(f"{base}.writer", flags, 0o600),
            )
            self._files_pid = os.getpid()
        return self._files

    _files_pid = -1
