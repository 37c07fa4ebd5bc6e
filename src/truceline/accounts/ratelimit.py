"""An in-process token bucket per key (client address or user name).

Each key may spend up to ``per_minute`` requests at once and regains them at
``per_minute`` per minute. State lives in the process: with several worker
processes each enforces its own budget, so the effective limit is multiplied
by the number of workers (documented in docs/accounts.md).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

#: Buckets untouched for this long are forgotten, so memory stays bounded.
IDLE_SECONDS = 600.0


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
