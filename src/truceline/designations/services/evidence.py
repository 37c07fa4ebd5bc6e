"""Criteria for joint designation, and the evidence linked to each criterion per group."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from truceline.audit.actor import Actor
from truceline.audit.log import add_logged
from truceline.designations.domain.matrix import Assessment
from truceline.designations.domain.positions import DesignationError
from truceline.designations.models import Criterion, CriterionEvidence
from truceline.designations.services.registry import require_group

#: Who may assert evidence: the parties, the mechanism's own monitors, the UN.
ASSERTERS = ("AF", "PK", "MM", "UN", "QA", "TR")


def add_criterion(
    session: Session, *, actor: Actor, code: str, title: str, description: str, position: int
) -> bool:
    """Add a criterion to the explicit set; True when new."""
    if session.get(Criterion, code) is not None:
        return False
    add_logged(
        session,
        Criterion(code=code, title=title, description=description, position=position),
        actor=actor,
        action="designations.criterion.add",
        object_type="designation_criterion",
        object_id=code,
        after={"code": code, "title": title},
    )
    return True


def record_evidence(
    session: Session,
    *,
    actor: Actor,
    group_id: str,
    criterion: str,
    asserted_by: str,
    assessment: str,
    summary: str,
    source: str,
    observed_on: date | None = None,
    incident_code: str | None = None,
) -> CriterionEvidence | None:
    """Append one piece of evidence that ``group_id`` meets (or not) ``criterion``.

    None when the very same evidence is already recorded (re-imports add nothing).
    """
    require_group(session, group_id)
    if session.get(Criterion, criterion) is None:
        raise DesignationError(f"criterion: unknown code {criterion!r}")
    if asserted_by not in ASSERTERS:
        raise DesignationError(
            f"asserted_by {asserted_by!r}: must be one of {', '.join(ASSERTERS)}"
        )
    if assessment not in {a.value for a in Assessment}:
        allowed = ", ".join(a.value for a in Assessment)
        raise DesignationError(f"assessment {assessment!r}: must be one of {allowed}")
    if not summary.strip() or not source.strip():
        raise DesignationError(f"evidence on {group_id}/{criterion}: summary and source required")
    same = select(CriterionEvidence.id).where(
        CriterionEvidence.group_id == group_id,
        CriterionEvidence.criterion_code == criterion,
        CriterionEvidence.asserted_by == asserted_by,
        CriterionEvidence.assessment == assessment,
        CriterionEvidence.summary == summary,
        CriterionEvidence.source == source,
    )
    if session.scalars(same).first() is not None:
        return None
    row = CriterionEvidence(
        group_id=group_id,
        criterion_code=criterion,
        asserted_by=asserted_by,
        assessment=assessment,
        summary=summary,
        source=source,
        observed_on=observed_on,
        incident_code=incident_code,
        recorded_by=actor.name,
    )
    add_logged(
        session,
        row,
        actor=actor,
        action="designations.evidence.record",
        object_type="criterion_evidence",
        after={"group": group_id, "criterion": criterion, "by": asserted_by, "source": source},
    )
    return row
