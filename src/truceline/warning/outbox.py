"""Draining the outbox: claim due messages, send them, record every attempt.

Claiming is a short transaction of its own: on PostgreSQL ``SELECT … FOR
UPDATE SKIP LOCKED`` lets several workers run side by side without waiting on
each other; on SQLite (one writer at a time) a conditional UPDATE of the
claim lease does the same. Sending happens outside any transaction, and the
outcome is written in a third one, so a slow receiver never holds a lock and a
crash mid-send leaves the message to be claimed again when its lease expires.
"""

from __future__ import annotations

import functools
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import event, or_, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from truceline.audit.actor import SYSTEM
from truceline.audit.log import append_entry
from truceline.config import Settings
from truceline.db.base import utcnow
from truceline.db.engine import is_postgres, transaction
from truceline.warning.domain import retry_delay
from truceline.warning.models import DeliveryAttempt, OutboxMessage, Subscription
from truceline.warning.transports import SENDERS, DeliveryFailed

CLAIM_LEASE = timedelta(minutes=5)


@dataclass
class DeliveryRun:
    """What one pass over the outbox did."""

    delivered: list[int] = field(default_factory=list)
    retrying: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)

    def as_json(self) -> dict[str, list[int]]:
        return {"delivered": self.delivered, "retrying": self.retrying, "failed": self.failed}


def claim_due(engine: Engine, *, limit: int = 50, now: datetime | None = None) -> list[int]:
    """Take a lease on up to ``limit`` due messages; returns their ids."""
    now = now or utcnow()
    with transaction(engine) as session:
        query = (
            select(OutboxMessage.id)
            .where(
                OutboxMessage.status == "pending",
                OutboxMessage.next_attempt_at <= now,
                or_(OutboxMessage.claimed_until.is_(None), OutboxMessage.claimed_until < now),
            )
            .order_by(OutboxMessage.id)
            .limit(limit)
        )
        if is_postgres(engine):
            query = query.with_for_update(skip_locked=True)
        candidates = list(session.scalars(query))
        return [mid for mid in candidates if _take_lease(session, mid, now)]


def _take_lease(session: Session, message_id: int, now: datetime) -> bool:
    """Conditional update: only one worker can move an expired lease forward."""
    result = session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.id == message_id,
            OutboxMessage.status == "pending",
            or_(OutboxMessage.claimed_until.is_(None), OutboxMessage.claimed_until < now),
        )
        .values(claimed_until=now + CLAIM_LEASE)
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(result, "rowcount", 0) == 1)


def deliver_due(engine: Engine, *, settings: Settings, limit: int = 50) -> DeliveryRun:
    """Claim, send and record every due message (one pass) with the installation's channels."""
    run = DeliveryRun()
    for message_id in claim_due(engine, limit=limit):
        outcome, detail = _send(engine, message_id, settings)
        status = _record(engine, message_id, outcome, detail, settings)
        {"delivered": run.delivered, "pending": run.retrying, "failed": run.failed}[status].append(
            message_id
        )
    return run


def _send(engine: Engine, message_id: int, settings: Settings) -> tuple[bool, str]:
    with transaction(engine) as session:
        message = session.get(OutboxMessage, message_id)
        subscription = session.get(Subscription, message.subscription_id) if message else None
        if message is None or subscription is None:
            return False, "message or subscription vanished"
        session.expunge_all()
    try:
        return True, SENDERS[message.channel](message, subscription, settings)
    except DeliveryFailed as error:
        return False, str(error)
    except Exception as error:  # noqa: BLE001 - a broken sender must not stop the queue
        return False, f"{type(error).__name__}: {error}"


def _record(engine: Engine, message_id: int, ok: bool, detail: str, settings: Settings) -> str:
    with transaction(engine) as session:
        message = session.get(OutboxMessage, message_id)
        assert message is not None
        before = {"status": message.status, "attempts": message.attempts}
        now = utcnow()
        message.attempts += 1
        message.claimed_until = None
        session.add(DeliveryAttempt(message_id=message_id, attempted_at=now, ok=ok, detail=detail))
        if ok:
            message.status, message.delivered_at, message.last_error = "delivered", now, ""
        else:
            message.last_error = detail
            exhausted = message.attempts >= settings.notification_max_attempts
            message.status = "failed" if exhausted else "pending"
            message.next_attempt_at = now + retry_delay(message.attempts)
        append_entry(
            session,
            actor=SYSTEM,
            action=f"warning.delivery.{'ok' if ok else 'fail'}",
            object_type="warning_outbox",
            object_id=message_id,
            before=before,
            after={"status": message.status, "attempts": message.attempts, "detail": detail},
        )
        return message.status


def retry_failed(session: Session, message_id: int) -> OutboxMessage:
    """Put a failed message back in the queue (an operator's decision, audited)."""
    message = session.get(OutboxMessage, message_id)
    if message is None:
        raise LookupError(f"no outbox message {message_id}")
    before = {"status": message.status, "attempts": message.attempts}
    message.status, message.next_attempt_at, message.claimed_until = "pending", utcnow(), None
    append_entry(
        session,
        actor=SYSTEM,
        action="warning.delivery.requeue",
        object_type="warning_outbox",
        object_id=message_id,
        before=before,
        after={"status": "pending"},
    )
    return message


def deliver_after_commit(session: Session, engine: Engine, settings: Settings) -> None:
    """Once ``session`` commits, drain the outbox on a background thread (for web requests)."""

    def _start(_session: Session) -> None:
        run = functools.partial(deliver_due, engine, settings=settings)
        threading.Thread(target=run, daemon=True).start()

    if not session.info.get("warning_delivery_hooked"):
        session.info["warning_delivery_hooked"] = True
        event.listen(session, "after_commit", _start, once=True)


def outbox_status(session: Session) -> dict[str, int]:
    counts: dict[str, int] = {"pending": 0, "delivered": 0, "failed": 0}
    for status in session.scalars(select(OutboxMessage.status)):
        counts[status] = counts.get(status, 0) + 1
    return counts
