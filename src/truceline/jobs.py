"""Background jobs of ``truceline serve``, run by exactly one worker at a time.

Every worker process starts a ``JobRunner`` thread; the runners elect one leader
through the database and only the leader runs the jobs:

- on PostgreSQL the leader holds a session-level advisory lock
  (``pg_try_advisory_lock``) on a connection it keeps open; if the process dies the
  server drops the connection and the lock with it;
- on SQLite the leader holds the ``worker_leases`` row ``jobs`` and renews it on
  every tick; a crashed leader's lease expires after ``LEASE_TTL`` and another
  worker takes over.

The jobs are the periodic ones: signing an audit checkpoint when entries are not
yet covered and a log key is available; draining the notification outbox (whose
claims are themselves safe across processes); re-checking the cooling-off clocks
against stored incidents; forgetting idle rate-limit buckets.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import Connection, Engine, func, select

from truceline.config import Settings, get_settings
from truceline.db.engine import is_postgres, transaction
from truceline.db.leases import release_lease, take_lease

log = logging.getLogger("truceline.jobs")

#: Key of the PostgreSQL advisory lock held by the leader (distinct from the audit locks).
LEADER_LOCK = 6964
LEASE_NAME = "jobs"
LEASE_TTL = timedelta(seconds=30)


class Leadership:
    """Whether this process leads; ``hold()`` takes or keeps it and says whether it is ours."""

    def __init__(self, engine: Engine, holder: str) -> None:
        self.engine = engine
        self.holder = holder
        self._conn: Connection | None = None

    def hold(self) -> bool:
        try:
            return self._hold_lock() if is_postgres(self.engine) else self._hold_lease()
        except Exception:  # noqa: BLE001 - a lost connection means we do not lead now
            log.exception("leader election failed; trying again on the next tick")
            self._drop_connection()
            return False

    def _hold_lock(self) -> bool:
        if self._conn is not None:
            self._conn.execute(select(1))  # still connected, so still holding the lock
            return True
        conn = self.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        if conn.execute(select(func.pg_try_advisory_lock(LEADER_LOCK))).scalar_one():
            self._conn = conn
            return True
        conn.close()
        return False

    def _hold_lease(self) -> bool:
        with self.engine.begin() as conn:
            return take_lease(conn, LEASE_NAME, self.holder, LEASE_TTL)

    def release(self) -> None:
        if is_postgres(self.engine):
            if self._conn is not None:
                try:  # at once: the server drops a closed session's locks only a moment later
                    self._conn.execute(select(func.pg_advisory_unlock(LEADER_LOCK)))
                except Exception:  # noqa: BLE001 - closing the connection releases it anyway
                    log.debug("unlocking the leader lock failed", exc_info=True)
            self._drop_connection()
            return
        try:
            with self.engine.begin() as conn:
                release_lease(conn, LEASE_NAME, self.holder)
        except Exception:  # noqa: BLE001 - the lease expires by itself anyway
            log.exception("could not release the jobs lease")

    def _drop_connection(self) -> None:
        """Close the leader's connection for good (not back to the pool, which would keep the lock)."""
        conn, self._conn = self._conn, None
        if conn is not None:
            try:
                conn.invalidate()
                conn.close()
            except Exception:  # noqa: BLE001
                log.debug("closing the leader connection failed", exc_info=True)


@dataclass
class Job:
    """A job and how often it runs; ``last`` is when it last ran (monotonic seconds)."""

    name: str
    every: float
    run: Callable[[Engine, Settings], object]
    last: float = field(default=-1e18)


def sign_checkpoint_if_uncovered(engine: Engine, settings: Settings) -> object:
    """Sign a checkpoint when entries are not yet covered by one and a log key is valid now."""
    from truceline.audit.checkpoints import create_checkpoint
    from truceline.audit.keys import KeyFileError, signing_keys_at
    from truceline.audit.tree import integrated_size, log_size
    from truceline.db.base import utcnow

    keys_dir = settings.resolved_keys_dir
    try:
        signing_keys_at(keys_dir, utcnow())
    except KeyFileError:
        return None  # no log key here: checkpoints are signed wherever the key is
    with transaction(engine) as session:
        if log_size(session) <= integrated_size(session):
            return None
        return create_checkpoint(session, keys_dir=keys_dir, origin=settings.checkpoint_origin)


def drain_outbox(engine: Engine, settings: Settings) -> object:
    from truceline.warning.outbox import deliver_due

    return deliver_due(engine, settings=settings)


def scan_clocks(engine: Engine, _settings: Settings) -> object:
    from truceline.warning.services import scan_breaches

    with transaction(engine) as session:
        return scan_breaches(session)


def sweep_rate_limits(engine: Engine, _settings: Settings) -> object:
    from truceline.accounts.ratelimit import forget_idle_buckets

    return forget_idle_buckets(engine)


def default_jobs(settings: Settings) -> list[Job]:
    return [
        Job("audit-checkpoint", settings.checkpoint_interval_seconds, sign_checkpoint_if_uncovered),
        Job("outbox", settings.outbox_interval_seconds, drain_outbox),
        Job("cooling-off-scan", settings.clock_scan_interval_seconds, scan_clocks),
        Job("rate-limit-sweep", 300.0, sweep_rate_limits),
    ]


class JobRunner:
    """A daemon thread: every ``tick`` seconds, hold leadership and run the jobs that are due."""

    def __init__(
        self, engine: Engine, jobs: list[Job], *, tick: float = 2.0, holder: str | None = None
    ) -> None:
        self.jobs = jobs
        self.tick = tick
        holder = holder or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self.leadership = Leadership(engine, holder)
        self.engine = engine
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="truceline-jobs", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._thread.join(timeout)

    def _loop(self) -> None:
        settings = get_settings()
        try:
            while not self._stop.is_set():
                if self.leadership.hold():
                    self.run_due(settings)
                self._stop.wait(self.tick)
        finally:
            self.leadership.release()

    def run_due(self, settings: Settings) -> None:
        """Run each job whose interval has passed; one failing job does not stop the others."""
        for job in self.jobs:
            now = time.monotonic()
            if now - job.last < job.every or self._stop.is_set():
                continue
            job.last = now
            try:
                job.run(self.engine, settings)
            except Exception:  # noqa: BLE001 - logged; the job runs again next interval
                log.exception("background job %s failed", job.name)
