"""Engines and sessions for the configured back end."""

from __future__ import annotations

import math
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from truceline.config import get_settings
from truceline.db.writers import WriterQueue


def is_postgres(engine_or_url: Engine | str) -> bool:
    """True when the URL or engine points at PostgreSQL."""
    url = engine_or_url.url if isinstance(engine_or_url, Engine) else make_url(engine_or_url)
    return url.get_backend_name() == "postgresql"


def _ensure_math_functions(dbapi_connection: Any) -> None:
    """Give SQLite ``cos`` and ``radians`` where its build lacks the math functions.

    Queries that group by the public grid (``web.map_clusters``) compute it in SQL as
    PostgreSQL does; SQLite has these functions only when compiled with them.
    """
    try:
        dbapi_connection.execute("SELECT cos(radians(0))").fetchone()
    except sqlite3.OperationalError:
        dbapi_connection.create_function("cos", 1, math.cos, deterministic=True)
        dbapi_connection.create_function("radians", 1, math.radians, deterministic=True)


def _sqlite_configurer(busy_timeout_ms: int) -> Any:
    def _configure_sqlite(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.close()
        _ensure_math_functions(dbapi_connection)

    return _configure_sqlite


def make_engine(url: str) -> Engine:
    """Create an engine; on SQLite enable foreign keys and WAL and create the file's folder.

    SQLite has one writer at a time: a writer waits up to ``sqlite_busy_timeout_seconds``
    for the lock (WAL lets readers go on meanwhile) rather than failing at once, and the
    pool is as large as the thread pool that serves requests, so that no request waits
    on the pool while an SQLite connection (which costs nothing to open) would do.
    PostgreSQL connections are a server resource: the pool is ``db_pool_size`` plus
    ``db_max_overflow`` per process (see docs/configuration.md).

    Both pools hand out the connection used last (LIFO): a quiet server keeps reusing
    a few warm connections (with their prepared statements and the audit log's
    remembered schema ids) and the others can time out, instead of cycling through all.
    """
    settings = get_settings()
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        timeout = settings.sqlite_busy_timeout_seconds
        engine = create_engine(
            url,
            connect_args={"timeout": timeout},
            pool_size=SQLITE_POOL_SIZE,
            max_overflow=SQLITE_POOL_SIZE,
            pool_timeout=timeout,
            pool_use_lifo=True,
        )
        event.listen(engine, "connect", _sqlite_configurer(int(timeout * 1000)))
        WriterQueue(timeout, _lock_base(parsed.database)).install(engine)
        return engine
    return create_engine(
        url,
        pool_pre_ping=True,
        pool_size=settings.db_pool_size,
        max_overflow=settings.db_max_overflow,
        pool_timeout=settings.db_pool_timeout_seconds,
        pool_use_lifo=True,
    )


def _lock_base(database: str | None) -> Path | None:
    """Where a file database's writer lock files go (beside it); none for memory databases."""
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database)


#: As many as the request thread pool (anyio's default 40 threads), so no request waits on it.
SQLITE_POOL_SIZE = 40


@lru_cache(maxsize=8)
def engine_for(url: str) -> Engine:
    """A cached engine per URL, so that a process shares one pool."""
    return make_engine(url)


def default_engine() -> Engine:
    """The engine for the configured ``TRUCELINE_DATABASE_URL``."""
    return engine_for(get_settings().resolved_database_url)


@lru_cache(maxsize=8)
def autocommit(engine: Engine) -> Engine:
    """``engine`` for one-statement work outside any transaction: on PostgreSQL each
    statement commits by itself, sparing the BEGIN and COMMIT round trips (the request
    guards' token look-up and rate-limit spend, once per request); SQLite's writer
    queue keys on transactions, so there it is ``engine`` itself."""
    if engine.dialect.name != "postgresql":
        return engine
    made: Engine | None = getattr(engine, _AUTOCOMMIT, None)
    if made is None:
        made = engine.execution_options(isolation_level="AUTOCOMMIT")
        setattr(engine, _AUTOCOMMIT, made)
    return made


def session_factory(engine: Engine) -> sessionmaker[Session]:
    """The session factory of ``engine``, made once and kept on it.

    Every request asks for it (its session, the token look-up), and each new
    ``sessionmaker`` is a new ``Session`` subclass, for which SQLAlchemy sets up the
    dispatch of every session event listener again at its first statement: that
    cost more CPU than the statement itself. (Kept as an attribute, not in a dict
    of engines: the factory refers to its engine, and the pair is freed together.)
    """
    made: sessionmaker[Session] | None = getattr(engine, _SESSIONS, None)
    if made is None:
        made = sessionmaker(bind=engine, expire_on_commit=False)
        setattr(engine, _SESSIONS, made)
    return made


_AUTOCOMMIT = "_truceline_autocommit"
_SESSIONS = "_truceline_sessions"


@contextmanager
def transaction(engine: Engine | None = None) -> Iterator[Session]:
    """A session that commits on success and rolls back on any error."""
    factory = session_factory(engine or default_engine())
    with factory() as session, session.begin():
        yield session
