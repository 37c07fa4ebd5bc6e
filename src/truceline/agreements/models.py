"""ORM models: agreements, their versions, and findings with their history.

An agreement's terms live in ``AgreementVersion.document`` (the validated
document as JSON). Amending an agreement adds a version; old versions stay.
A finding is never updated in place except to mark it superseded: each
recomputation appends new rows, so the history of findings is kept.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from truceline.db.base import Base, utcnow


class Agreement(Base):
    """An agreement's identity; its terms are in its versions."""

    __tablename__ = "agreements"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    current_version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    versions: Mapped[list[AgreementVersion]] = relationship(
        back_populates="agreement", order_by="AgreementVersion.version"
    )


class AgreementVersion(Base):
    """One version of an agreement's document, kept forever."""

    __tablename__ = "agreement_versions"
    __table_args__ = (UniqueConstraint("agreement_id", "version", name="uq_agreement_versions"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    agreement_id: Mapped[str] = mapped_column(ForeignKey("agreements.id"))
    version: Mapped[int] = mapped_column(Integer)
    document: Mapped[dict[str, Any]] = mapped_column(JSON)
    content_hash: Mapped[str] = mapped_column(String(64))
    note: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[str] = mapped_column(String(64), default="system")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    agreement: Mapped[Agreement] = relationship(back_populates="versions")


class StoredFinding(Base):
    """A finding on a stored incident, as computed at ``computed_at``.

    The current findings of an incident are those with ``superseded_at`` null.
    """

    __tablename__ = "findings"
    __table_args__ = (Index("ix_findings_incident_current", "incident_id", "superseded_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id"))
    agreement_id: Mapped[str | None] = mapped_column(ForeignKey("agreements.id"))
    agreement_version: Mapped[int | None] = mapped_column(Integer)
    finding: Mapped[str] = mapped_column(String(32))
    violating_party: Mapped[str | None] = mapped_column(String(8))
    clauses: Mapped[list[str]] = mapped_column(JSON, default=list)
    basis: Mapped[str] = mapped_column(String(16))
    explanation: Mapped[str] = mapped_column(Text)
    #: The explanation as catalogue messages (``agreements.messages``); None on older rows.
    explanation_parts: Mapped[list[Any] | None] = mapped_column(JSON, nullable=True)
    missing_facts: Mapped[list[str]] = mapped_column(JSON, default=list)
    rules_version: Mapped[str] = mapped_column(String(64))
    facts_hash: Mapped[str] = mapped_column(String(64))
    definition: Mapped[str] = mapped_column(String(200))
    computed_at: Mapped[datetime] = mapped_column(default=utcnow)
    computed_by: Mapped[str] = mapped_column(String(64), default="system")
    superseded_at: Mapped[datetime | None]
    superseded_by_id: Mapped[int | None] = mapped_column(ForeignKey("findings.id"))

    def to_json(self) -> dict[str, Any]:
        """The finding of docs/cli.md ("Findings"), plus the stored history fields."""
        return {
            "id": self.id,
            "incident_id": self.incident_id,
            "agreement": self.agreement_id,
            "finding": self.finding,
            "violating_party": self.violating_party,
            "clauses": list(self.clauses),
            "basis": self.basis,
            "explanation": self.explanation,
            "missing_facts": list(self.missing_facts),
            "agreement_version": self.agreement_version,
            "rules_version": self.rules_version,
            "facts_hash": self.facts_hash,
            "definition": self.definition,
            "computed_at": self.computed_at.isoformat(),
            "superseded_at": self.superseded_at.isoformat() if self.superseded_at else None,
            "superseded_by": self.superseded_by_id,
        }
