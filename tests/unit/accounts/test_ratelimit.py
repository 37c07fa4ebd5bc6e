"""The token bucket: bursts up to capacity, then one request per 60/rate seconds.

The shared buckets (in the database) behave the same, whichever worker asks.
"""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, select

from truceline.accounts.models import RateBucket
from truceline.accounts.ratelimit import RateLimiter, SharedRateLimiter, forget_idle_buckets


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_burst_is_allowed_then_the_wait_is_reported() -> None:
    clock = Clock()
    limiter = RateLimiter(per_minute=3, clock=clock)
    assert [limiter.acquire("a") for _ in range(3)] == [0.0, 0.0, 0.0]
    assert limiter.acquire("a") == pytest.approx(20.0)
    clock.now += 20.0
    assert limiter.acquire("a") == 0.0


def test_keys_have_separate_buckets() -> None:
    limiter = RateLimiter(per_minute=1, clock=Clock())
    assert limiter.acquire("client:1") == 0.0
    assert limiter.acquire("client:1") > 0
    assert limiter.acquire("client:2") == 0.0


def test_idle_buckets_are_forgotten() -> None:
    clock = Clock()
    limiter = RateLimiter(per_minute=1, clock=clock)
    limiter.acquire("old")
    clock.now += 1200
    limiter.acquire("new")
    assert set(limiter._buckets) == {"new"}


def test_a_rate_must_be_positive() -> None:
    with pytest.raises(ValueError, match="positive"):
        RateLimiter(per_minute=0)


def test_shared_buckets_are_one_budget_for_every_worker(engine: Engine) -> None:
    clock = Clock()
    workers = [SharedRateLimiter(per_minute=3, engine=lambda: engine, clock=clock) for _ in "ab"]
    spent = [workers[n % 2].acquire("client:1") for n in range(3)]
    assert spent == [0.0, 0.0, 0.0]
    assert workers[1].acquire("client:1") == pytest.approx(20.0)
    assert workers[0].acquire("client:2") == 0.0
    clock.now += 20.0
    assert workers[0].acquire("client:1") == 0.0


def test_idle_shared_buckets_are_forgotten(engine: Engine) -> None:
    clock = Clock()
    limiter = SharedRateLimiter(per_minute=1, engine=lambda: engine, clock=clock)
    limiter.acquire("old")
    clock.now += 1200
    limiter.acquire("new")
    assert forget_idle_buckets(engine, now=clock.now) == 1
    with engine.connect() as conn:
        assert conn.execute(select(RateBucket.key)).scalars().all() == ["new"]
