"""Write requests take their turn at the door: a few at a time per worker, in order of arrival.

Every write ends by taking its turn for the audit log (and, on SQLite, for the one
writer), and a worker's requests share one interpreter, so running many at once
does not finish them sooner: each only waits longer for the CPU, more threads
contend for it, and a burst of arrivals finishes all together, late. Measured with
100 clients on two cores (``benchmarks/bench_load.py``), admitting four writes at a
time per worker took 50 % more reports a second than admitting all of them, at a
p99 latency half as long.

``WriteAdmissionMiddleware`` reads a write's whole body first (so a client that
sends its body slowly does not hold a turn while it trickles in), then waits on the
event loop, holding no thread and no database connection, until one of
``concurrent_writes`` turns is free; waiting requests are admitted first come, first
served. Reads (GET, HEAD, OPTIONS) pass straight through. It sits inside the body
size limit and outside the authentication and rate-limit guards, whose database
look-ups are part of the turn.
"""

from __future__ import annotations

import asyncio
import weakref

from starlette.types import ASGIApp, Receive, Scope, Send

from truceline.accounts.csrf import read_body, replaying
from truceline.http.asgi import UNSAFE_METHODS


class WriteAdmissionMiddleware:
    """At most ``turns`` write requests of this worker run at once; the others queue in order."""

    def __init__(self, app: ASGIApp, *, turns: int) -> None:
        if turns < 1:
            raise ValueError("turns must be at least 1")
        self.app = app
        self.turns = turns
        self._gates: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore] = (
            weakref.WeakKeyDictionary()
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in UNSAFE_METHODS:
            await self.app(scope, receive, send)
            return
        body = await read_body(receive)
        async with self._gate():
            await self.app(scope, replaying(body, receive), send)

    def _gate(self) -> asyncio.Semaphore:
        """This event loop's turns (a worker has one loop; the tests start several)."""
        loop = asyncio.get_running_loop()
        gate = self._gates.get(loop)
        if gate is None:
            gate = self._gates[loop] = asyncio.Semaphore(self.turns)
        return gate
