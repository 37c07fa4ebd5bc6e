"""Token buckets per key (client address or user name).

Each key may spend up to ``per_minute`` requests at once and regains them at
``per_minute`` per minute. ``SharedRateLimiter`` keeps the buckets in the
database (``rate_limit_buckets``), so that every ``serve`` worker spends from
the same budget; ``RateLimiter`` keeps them in the process (for a single
process, and as the reference the shared one behaves like).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import Engine, case, delete, insert, literal, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from truceline.accounts.models import RateBucket
from truceline.db.engine import autocommit

#: Buckets untouched for this long are forgotten, so memory stays bounded.
IDLE_SECONDS = 600.0


class TokenBucket(Protocol):
    """What the guards need: spend one token for ``key``; 0, or the seconds to wait for one."""

    def acquire(self, key: str) -> float: ...


@dataclass
class _Bucket:
    tokens: float
    updated: float


class RateLimiter:
    """``acquire(key)`` spends one token, returning 0 or the seconds to wait for one."""

    def __init__(self, *, per_minute: float, clock: Callable[[], float] = time.monotonic) -> None:
        if per_minute <= 0:
            raise ValueError("per_minute must be positive")
        self.capacity = max(1.0, per_minute)
        self.rate = per_minute / 60.0
        self.clock = clock
        self._buckets: dict[str, _Bucket] = {}
        self._lock = threading.Lock()
        self._last_sweep = clock()

    def acquire(self, key: str) -> float:
        with self._lock:
            now = self.clock()
            self._sweep(now)
            bucket = self._buckets.setdefault(key, _Bucket(self.capacity, now))
            bucket.tokens = min(self.capacity, bucket.tokens + (now - bucket.updated) * self.rate)
            bucket.updated = now
            if bucket.tokens >= 1.0:
                bucket.tokens -= 1.0
                return 0.0
            return (1.0 - bucket.tokens) / self.rate

    def _sweep(self, now: float) -> None:
        if now - self._last_sweep < IDLE_SECONDS:
            return
        self._last_sweep = now
        stale = [k for k, b in self._buckets.items() if now - b.updated > IDLE_SECONDS]
        for key in stale:
            del self._buckets[key]


class SharedRateLimiter:
    """The same buckets as ``RateLimiter``, stored in the database and shared by all processes.

    Spending a token is one conditional UPDATE that refills and spends in SQL, so
    two workers can never both spend the last token; a missing bucket is created
    full. ``acquire`` opens its own short transaction (the request guards run before
    the request's own unit of work, and a refused or failed request still spent its
    token, as with the in-process buckets); ``within(session)`` spends inside a route's
    transaction instead (the community channel, which decides on the message there).
    """

    def __init__(
        self,
        *,
        per_minute: float,
        engine: Callable[[], Engine],
        clock: Callable[[], float] = time.time,
        session: Session | None = None,
    ) -> None:
        if per_minute <= 0:
            raise ValueError("per_minute must be positive")
        self.per_minute = per_minute
        self.capacity = max(1.0, per_minute)
        self.rate = per_minute / 60.0
        self.engine = engine
        self.clock = clock
        self.session = session

    def within(self, session: Session) -> SharedRateLimiter:
        """The same buckets, spent inside ``session``'s transaction (for a route that has one)."""
        return SharedRateLimiter(
            per_minute=self.per_minute, engine=self.engine, clock=self.clock, session=session
        )

    def acquire(self, key: str) -> float:
        now = self.clock()
        if self.session is not None:
            return self._acquire(self.session.connection(), key, now, self.session.begin_nested)
        engine = self.engine()
        if engine.dialect.name == "postgresql":
            # Each statement is atomic by itself (the spend is one conditional UPDATE), so no
            # transaction is opened: two round trips fewer on every guarded request.
            with autocommit(engine).connect() as conn:
                return self._acquire(conn, key, now, nullcontext)
        with engine.begin() as conn:
            return self._acquire(conn, key, now, conn.begin_nested)

    def _acquire(self, conn: Any, key: str, now: float, savepoint: Callable[[], Any]) -> float:
        if conn.execute(self._spend(key, now)).rowcount == 1:
            return 0.0
        query = select(RateBucket.tokens, RateBucket.updated).where(RateBucket.key == key)
        row = conn.execute(query).first()
        if row is None and self._create(conn, key, now, savepoint):
            return 0.0
        row = row or conn.execute(query).one()
        return self._wait(row.tokens, now - row.updated)

    def _refilled(self, now: float) -> Any:
        grown = RateBucket.tokens + (literal(now) - RateBucket.updated) * self.rate
        return case((grown > self.capacity, literal(self.capacity)), else_=grown)

    def _spend(self, key: str, now: float) -> Any:
        refilled = self._refilled(now)
        return (
            update(RateBucket)
            .where(RateBucket.key == key, refilled >= 1.0)
            .values(tokens=refilled - 1.0, updated=now)
            .execution_options(synchronize_session=False)
        )

    def _create(self, conn: Any, key: str, now: float, savepoint: Callable[[], Any]) -> bool:
        try:
            with savepoint():
                conn.execute(
                    insert(RateBucket).values(key=key, tokens=self.capacity - 1.0, updated=now)
                )
        except IntegrityError:  # another worker created it first: spend from theirs
            return bool(conn.execute(self._spend(key, now)).rowcount == 1)
        return True

    def _wait(self, tokens: float, elapsed: float) -> float:
        available = min(self.capacity, tokens + max(0.0, elapsed) * self.rate)
        return 0.0 if available >= 1.0 else (1.0 - available) / self.rate


def forget_idle_buckets(engine: Engine, *, now: float | None = None) -> int:
    """Delete buckets untouched for ``IDLE_SECONDS`` (a full bucket is the same as none)."""
    cutoff = (now if now is not None else time.time()) - IDLE_SECONDS
    with engine.begin() as conn:
        return int(conn.execute(delete(RateBucket).where(RateBucket.updated < cutoff)).rowcount)
