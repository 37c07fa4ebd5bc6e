"""Leases: which process currently holds a named role (e.g. running background jobs).

On SQLite several ``serve`` workers elect their leader through one row per role:
a worker takes the row when it is free or expired and renews it while alive; a
crashed leader's lease runs out and another worker takes over. (PostgreSQL uses a
session advisory lock instead, see ``truceline.jobs``; the table exists on
both back ends so that the schema is the same.)
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import cast

from sqlalchemy import String, Table, insert, or_, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from truceline.db.base import Base, utcnow


class WorkerLease(Base):
    """Who holds role ``name`` until ``expires_at``."""

    __tablename__ = "worker_leases"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    holder: Mapped[str] = mapped_column(String(128))
    expires_at: Mapped[datetime]


def take_lease(conn: Connection, name: str, holder: str, ttl: timedelta) -> bool:
    """Take or renew the lease ``name`` for ``holder``; False when another holder's is still valid.

    One conditional UPDATE (or the first INSERT) in the caller's transaction, so two
    processes can never both believe they hold it.
    """
    now = utcnow()
    table = cast(Table, WorkerLease.__table__)
    renewed = conn.execute(
        update(table)
        .where(
            table.c.name == name,
            or_(table.c.holder == holder, table.c.expires_at < now),
        )
        .values(holder=holder, expires_at=now + ttl)
    )
    if renewed.rowcount == 1:
        return True
    try:
        with conn.begin_nested():
            conn.execute(insert(table).values(name=name, holder=holder, expires_at=now + ttl))
    except IntegrityError:
        return False
    return True


def release_lease(conn: Connection, name: str, holder: str) -> None:
    """Give the lease up at once (on shutdown), so another worker need not wait for it to expire."""
    table = cast(Table, WorkerLease.__table__)
    conn.execute(
        update(table)
        .where(table.c.name == name, table.c.holder == holder)
        .values(expires_at=utcnow() - timedelta(seconds=1))
    )
