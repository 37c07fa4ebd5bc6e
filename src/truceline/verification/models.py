"""ORM models of the verification workflow: cases, transitions, teams, tasks, replies,
member views, determinations, obstructions and evidence with its chain of custody.

Everything here is append-only except a case's current state (and its
``version``, bumped by every transition so two mediators can never both move
the same case) and a task's completion. History is never rewritten: a new
team assignment retires the old members, a new member view supersedes (and
keeps) the member's earlier one, and evidence is never deleted.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from truceline.db.base import Base, utcnow


class VerificationCase(Base):
    """The verification of one incident: its state and the agreement whose deadlines apply."""

    __tablename__ = "verification_cases"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id"), unique=True)
    state: Mapped[str] = mapped_column(String(32), default="reported")
    version: Mapped[int] = mapped_column(Integer, default=1)
    agreement_id: Mapped[str | None] = mapped_column(String(64))
    alleging_party: Mapped[str | None] = mapped_column(String(2))
    accused_party: Mapped[str | None] = mapped_column(String(2))
    #: The party allegation the alleging party was taken from (None: given, or corrected).
    allegation_report_id: Mapped[int | None] = mapped_column(ForeignKey("reports.id"))
    reply_opened_at: Mapped[datetime | None]
    reply_due: Mapped[datetime | None]
    opened_by: Mapped[str] = mapped_column(String(64))
    opened_at: Mapped[datetime] = mapped_column(default=utcnow)

    transitions: Mapped[list[CaseTransition]] = relationship(
        order_by="CaseTransition.id", viewonly=True
    )


class PartyCorrection(Base):
    """A mediator's correction of who alleges against whom on a case, with the reason."""

    __tablename__ = "verification_party_corrections"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("verification_cases.id"), index=True)
    alleging_before: Mapped[str | None] = mapped_column(String(2))
    accused_before: Mapped[str | None] = mapped_column(String(2))
    alleging_after: Mapped[str] = mapped_column(String(2))
    accused_after: Mapped[str] = mapped_column(String(2))
    reason: Mapped[str] = mapped_column(Text)
    corrected_by: Mapped[str] = mapped_column(String(64))
    corrected_at: Mapped[datetime] = mapped_column(default=utcnow)


class CaseTransition(Base):
    """One step of a case through the state machine, with who took it and why."""

    __tablename__ = "verification_transitions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("verification_cases.id"), index=True)
    name: Mapped[str] = mapped_column(String(32))
    from_state: Mapped[str] = mapped_column(String(32))
    to_state: Mapped[str] = mapped_column(String(32))
    actor: Mapped[str] = mapped_column(String(64))
    actor_role: Mapped[str] = mapped_column(String(32))
    actor_party: Mapped[str | None] = mapped_column(String(2))
    note: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(default=utcnow)


class TeamMembership(Base):
    """A member of a case's joint verification team, from ``assigned_at`` until ``released_at``."""

    __tablename__ = "verification_team_members"
    __table_args__ = (Index("ix_verification_team_active", "case_id", "released_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("verification_cases.id"))
    name: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(32))
    nominated_by: Mapped[str | None] = mapped_column(String(2))
    assigned_by: Mapped[str] = mapped_column(String(64))
    assigned_at: Mapped[datetime] = mapped_column(default=utcnow)
    released_at: Mapped[datetime | None]


class VerificationTask(Base):
    """A site visit, interview, evidence request, first assessment or reply, with a deadline."""

    __tablename__ = "verification_tasks"
    __table_args__ = (Index("ix_verification_tasks_open_due", "done_at", "due_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("verification_cases.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    description: Mapped[str] = mapped_column(Text, default="")
    assignee: Mapped[str | None] = mapped_column(String(64))
    requested_from: Mapped[str | None] = mapped_column(String(2))
    due_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None]
    blocked_reason: Mapped[str | None] = mapped_column(String(32))
    blocked_note: Mapped[str] = mapped_column(Text, default="")
    done_at: Mapped[datetime | None]
    done_by: Mapped[str | None] = mapped_column(String(64))
    outcome: Mapped[str] = mapped_column(Text, default="")


class PartyReply(Base):
    """The accused party's reply, filed by its liaison; part of the record, never edited."""

    __tablename__ = "verification_replies"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("verification_cases.id"), index=True)
    party: Mapped[str] = mapped_column(String(2))
    text: Mapped[str] = mapped_column(Text)
    submitted_by: Mapped[str] = mapped_column(String(64))
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)
    late: Mapped[bool] = mapped_column(Boolean, default=False)


