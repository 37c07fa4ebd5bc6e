"""Retrying a write request whose transaction lost a race for the database.

On SQLite one writer holds the lock at a time and the others wait (the busy
timeout); a writer that still finds it busy, or a PostgreSQL transaction chosen
as a deadlock victim or failing serialisation, is rolled back with nothing
stored. The whole request is then run again, from a replay of its body, so the
client sees one answer for one unit of work. Resubmitting is safe: nothing of a
failed attempt was committed, and intake deduplicates by client token.

Only a request whose response has not started is retried (the session commits
before the response is sent, see ``http.deps``). When every attempt fails, or no
database connection frees up in time, the client gets 503 with Retry-After,
never a 500, and nothing is stored.
"""

from __future__ import annotations

import asyncio
import random

from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from truceline.accounts.csrf import read_body, replaying
from truceline.http.asgi import UNSAFE_METHODS, send_json

ATTEMPTS = 4
#: SQLSTATEs of PostgreSQL failures that a fresh attempt can get past.
_RETRYABLE_SQLSTATES = frozenset({"40001", "40P01", "55P03"})
_SQLITE_BUSY = ("database is locked", "database table is locked", "database is busy")


def is_transient(error: BaseException) -> bool:
    """True for a lost race for a lock (SQLite busy, PostgreSQL deadlock or serialisation)."""
    if not isinstance(error, DBAPIError):
        return False
    code = getattr(error.orig, "sqlstate", None)
    if code in _RETRYABLE_SQLSTATES:
        return True
    message = str(error.orig).lower()
    return any(text in message for text in _SQLITE_BUSY)


class RetryOnConflictMiddleware:
    """Run unsafe requests again (up to ``ATTEMPTS`` times) after a transient database failure."""

    def __init__(self, app: ASGIApp, *, attempts: int = ATTEMPTS) -> None:
        self.app = app
        self.attempts = attempts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in UNSAFE_METHODS:
            await self.app(scope, receive, send)
            return
        body = await read_body(receive)
        for attempt in range(1, self.attempts + 1):
            started = False

            async def tracking_send(message: Message) -> None:
                nonlocal started
                started = started or message["type"] == "http.response.start"
                await send(message)

            try:
                await self.app(scope, replaying(body, receive), tracking_send)
                return
            except (DBAPIError, PoolTimeout) as error:
                if started:
                    raise
                if isinstance(error, PoolTimeout):
                    await _busy(send, "no database connection became free in time")
                    return
                if not is_transient(error):
                    raise
                if attempt == self.attempts:
                    await _busy(send, "the database stayed busy; nothing was stored")
                    return
                await asyncio.sleep(random.uniform(0.05, 0.2) * attempt)  # noqa: S311 - jitter


async def _busy(send: Send, detail: str) -> None:
    await send_json(send, 503, f"{detail}: try again", {"Retry-After": "2"})
