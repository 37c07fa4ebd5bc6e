"""Request dependencies shared by every router, kept visible in route signatures.

``SessionDep`` gives a database session committed at the end of the request,
before the response is sent: a write is acknowledged only once it is stored,
and a failed commit answers an error with nothing stored. Its engine is the
app's (``app_engine``: the provider ``build_app`` keeps in ``app.state.engine``),
which the access middleware and the navigation badges use too, so that no
context looks up a global engine.
``CurrentPrincipal`` is who the request acts as: the accounts context's
authentication middleware sets ``request.state.principal``; without it the
request is anonymous (``PUBLIC``); ``get_principal`` (``accounts.requester``)
reads it, for these routes and for the policy's ``Authorized`` alike.

Every route declares its access in its signature: ``Public`` (anyone may call
it) here, or ``accounts.access.Authorized(action, resource_type)`` backed by the
policy. Both carry an ``__access__`` mark that ``declared_access`` reads; a test
walks the app and fails on a route without one.
"""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Annotated, Any

from fastapi import Depends, Request
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from truceline.accounts.requester import get_principal, principal_of
from truceline.accounts.roles import Principal
from truceline.config import get_settings
from truceline.db.engine import default_engine, session_factory

#: Commits, rollbacks and closes run here, never in the request thread pool. Otherwise, under
#: load, every pool thread can be taken by requests waiting for a database connection while
#: the requests holding the connections wait for a thread to commit and give them back: the
#: pool deadlocks until its timeout (and on PostgreSQL the audit lock is held all that time).
#: Sized above any connection pool, so a finished request never waits to commit.
_FINISHERS = ThreadPoolExecutor(max_workers=64, thread_name_prefix="truceline-commit")


async def _finish(call: Callable[[], Any]) -> None:
    await asyncio.get_running_loop().run_in_executor(_FINISHERS, call)


_GATES: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore] = (
    weakref.WeakKeyDictionary()
)


def _admission() -> asyncio.Semaphore:
    """The event loop's gate: at most ``request_transactions`` requests hold a session at once.

    A sync route runs in the request thread pool (40 threads), and FastAPI validates
    its response in that pool too, *before* the session commits. If every pool
    thread were taken by requests waiting for a lock (SQLite's writer lock, the audit
    log's turn on PostgreSQL), the request holding the lock could never get a thread
    to finish and let go: the deadlock the issue measured. Admitting fewer requests
    than there are threads leaves threads free, and the others wait here, on the event
    loop, holding no thread, connection or lock.
    """
    loop = asyncio.get_running_loop()
    gate = _GATES.get(loop)
    if gate is None:
        gate = _GATES[loop] = asyncio.Semaphore(get_settings().request_transactions)
    return gate


def app_engine(app: Any) -> Engine:
    """The engine of ``app`` (``app.state.engine``, set by ``build_app``; else the default)."""
    provider = getattr(app.state, "engine", None)
    return provider() if provider is not None else default_engine()


async def get_session(request: Request) -> AsyncIterator[Session]:
    """A session for one request; it connects lazily, in the thread that runs the route."""
    async with _admission():
        session = session_factory(app_engine(request.app))()
        session.info["web_request"] = True  # e.g. warning notices are sent after commit
        session.info["settings"] = get_settings()  # what those notices are sent with
        try:
            yield session
        except BaseException:
            await _finish(_ending(session, session.rollback))
            raise
        if _untouched_since_route_ended(session):
            session.close()  # committed by the route, nothing since: nothing to wait for
        else:
            await _finish(_ending(session, session.commit))


_ENDED_IN_ROUTE = "truceline_ended_in_route"


def _untouched_since_route_ended(session: Session) -> bool:
    """True when the route committed (``end_in_route``) and did nothing with the session
    since: no transaction, no pending rows, and no new note in ``session.info`` (the audit
    log queues its entries there until commit)."""
    ended = session.info.get(_ENDED_IN_ROUTE)
    if ended is None or session.in_transaction():
        return False
    if session.new or session.dirty or session.deleted:
        return False
    return set(session.info) - {_ENDED_IN_ROUTE} <= ended


def end_in_route(session: Session) -> None:
    """Commit the request's session in the route's own thread, before the answer is built.

    For read routes that serve many small requests (``GET /api/incidents``): the commit
    of a read stores nothing and takes no lock, and doing it here spares the request a
    hand-over to the finishers' thread and back. It is still a commit, so anything the
    route did write is stored before the answer is sent, as with ``SessionDep``'s own.
    Anything the route does with the session afterwards is committed by ``get_session``
    as usual.
    """
    session.commit()
    session.info[_ENDED_IN_ROUTE] = frozenset(session.info) - {_ENDED_IN_ROUTE}


def _ending(session: Session, outcome: Callable[[], Any]) -> Callable[[], None]:
    """Commit (or roll back) and close in one call: the thread finishes both even if the
    request is cancelled meanwhile, so no connection is left with a transaction open."""

    def end() -> None:
        try:
            outcome()
        finally:
            session.close()

    return end


#: ``scope="function"``: the session commits before the response is sent. With the default
#: (request) scope FastAPI commits after sending, so a client could be told 201 for a write
#: that then fails to commit, and a browser following a redirect (e.g. after signing in or
#: filing a report) could ask before the new rows are visible.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]
CurrentPrincipal = Annotated[Principal, Depends(get_principal)]


async def public_route(principal: CurrentPrincipal) -> Principal:
    """Anyone may call the route; the caller is still known for what it may be shown."""
    return principal


public_route.__access__ = "public"  # type: ignore[attr-defined]

#: The caller of a route anyone may call: declares the route public in its signature.
Public = Annotated[Principal, Depends(public_route)]


def declared_access(dependency: Callable[..., Any] | None) -> object | None:
    """What access a dependency declares: ``(action, resource_type)``, ``"public"`` or None."""
    return getattr(dependency, "__access__", None)


__all__ = [
    "CurrentPrincipal",
    "Public",
    "SessionDep",
    "app_engine",
    "declared_access",
    "end_in_route",
    "get_principal",
    "principal_of",
    "get_session",
    "public_route",
]
