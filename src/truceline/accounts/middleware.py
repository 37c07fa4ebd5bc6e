"""Request guards installed by the app factory (``install(app)``), outermost first:

1. ``BodySizeLimitMiddleware``: refuses bodies over ``Settings.max_body_bytes`` with 413,
   whether announced by Content-Length or streamed.
   Then ``http.admission.WriteAdmissionMiddleware``: write requests run a few at a time
   per worker (``Settings.concurrent_writes``), in order of arrival.
2. ``AuthenticationMiddleware``: sets ``request.state.principal`` from an
   ``Authorization: Bearer`` API token or the session cookie, refuses forged,
   expired or revoked tokens with 401, and enforces CSRF protection (see
   ``truceline.accounts.csrf``).
3. ``RateLimitMiddleware``: token buckets on sign-in (per client) and on intake
   endpoints (per user, or per client when anonymous), answering 429 with Retry-After.
   The buckets live in the database, so every ``serve`` worker spends from the same
   budget; the client address is the connection's peer unless a trusted proxy says
   otherwise (``truceline.http.security.TrustedProxyMiddleware``).

``AccessDenied`` raised anywhere becomes 401 (anonymous) or 403 (signed in)
with the policy's reason. The guards read tokens, sessions and rate-limit
buckets on the app's engine (``http.deps.app_engine``), never a global one.
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import JSONResponse
from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from truceline.accounts import csrf
from truceline.accounts.credentials import find_session, principal_for_token
from truceline.accounts.policy import AccessDenied
from truceline.accounts.ratelimit import SharedRateLimiter
from truceline.accounts.roles import PUBLIC, Principal
from truceline.config import Settings, get_settings
from truceline.db.engine import autocommit, session_factory
from truceline.http.admission import WriteAdmissionMiddleware
from truceline.http.asgi import UNSAFE_METHODS, send_json
from truceline.http.deps import app_engine

SESSION_COOKIE = "truceline_session"
LOGIN_PATHS = frozenset({"/api/auth/login", "/login"})


def install(app: FastAPI) -> None:
    """Add the guards and the AccessDenied handler to ``app``."""
    settings = get_settings()

    def engine() -> Engine:
        return app_engine(app)

    app.add_middleware(RateLimitMiddleware, settings=settings, engine=engine)
    app.add_middleware(AuthenticationMiddleware, settings=settings, engine=engine)
    app.add_middleware(WriteAdmissionMiddleware, turns=settings.concurrent_writes)
    app.add_middleware(BodySizeLimitMiddleware, max_bytes=settings.max_body_bytes)
    app.add_exception_handler(AccessDenied, access_denied_handler)


async def access_denied_handler(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, AccessDenied)
    if not exc.principal.signed_in:
        return JSONResponse(
            {"detail": f"sign in required: {exc.decision.reason}"},
            status_code=401,
            headers={"WWW-Authenticate": "Bearer"},
        )
    return JSONResponse({"detail": exc.decision.reason}, status_code=403)


class _BodyTooLarge(HTTPException):
    """Raised from ``receive`` mid-stream; an HTTPException so route handlers pass it on."""

    def __init__(self, max_bytes: int) -> None:
        super().__init__(413, f"request body too large: the limit is {max_bytes} bytes")


class BodySizeLimitMiddleware:
    """413 for request bodies larger than ``max_bytes``."""

    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_bytes):
            await send_json(send, 413, self._message(), {})
            return
        started = False
        received = 0

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.max_bytes:
                raise _BodyTooLarge(self.max_bytes)
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except _BodyTooLarge:
            if not started:
                await send_json(send, 413, self._message(), {})

    def _message(self) -> str:
        return f"request body too large: the limit is {self.max_bytes} bytes"


class AuthenticationMiddleware:
    """Who is asking (token or session), and CSRF checks for browser requests."""

    def __init__(self, app: ASGIApp, *, settings: Settings, engine: Callable[[], Engine]) -> None:
        self.app = app
        self.settings = settings
        self.engine = engine

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        state = scope.setdefault("state", {})
        bearer = _bearer_token(request)
        if bearer is not None:
            principal = await run_in_threadpool(_principal_from_token, self.engine(), bearer)
            if principal is None:
                await send_json(
                    send,
                    401,
                    "invalid, expired or revoked API token",
                    {"WWW-Authenticate": 'Bearer error="invalid_token"'},
                )
                return
            state.update(principal=principal, auth_method="token", csrf_token=None)
            await self.app(scope, receive, send)
            return
        await self._browser_request(scope, receive, send, request, state)

    async def _browser_request(
        self, scope: Scope, receive: Receive, send: Send, request: Request, state: dict[str, Any]
    ) -> None:
        cookie = request.cookies.get(SESSION_COOKIE)
        active = (
            await run_in_threadpool(_session_from_cookie, self.engine(), cookie) if cookie else None
        )
        if active is not None:
            state.update(
                principal=active.principal, auth_method="session", csrf_token=active.csrf_token
            )
            expected: str | None = active.csrf_token
        else:
            state.update(principal=PUBLIC, auth_method=None)
            expected = csrf.anonymous_token(request)
            state["csrf_token"] = expected
        if request.method in UNSAFE_METHODS and (active is not None or csrf.is_form(request)):
            receive, problem = await csrf.check(scope, receive, expected)
            if problem is not None:
                await send_json(send, 403, problem, {})
                return
        if active is None and expected and request.cookies.get(csrf.ANON_COOKIE) != expected:
            send = csrf.setting_anonymous_cookie(send, expected, self.settings)
        await self.app(scope, receive, send)


def _bearer_token(request: Request) -> str | None:
    header = request.headers.get("authorization")
    if header is None:
        return None
    scheme, _, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" else ""


def _principal_from_token(engine: Engine, secret: str) -> Principal | None:
    with session_factory(autocommit(engine))() as session:
        return principal_for_token(session, secret)


def _session_from_cookie(engine: Engine, cookie: str) -> Any:
    with session_factory(engine)() as session:
        return find_session(session, cookie)


#: Spending a token writes to the database, which may wait for a lock (on SQLite, for the
#: one writer). That wait must not take a thread of the request pool, which the request
#: holding the lock may need to finish (see ``truceline.http.deps``).
_LIMITERS = ThreadPoolExecutor(max_workers=16, thread_name_prefix="truceline-ratelimit")


class RateLimitMiddleware:
    """429 with Retry-After once a client exhausts its sign-in or intake budget."""

    def __init__(self, app: ASGIApp, *, settings: Settings, engine: Callable[[], Engine]) -> None:
        self.app = app
        self.login = SharedRateLimiter(per_minute=settings.login_rate_per_minute, engine=engine)
        self.intake = SharedRateLimiter(per_minute=settings.intake_rate_per_minute, engine=engine)
        self.intake_prefixes = tuple(settings.intake_path_prefixes)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] in UNSAFE_METHODS:
            limited = self._limit_for(scope)
            if limited is not None:
                limiter, key, what = limited
                loop = asyncio.get_running_loop()
                try:
                    wait = await loop.run_in_executor(_LIMITERS, limiter.acquire, key)
                except (OperationalError, PoolTimeout):
                    detail = "the server is busy: try again"
                    await send_json(send, 503, detail, {"Retry-After": "2"})
                    return
                if wait > 0:
                    seconds = max(1, math.ceil(wait))
                    detail = f"too many {what} requests: try again in {seconds} s"
                    await send_json(send, 429, detail, {"Retry-After": str(seconds)})
                    return
        await self.app(scope, receive, send)

    def _limit_for(self, scope: Scope) -> tuple[SharedRateLimiter, str, str] | None:
        path: str = scope["path"]
        client = scope.get("client")
        address = client[0] if client else "unknown"
        if path in LOGIN_PATHS:
            return self.login, f"client:{address}", "sign-in"
        if path.startswith(self.intake_prefixes):
            principal = scope.get("state", {}).get("principal", PUBLIC)
            key = f"user:{principal.name}" if principal.signed_in else f"client:{address}"
            return self.intake, key, "intake"
        return None
