"""ORM models of incidents, reports and their links."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from truceline.db.base import Base, utcnow
from truceline.events.provenance import DEFAULT_ORIGIN, default_kind


class Incident(Base):
    """The consolidated view of one event, in ACLED/UCDP terms."""

    __tablename__ = "incidents"
    __table_args__ = (
        UniqueConstraint("origin_dataset", "origin_event_id", name="uq_incidents_origin"),
        Index("ix_incidents_occurred_at", "occurred_at"),
        Index("ix_incidents_lat_lon", "lat", "lon"),
        # The dashboard's counts of a period and its map's clusters read this index alone,
        # never the rows: every column they group or filter by (and the public's
        # visibility) is in it.
        Index(
            "ix_incidents_summary",
            "occurred_at",
            "verification_state",
            "perpetrator",
            "target_actor",
            "event_type",
            "released",
            "lat",
            "lon",
        ),
        # The actor menu (one probe per actor) and lists filtered by actor, newest first.
        Index("ix_incidents_perpetrator_time", "perpetrator", "occurred_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(String(300), default="")
    occurred_at: Mapped[datetime]
    occurred_until: Mapped[datetime | None]
    time_precision: Mapped[int] = mapped_column(Integer, default=1)
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    geo_precision: Mapped[int] = mapped_column(Integer, default=1)
    place_name: Mapped[str] = mapped_column(String(300), default="")
    country: Mapped[str | None] = mapped_column(String(2))
    admin1: Mapped[str | None] = mapped_column(String(120))
    admin2: Mapped[str | None] = mapped_column(String(120))
    event_type: Mapped[str] = mapped_column(String(64))
    perpetrator: Mapped[str] = mapped_column(String(64), default="unknown")
    perpetrator_label: Mapped[str] = mapped_column(String(300), default="")
    target_actor: Mapped[str | None] = mapped_column(String(64))
    target_label: Mapped[str] = mapped_column(String(300), default="")
    targets: Mapped[list[str]] = mapped_column(JSON, default=list)
    casualties: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    attribution: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    verification_state: Mapped[str] = mapped_column(String(32), default="reported")
    released: Mapped[bool] = mapped_column(default=False)
    notes: Mapped[str] = mapped_column(Text, default="")
    origin_dataset: Mapped[str | None] = mapped_column(String(32))
    origin_event_id: Mapped[str | None] = mapped_column(String(64))
    origin_record: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    #: Set when an analyst merged this incident into another (see ``IncidentOperation``).
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("incidents.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    links: Mapped[list[IncidentReportLink]] = relationship(back_populates="incident")


def _kind(context: Any) -> str:
    """A report stored without a kind gets intake's default (``provenance.default_kind``)."""
    row = context.get_current_parameters()
    return default_kind(row["source_type"], row.get("source_party"), row.get("claimed_perpetrator"))


def _origin(context: Any) -> str:
    """A report stored without an origin gets its source type's default."""
    return DEFAULT_ORIGIN.get(context.get_current_parameters()["source_type"], "unknown")