class MemberView(Base):
    """A team member's view; a newer view supersedes an older one and both are kept."""

    __tablename__ = "verification_member_views"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("verification_cases.id"), index=True)
    member: Mapped[str] = mapped_column(String(64))
    nominated_by: Mapped[str | None] = mapped_column(String(2))
    position: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text)
    supersedes_id: Mapped[int | None] = mapped_column(
        ForeignKey("verification_member_views.id"), unique=True
    )
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)


class Determination(Base):
    """The mediator's determination: the established facts and the findings they produced."""

    __tablename__ = "verification_determinations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("verification_cases.id"), unique=True)
    perpetrator: Mapped[str] = mapped_column(String(64))
    attribution: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    targets: Mapped[list[str]] = mapped_column(JSON, default=list)
    casualties: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    confidence: Mapped[str] = mapped_column(String(16))
    summary: Mapped[str] = mapped_column(Text, default="")
    finding_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    findings: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    determined_by: Mapped[str] = mapped_column(String(64))
    determined_at: Mapped[datetime] = mapped_column(default=utcnow)


class Obstruction(Base):
    """Monitors obstructed during a verification, recorded as an incident of its own."""

    __tablename__ = "verification_obstructions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("verification_cases.id"), index=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id"), unique=True)
    task_id: Mapped[int | None] = mapped_column(ForeignKey("verification_tasks.id"))
    obstructing_party: Mapped[str | None] = mapped_column(String(2))
    description: Mapped[str] = mapped_column(Text)
    recorded_by: Mapped[str] = mapped_column(String(64))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)


class EvidenceItem(Base):
    """A file in the content-addressed store, held as evidence in a case.

    An original may have redacted derivatives (``derived_from_id``); originals
    are restricted by the access policy until disclosed. Rows are never deleted.
    """

    __tablename__ = "evidence_items"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("verification_cases.id"), index=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size_bytes: Mapped[int] = mapped_column(Integer)
    media_type: Mapped[str] = mapped_column(String(100))
    filename: Mapped[str] = mapped_column(String(255), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    obtained_by: Mapped[str] = mapped_column(String(300))
    obtained_at: Mapped[datetime]
    how_obtained: Mapped[str] = mapped_column(Text)
    submitted_party: Mapped[str | None] = mapped_column(String(2))
    added_by: Mapped[str] = mapped_column(String(64))
    added_at: Mapped[datetime] = mapped_column(default=utcnow)
    derived_from_id: Mapped[int | None] = mapped_column(ForeignKey("evidence_items.id"))
    redaction_note: Mapped[str] = mapped_column(Text, default="")
    disclosed: Mapped[bool] = mapped_column(Boolean, default=False)
    released: Mapped[bool] = mapped_column(Boolean, default=False)


class CustodyEntry(Base):
    """One hand-over or handling of a piece of evidence; the chain is append-only."""

    __tablename__ = "evidence_custody"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    evidence_id: Mapped[int] = mapped_column(ForeignKey("evidence_items.id"), index=True)
    action: Mapped[str] = mapped_column(String(32))
    holder: Mapped[str] = mapped_column(String(300))
    note: Mapped[str] = mapped_column(Text, default="")
    sha256_checked: Mapped[str | None] = mapped_column(String(64))
    recorded_by: Mapped[str] = mapped_column(String(64))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)


class Proposal(Base):
    """Findings proposed to the parties: the draft facts and the findings they adjudicate to.

    Recorded when the case moves to ``findings_proposed``, so that both parties
    see what they reply to; the determination may differ, and the incident page
    shows how. A reopened case proposes again: every proposal is kept.
    """

    __tablename__ = "verification_proposals"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("verification_cases.id"), index=True)
    facts: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    findings: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    proposed_by: Mapped[str] = mapped_column(String(64))
    proposed_at: Mapped[datetime] = mapped_column(default=utcnow)


class IncidentVersion(Base):
    """One version of an incident's established facts: who changed them, when and why.

    Append-only: a determination or a correction adds a version (the first one
    also records the facts as they stood before), never rewrites one.
    """

    __tablename__ = "incident_versions"
    __table_args__ = (UniqueConstraint("incident_id", "version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16))
    facts: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    reason: Mapped[str] = mapped_column(Text, default="")
    changed_by: Mapped[str] = mapped_column(String(64))
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)
