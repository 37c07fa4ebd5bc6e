"""ORM models of the cooling-off protocol: clocks, flags, notifications and the outbox.

The outbox holds every outbound webhook and email as a row written in the same
transaction as the allegation, so a delivery failure can never lose or block
the allegation; ``truceline warning deliver`` drains it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from truceline.db.base import Base, utcnow


class CoolingOffClock(Base):
    """The verification window opened by one party allegation."""

    __tablename__ = "cooling_off_clocks"
    __table_args__ = (Index("ix_cooling_off_clocks_ends_at", "ends_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id"), unique=True)
    report_code: Mapped[str] = mapped_column(String(64))
    agreement_id: Mapped[str | None] = mapped_column(String(64))
    alleging_party: Mapped[str] = mapped_column(String(8))
    accused_party: Mapped[str] = mapped_column(String(8))
    hours: Mapped[int] = mapped_column(Integer)
    started_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class CoolingOffFlag(Base):
    """An incident by the alleging side inside its own cooling-off window."""

    __tablename__ = "cooling_off_flags"
    __table_args__ = (UniqueConstraint("clock_id", "incident_id", name="uq_cooling_off_flag"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    clock_id: Mapped[int] = mapped_column(ForeignKey("cooling_off_clocks.id"), index=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id"))
    incident_code: Mapped[str] = mapped_column(String(64))
    explanation: Mapped[str] = mapped_column(Text)
    flagged_at: Mapped[datetime] = mapped_column(default=utcnow)


class Notification(Base):
    """An in-app notice addressed to one user (read state is theirs alone)."""

    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_recipient_read", "recipient", "read_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    recipient: Mapped[str] = mapped_column(String(64))
    audience: Mapped[str] = mapped_column(String(16))
    event: Mapped[str] = mapped_column(String(64))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    object_type: Mapped[str] = mapped_column(String(32))
    object_id: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None]


class Subscription(Base):
    """A configured webhook endpoint or email address, and whose notices it receives."""

    __tablename__ = "warning_subscriptions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    channel: Mapped[str] = mapped_column(String(16))
    target: Mapped[str] = mapped_column(String(500))
    audience: Mapped[str] = mapped_column(String(16))
    secret: Mapped[str | None] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_by: Mapped[str] = mapped_column(String(64), default="system")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class OutboxMessage(Base):
    """One webhook call or email waiting for delivery (pending → delivered | failed)."""

    __tablename__ = "warning_outbox"
    __table_args__ = (Index("ix_warning_outbox_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    subscription_id: Mapped[int] = mapped_column(ForeignKey("warning_subscriptions.id"))
    channel: Mapped[str] = mapped_column(String(16))
    target: Mapped[str] = mapped_column(String(500))
    event: Mapped[str] = mapped_column(String(64))
    subject: Mapped[str] = mapped_column(String(300))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    claimed_until: Mapped[datetime | None]
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    delivered_at: Mapped[datetime | None]


class DeliveryAttempt(Base):
    """One try at delivering an outbox message, kept whatever the outcome."""

    __tablename__ = "warning_delivery_attempts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("warning_outbox.id"), index=True)
    attempted_at: Mapped[datetime] = mapped_column(default=utcnow)
    ok: Mapped[bool] = mapped_column(Boolean)
    detail: Mapped[str] = mapped_column(Text, default="")
