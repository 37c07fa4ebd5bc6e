"""ORM models of the armed-group registry, designations and the alignment process.

Everything a party or the mediator asserts is append-only: positions,
evidence and alignment steps are inserted, never updated. A correction is a
new row that names the row it supersedes. To add a kind of external listing
or relation, add a value to the enums in ``domain``; the columns are strings.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from truceline.db.base import Base, utcnow


class ArmedGroup(Base):
    """An armed group under its own name, with a stable upper-case id (``TTP``)."""

    __tablename__ = "armed_groups"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    founded_year: Mapped[int | None] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    aliases: Mapped[list[GroupAlias]] = relationship(back_populates="group")


class GroupAlias(Base):
    """Another name of a group: a spelling, a script, or a party's political label."""

    __tablename__ = "group_aliases"
    __table_args__ = (UniqueConstraint("group_id", "alias", name="uq_group_aliases_group_alias"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    group_id: Mapped[str] = mapped_column(ForeignKey("armed_groups.id"))
    alias: Mapped[str] = mapped_column(String(200))
    normalised: Mapped[str] = mapped_column(String(200), index=True)
    script: Mapped[str] = mapped_column(String(8))
    language: Mapped[str] = mapped_column(String(8))
    kind: Mapped[str] = mapped_column(String(32))
    origin: Mapped[str] = mapped_column(String(200))
    used_since: Mapped[date | None] = mapped_column(Date)
    source: Mapped[str] = mapped_column(Text, default="")

    group: Mapped[ArmedGroup] = relationship(back_populates="aliases")


class GroupRelation(Base):
    """``subject`` is ``kind`` (faction_of, splinter_of, ...) of ``object`` over a period."""

    __tablename__ = "group_relations"
    __table_args__ = (
        UniqueConstraint(
            "subject_id", "kind", "object_id", "valid_from", name="uq_group_relations_span"
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    subject_id: Mapped[str] = mapped_column(ForeignKey("armed_groups.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    object_id: Mapped[str] = mapped_column(ForeignKey("armed_groups.id"), index=True)
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_until: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(Text, default="")


class ExternalListing(Base):
    """An entry on a sanctions or proscription list (UN 1267, US FTO, NACTA, ...)."""

    __tablename__ = "group_listings"
    __table_args__ = (UniqueConstraint("group_id", "list_name", name="uq_group_listings_list"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    group_id: Mapped[str] = mapped_column(ForeignKey("armed_groups.id"), index=True)
    list_name: Mapped[str] = mapped_column(String(120))
    listed_by: Mapped[str] = mapped_column(String(32))
    reference: Mapped[str | None] = mapped_column(String(64))
    listed_on: Mapped[date | None] = mapped_column(Date)
    listed_year: Mapped[int | None] = mapped_column(Integer)
    delisted_on: Mapped[date | None] = mapped_column(Date)
    source: Mapped[str] = mapped_column(Text)


class DesignationPosition(Base):
    """A party's (or the joint) position on a group from ``effective_from`` on."""

    __tablename__ = "designation_positions"
    __table_args__ = (
        Index("ix_designation_positions_holder_group", "holder", "group_id", "effective_from"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    holder: Mapped[str] = mapped_column(String(8))
    group_id: Mapped[str] = mapped_column(ForeignKey("armed_groups.id"))
    stance: Mapped[str] = mapped_column(String(16))
    effective_from: Mapped[date] = mapped_column(Date)
    date_precision: Mapped[str] = mapped_column(String(8), default="day")
    rationale: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(Text)
    criteria: Mapped[list[str]] = mapped_column(JSON, default=list)
    supersedes_id: Mapped[int | None] = mapped_column(ForeignKey("designation_positions.id"))
    process_id: Mapped[int | None] = mapped_column(ForeignKey("alignment_processes.id"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
    recorded_by: Mapped[str] = mapped_column(String(64), default="system")


class Criterion(Base):
    """One of the explicit criteria for joint designation (seeded by the profile)."""

    __tablename__ = "designation_criteria"

    code: Mapped[str] = mapped_column(String(48), primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(Integer, default=0)


class CriterionEvidence(Base):
    """Evidence, asserted by a party or the mechanism, that a group meets a criterion or not."""

    __tablename__ = "criterion_evidence"
    __table_args__ = (Index("ix_criterion_evidence_group", "group_id", "criterion_code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    group_id: Mapped[str] = mapped_column(ForeignKey("armed_groups.id"))
    criterion_code: Mapped[str] = mapped_column(ForeignKey("designation_criteria.code"))
    asserted_by: Mapped[str] = mapped_column(String(16))
    assessment: Mapped[str] = mapped_column(String(16))
    summary: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(Text)
    observed_on: Mapped[date | None] = mapped_column(Date)
    incident_code: Mapped[str | None] = mapped_column(String(64))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
    recorded_by: Mapped[str] = mapped_column(String(64), default="system")


class AlignmentProcess(Base):
    """A proposal to put a group on (or off) the joint list, and its progress."""

    __tablename__ = "alignment_processes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    group_id: Mapped[str] = mapped_column(ForeignKey("armed_groups.id"), index=True)
    proposed_stance: Mapped[str] = mapped_column(String(16))
    stage: Mapped[str] = mapped_column(String(24))
    opened_at: Mapped[datetime] = mapped_column(default=utcnow)
    opened_by: Mapped[str] = mapped_column(String(64))

    steps: Mapped[list[AlignmentStep]] = relationship(
        back_populates="process", order_by="AlignmentStep.id"
    )


class AlignmentStep(Base):
    """One append-only step of a process: proposal, position, session, decision, deferral."""

    __tablename__ = "alignment_steps"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    process_id: Mapped[int] = mapped_column(ForeignKey("alignment_processes.id"), index=True)
    kind: Mapped[str] = mapped_column(String(24))
    party: Mapped[str | None] = mapped_column(String(8))
    stance: Mapped[str | None] = mapped_column(String(16))
    rationale: Mapped[str] = mapped_column(Text, default="")
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    occurred_on: Mapped[date] = mapped_column(Date)
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
    recorded_by: Mapped[str] = mapped_column(String(64))

    process: Mapped[AlignmentProcess] = relationship(back_populates="steps")