class Report(Base):
    """One source's account of an event: verbatim, graded, immutable."""

    __tablename__ = "reports"
    __table_args__ = (
        UniqueConstraint("origin_dataset", "origin_event_id", "version", name="uq_reports_origin"),
        Index("ix_reports_occurred_at", "occurred_at"),
        # The dashboard's allegations: reports of one source type received in a period.
        Index("ix_reports_source_received", "source_type", "received_at"),
        # A report has at most one correction: versions form a chain, never a tree.
        Index("uq_reports_supersedes_id", "supersedes_id", unique=True),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    supersedes_id: Mapped[int | None] = mapped_column(ForeignKey("reports.id"))
    channel: Mapped[str] = mapped_column(String(32))
    source_type: Mapped[str] = mapped_column(String(32))
    source_name: Mapped[str] = mapped_column(String(300), default="")
    source_party: Mapped[str | None] = mapped_column(String(8))
    reliability: Mapped[str] = mapped_column(String(1), default="F")
    credibility: Mapped[int] = mapped_column(Integer, default=6)
    text: Mapped[str] = mapped_column(Text, default="")
    language: Mapped[str | None] = mapped_column(String(8))
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    occurred_at: Mapped[datetime | None]
    time_precision: Mapped[int] = mapped_column(Integer, default=1)
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    geo_precision: Mapped[int] = mapped_column(Integer, default=1)
    place_text: Mapped[str] = mapped_column(String(300), default="")
    event_type: Mapped[str | None] = mapped_column(String(64))
    claimed_perpetrator: Mapped[str | None] = mapped_column(String(64))
    claimed_perpetrator_label: Mapped[str] = mapped_column(String(300), default="")
    claimed_targets: Mapped[list[str]] = mapped_column(JSON, default=list)
    casualties: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    content_hash: Mapped[str] = mapped_column(String(64), index=True)
    origin_dataset: Mapped[str | None] = mapped_column(String(32))
    origin_event_id: Mapped[str | None] = mapped_column(String(64))
    submitted_by: Mapped[str | None] = mapped_column(String(64))
    #: The submitting client's idempotency token: a resubmission returns the stored report.
    client_token: Mapped[str | None] = mapped_column(String(128), unique=True, index=True)
    #: The agreement the report alleges a breach of (checked against the profile at intake).
    agreement_id: Mapped[str | None] = mapped_column(String(64))
    #: What kind of statement it is and where its information comes from
    #: (``events.provenance``): a party's allegation or denial, or an account; witnessed,
    #: an official statement, or relayed from ``relayed_from`` (a party's voice: ``relayed_from_party``).
    kind: Mapped[str] = mapped_column(String(16), default=_kind, server_default="account")
    origin: Mapped[str] = mapped_column(String(24), default=_origin, server_default="unknown")
    relayed_from: Mapped[str] = mapped_column(String(300), default="", server_default="")
    relayed_from_party: Mapped[str | None] = mapped_column(String(2))
    #: How kind and origin were set: stated at intake, a default, or the phrase they were read from.
    origin_note: Mapped[str] = mapped_column(String(300), default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    links: Mapped[list[IncidentReportLink]] = relationship(back_populates="report")


class IncidentReportLink(Base):
    """That a report belongs to an incident, from ``linked_at`` until ``unlinked_at``."""

    __tablename__ = "incident_report_links"
    __table_args__ = (Index("ix_links_incident_active", "incident_id", "unlinked_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id"))
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id"), index=True)
    linked_at: Mapped[datetime] = mapped_column(default=utcnow)
    linked_by: Mapped[str] = mapped_column(String(64), default="system")
    method: Mapped[str] = mapped_column(String(32), default="import")
    score: Mapped[float | None] = mapped_column(Float)
    reasons: Mapped[list[str]] = mapped_column(JSON, default=list)
    unlinked_at: Mapped[datetime | None]
    unlinked_by: Mapped[str | None] = mapped_column(String(64))

    incident: Mapped[Incident] = relationship(back_populates="links")
    report: Mapped[Report] = relationship(back_populates="links")


class IncidentOperation(Base):
    """An analyst's merge or split (or the undoing of one), kept so that it can be undone.

    ``details`` lists the link ids retired and created, which is all an undo needs:
    links are never rewritten, so reversing an operation retires its new links and
    re-creates the old ones.
    """

    __tablename__ = "incident_operations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(16))
    source_incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id"))
    target_incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id"))
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    reason: Mapped[str] = mapped_column(Text, default="")
    performed_by: Mapped[str] = mapped_column(String(64))
    performed_at: Mapped[datetime] = mapped_column(default=utcnow)
    undoes_id: Mapped[int | None] = mapped_column(ForeignKey("incident_operations.id"))
    undone_by_id: Mapped[int | None] = mapped_column(ForeignKey("incident_operations.id"))
