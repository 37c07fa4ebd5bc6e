"""ORM model of a report's attachments: references to files in the content-addressed store.

The bytes live on disk under ``<data_dir>/evidence`` (see ``attachments``); a row
records which report carries which file, and who obtained it, when and how. The
evidence context builds chain of custody on top of these rows.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from truceline.db.base import Base, utcnow


class ReportAttachment(Base):
    """One file attached to one report version."""

    __tablename__ = "report_attachments"
    __table_args__ = (UniqueConstraint("report_id", "sha256", name="uq_report_attachments_file"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id"), index=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size_bytes: Mapped[int] = mapped_column(Integer)
    media_type: Mapped[str] = mapped_column(String(100))
    original_filename: Mapped[str] = mapped_column(String(255), default="")
    obtained_by: Mapped[str] = mapped_column(String(300))
    obtained_at: Mapped[datetime]
    how_obtained: Mapped[str] = mapped_column(Text, default="")
    added_by: Mapped[str] = mapped_column(String(64))
    added_at: Mapped[datetime] = mapped_column(default=utcnow)


class ReportAnnotation(Base):
    """A note the mechanism attaches to a report, in its own name, never changing the report.

    A party's allegation is corrected only by that party; a mediator or monitor who
    doubts or completes it adds an annotation, attributed to them. Rows are never
    updated or deleted (the database refuses it, see migration ``intake_0002_annotations``).
    """

    __tablename__ = "report_annotations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id"), index=True)
    text: Mapped[str] = mapped_column(Text)
    author: Mapped[str] = mapped_column(String(64))
    author_role: Mapped[str] = mapped_column(String(32))
    author_party: Mapped[str | None] = mapped_column(String(2))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class FactProposal(Base):
    """A fact the reader proposed from a report's text at intake (one field of one event).

    The report itself is stored verbatim and never changed; its proposed facts are
    rows of their own, with the spans of text they were read from. Append-only.
    """

    __tablename__ = "fact_proposals"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id"), index=True)
    event_index: Mapped[int] = mapped_column(Integer, default=0)
    field: Mapped[str] = mapped_column(String(32))
    value: Mapped[Any] = mapped_column(JSON, nullable=True)
    evidence: Mapped[list[list[int]]] = mapped_column(JSON, default=list)
    confidence: Mapped[float] = mapped_column(Float, default=0.0)
    extractor: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class FactReview(Base):
    """An analyst's decision on one proposed fact: accepted as proposed, or corrected.

    Kept as labelled data for evaluating the reader (``truceline extract labels``);
    append-only, so a later decision on the same fact is a new row, and the latest wins.
    """

    __tablename__ = "fact_reviews"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("fact_proposals.id"), index=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id"), index=True)
    field: Mapped[str] = mapped_column(String(32))
    decision: Mapped[str] = mapped_column(String(16))
    proposed: Mapped[Any] = mapped_column(JSON, nullable=True)
    value: Mapped[Any] = mapped_column(JSON, nullable=True)
    reviewer: Mapped[str] = mapped_column(String(64))
    reviewer_role: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
