"""Tables of the requests context: requests, their history, sealed packages, findings.

Intelligence is never stored in clear: ``IntelligenceSeal`` holds one SealedBox
ciphertext per reader (``custody``). A package's visible metadata (code, handling
mark, audience, whether released) says nothing of its content.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from truceline.db.base import Base, utcnow


class ActionRequest(Base):
    """One party's request that the other act, and where it stands."""

    __tablename__ = "action_requests"
    __table_args__ = (
        Index(
            "ix_action_requests_inbox",
            "addressed_party",
            "delivered",
            "submitted_at",
            "requesting_party",
        ),
        Index("ix_action_requests_outbox", "requesting_party", "submitted_at"),
        Index("ix_action_requests_state", "state"),
        Index("ix_action_requests_group", "group_id", "addressed_party"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    requesting_party: Mapped[str] = mapped_column(String(2))
    addressed_party: Mapped[str] = mapped_column(String(2))
    group_id: Mapped[str] = mapped_column(String(32))
    group_name_given: Mapped[str] = mapped_column(String(200))
    asked_action: Mapped[str] = mapped_column(String(32))
    target_kind: Mapped[str] = mapped_column(String(32))
    target_detail: Mapped[str] = mapped_column(Text, default="")
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    agreement_id: Mapped[str] = mapped_column(String(64))
    clause_id: Mapped[str] = mapped_column(String(80))
    summary: Mapped[str] = mapped_column(Text)
    tlp: Mapped[str] = mapped_column(String(8), default="amber")
    state: Mapped[str] = mapped_column(String(16), default="submitted")
    delivered: Mapped[bool] = mapped_column(Boolean, default=False)
    provenance: Mapped[str] = mapped_column(String(24), default="live")
    source_note: Mapped[str] = mapped_column(Text, default="")
    submitted_by: Mapped[str] = mapped_column(String(64))
    submitted_at: Mapped[datetime]
    deadline_at: Mapped[datetime | None]
    window_basis: Mapped[str] = mapped_column(Text, default="")
    return_reason: Mapped[str | None] = mapped_column(String(32))
    return_text: Mapped[str] = mapped_column(Text, default="")
    delivered_at: Mapped[datetime | None]
    acknowledged_at: Mapped[datetime | None]
    responded_at: Mapped[datetime | None]
    response_kind: Mapped[str | None] = mapped_column(String(16))
    response_text: Mapped[str] = mapped_column(Text, default="")
    dispute_reason: Mapped[str | None] = mapped_column(String(32))
    verification_outcome: Mapped[str | None] = mapped_column(String(16))
    verification_text: Mapped[str] = mapped_column(Text, default="")
    verified_by: Mapped[str | None] = mapped_column(String(64))
    verified_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]


class RequestEvent(Base):
    """One step taken on a request: who, when, from which state to which, and why."""

    __tablename__ = "action_request_events"
    __table_args__ = (Index("ix_action_request_events_request", "request_id", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("action_requests.id"))
    step: Mapped[str] = mapped_column(String(16))
    from_state: Mapped[str | None] = mapped_column(String(16))
    to_state: Mapped[str] = mapped_column(String(16))
    actor: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(32))
    party: Mapped[str | None] = mapped_column(String(2))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    explanation: Mapped[str] = mapped_column(Text)
    #: The explanation as catalogue messages (``agreements.messages``), to read it in any
    #: language; None for steps recorded before they were kept.
    explanation_parts: Mapped[list[Any] | None] = mapped_column(JSON, nullable=True)


class IntelligencePackage(Base):
    """Intelligence under controlled disclosure; its content is only in its seals."""

    __tablename__ = "intelligence_packages"
    __table_args__ = (Index("ix_intelligence_packages_request", "request_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    request_id: Mapped[int | None] = mapped_column(ForeignKey("action_requests.id"))
    submitting_party: Mapped[str | None] = mapped_column(String(2))
    tlp: Mapped[str] = mapped_column(String(8))
    audience: Mapped[str] = mapped_column(String(24))
    for_monitors: Mapped[bool] = mapped_column(Boolean, default=False)
    released: Mapped[bool] = mapped_column(Boolean, default=False)
    released_by: Mapped[str | None] = mapped_column(String(64))
    released_at: Mapped[datetime | None]
    media_type: Mapped[str] = mapped_column(String(64), default="text/plain")
    size_bytes: Mapped[int] = mapped_column(Integer)
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class IntelligenceSeal(Base):
    """The package's content sealed (PyNaCl SealedBox) to one reader's public key."""

    __tablename__ = "intelligence_seals"
    __table_args__ = (UniqueConstraint("package_id", "reader", name="uq_intelligence_seals"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    package_id: Mapped[int] = mapped_column(ForeignKey("intelligence_packages.id"))
    reader: Mapped[str] = mapped_column(String(16))
    key_id: Mapped[str] = mapped_column(String(16))
    ciphertext: Mapped[bytes] = mapped_column(LargeBinary)
    sealed_at: Mapped[datetime] = mapped_column(default=utcnow)


class RequestFinding(Base):
    """A judgement of one party's responses on one group, against the clause relied on."""

    __tablename__ = "action_request_findings"
    __table_args__ = (Index("ix_action_request_findings_group", "group_id", "addressed_party"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    group_id: Mapped[str] = mapped_column(String(32))
    addressed_party: Mapped[str] = mapped_column(String(2))
    agreement_id: Mapped[str] = mapped_column(String(64))
    clause_id: Mapped[str] = mapped_column(String(80))
    finding: Mapped[str] = mapped_column(String(24))
    violating_party: Mapped[str | None] = mapped_column(String(2))
    basis: Mapped[str] = mapped_column(String(16))
    explanation: Mapped[str] = mapped_column(Text)
    request_codes: Mapped[list[Any]] = mapped_column(JSON)
    rules_version: Mapped[str] = mapped_column(String(40))
    determined_by: Mapped[str] = mapped_column(String(64))
    determined_at: Mapped[datetime] = mapped_column(default=utcnow)
