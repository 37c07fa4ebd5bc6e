"""ORM models of the community context: districts, committees, reporters, messages.

People appear here by pseudonym only: their names, phone numbers and villages
are sealed in ``protected_identities`` (accounts). A reporter's phone number
is kept twice, neither in clear: as a keyed digest (to recognise the sender
of a message) and sealed with the gateway key (to send feedback); see
``community.phones``.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, Float, ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from truceline.db.base import Base, utcnow


class BorderDistrictRow(Base):
    """A district of the border registry (``community.districts``), seeded by the profile."""

    __tablename__ = "community_border_districts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    key: Mapped[str] = mapped_column(String(120), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    country: Mapped[str] = mapped_column(String(2))
    admin1: Mapped[str] = mapped_column(String(120), default="")
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)
    border_distance_km: Mapped[float] = mapped_column(Float)
    gazetteer_id: Mapped[str | None] = mapped_column(String(120))
    origin: Mapped[str] = mapped_column(String(16))
    names: Mapped[list[str]] = mapped_column(JSON, default=list)
    crossings: Mapped[list[str]] = mapped_column(JSON, default=list)
    posts: Mapped[list[str]] = mapped_column(JSON, default=list)


class Committee(Base):
    """A local liaison committee of one border district."""

    __tablename__ = "community_committees"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    district_id: Mapped[int] = mapped_column(ForeignKey("community_border_districts.id"))
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class CommitteeMember(Base):
    """A member, by pseudonym, with a role and a term; suspended at once on a coercion report."""

    __tablename__ = "community_committee_members"
    __table_args__ = (
        Index("ix_committee_members_committee", "committee_id"),
        Index("ix_committee_members_account", "account"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    committee_id: Mapped[int] = mapped_column(ForeignKey("community_committees.id"))
    pseudonym: Mapped[str] = mapped_column(String(32), unique=True)
    role: Mapped[str] = mapped_column(String(32))
    term_start: Mapped[date] = mapped_column(Date)
    term_end: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default="active")
    suspended_at: Mapped[datetime | None]
    suspension_reason: Mapped[str] = mapped_column(Text, default="")
    #: The user account (role ``elder``) the member signs in with, if any.
    account: Mapped[str | None] = mapped_column(String(64))


class Meeting(Base):
    """A committee meeting or jirga: who came, what was raised and agreed."""

    __tablename__ = "community_meetings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    committee_id: Mapped[int] = mapped_column(ForeignKey("community_committees.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    held_at: Mapped[datetime]
    place: Mapped[str] = mapped_column(String(200))
    attendees: Mapped[list[str]] = mapped_column(JSON, default=list)
    other_attendees: Mapped[int] = mapped_column(Integer, default=0)
    issues: Mapped[list[str]] = mapped_column(JSON, default=list)
    agreements: Mapped[list[str]] = mapped_column(JSON, default=list)
    incident_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    recorded_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class FollowUpAction(Base):
    """Something a meeting decided someone will do, by a date."""

    __tablename__ = "community_follow_ups"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("community_meetings.id"), index=True)
    action: Mapped[str] = mapped_column(Text)
    owner: Mapped[str] = mapped_column(String(120))
    due_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default="open")
    done_at: Mapped[datetime | None]


class LocalDecision(Base):
    """An incident resolved at district level (with its outcome) or escalated (with its reason)."""

    __tablename__ = "community_local_decisions"
    __table_args__ = (Index("ix_local_decisions_incident", "incident_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id"))
    committee_id: Mapped[int] = mapped_column(ForeignKey("community_committees.id"))
    kind: Mapped[str] = mapped_column(String(16))  # resolved_locally | escalated
    text: Mapped[str] = mapped_column(Text)  # the outcome, or the reason for escalating
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("community_meetings.id"))
    decided_by: Mapped[str] = mapped_column(String(64))
    decided_at: Mapped[datetime] = mapped_column(default=utcnow)


class CommunityReporter(Base):
    """A registered reporter: pseudonym, who registered them, how to recognise their phone."""

    __tablename__ = "community_reporters"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    pseudonym: Mapped[str] = mapped_column(String(32), unique=True)
    committee_id: Mapped[int | None] = mapped_column(ForeignKey("community_committees.id"))
    registered_by: Mapped[str] = mapped_column(String(64))
    phone_digest: Mapped[str] = mapped_column(String(64), unique=True)
    phone_sealed: Mapped[bytes] = mapped_column(LargeBinary)
    language: Mapped[str] = mapped_column(String(8), default="en")
    status: Mapped[str] = mapped_column(String(16), default="active")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class InboundMessage(Base):
    """A text message as the gateway delivered it, and what became of it."""

    __tablename__ = "community_inbound_messages"
    __table_args__ = (Index("ix_inbound_sender_status", "sender_digest", "status"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    dedup_key: Mapped[str] = mapped_column(String(64), unique=True)
    gateway: Mapped[str] = mapped_column(String(64))
    gateway_message_id: Mapped[str | None] = mapped_column(String(128))
    sender_digest: Mapped[str] = mapped_column(String(64))
    sender_sealed: Mapped[bytes] = mapped_column(LargeBinary)
    reporter_id: Mapped[int | None] = mapped_column(ForeignKey("community_reporters.id"))
    text: Mapped[str] = mapped_column(Text)
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    language: Mapped[str] = mapped_column(String(8), default="en")
    status: Mapped[str] = mapped_column(String(16))
    parsed: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    report_id: Mapped[int | None] = mapped_column(ForeignKey("reports.id"))
    confirmation_code: Mapped[str | None] = mapped_column(String(16))
    reply: Mapped[str] = mapped_column(Text, default="")
    reviewed_by: Mapped[str | None] = mapped_column(String(64))


class OutboundMessage(Base):
    """A reply or feedback notice waiting for (or handed to) the gateway."""

    __tablename__ = "community_outbound_messages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    reporter_id: Mapped[int | None] = mapped_column(ForeignKey("community_reporters.id"))
    to_sealed: Mapped[bytes] = mapped_column(LargeBinary)
    kind: Mapped[str] = mapped_column(String(32))
    body: Mapped[str] = mapped_column(Text)
    #: Makes a notice idempotent: one per (report, state) at most.
    notice_key: Mapped[str | None] = mapped_column(String(120), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]
