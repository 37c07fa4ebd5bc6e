"""Annotating a report: the mechanism's note beside a party's words, never in their place.

A correction is a new version of a report in its source's name, so only the
source may file it (``policy``: action ``correct``). A mediator, team member or
field monitor who doubts or completes a report annotates it instead: the note is
a row of its own, attributed to its author and audited, and the report is
unchanged. Who may annotate is asked of the one policy (action ``annotate``),
so the API, the pages and the command line agree.
"""

from __future__ import annotations

import hashlib

from sqlalchemy import select
from sqlalchemy.orm import Session

from truceline.accounts.policy import Action, require
from truceline.accounts.roles import Principal
from truceline.accounts.scoping import resource_of
from truceline.audit.log import append_entry
from truceline.errors import CodedError
from truceline.incidents.models import Report
from truceline.intake.models import ReportAnnotation
from truceline.intake.schemas import AnnotationIn, AnnotationOut


class AnnotationError(CodedError, LookupError):
    """The report to annotate does not exist."""

    default_code = "annotation_refused"


def annotate_report(
    session: Session, report_id: int, note: AnnotationIn, *, principal: Principal
) -> ReportAnnotation:
    """Attach ``note`` to the report in ``principal``'s name (refused unless the policy allows)."""
    report = session.get(Report, report_id)
    if report is None:
        raise AnnotationError(f"report {report_id} does not exist")
    require(principal, Action.ANNOTATE, resource_of(report))
    annotation = ReportAnnotation(
        report_id=report.id,
        text=note.text,
        author=principal.name,
        author_role=principal.role.value,
        author_party=principal.party,
    )
    session.add(annotation)
    session.flush()
    # The log is read by both parties: it keeps the note's digest, never its words.
    digest = hashlib.sha256(note.text.encode()).hexdigest()
    append_entry(session, actor=principal.as_actor(), action="intake.report_annotated",
                 object_type="report", object_id=report.id,
                 after={"annotation": annotation.id, "text_sha256": digest})  # fmt: skip
    return annotation


def annotations_of(session: Session, report_id: int) -> list[AnnotationOut]:
    rows = session.scalars(
        select(ReportAnnotation)
        .where(ReportAnnotation.report_id == report_id)
        .order_by(ReportAnnotation.id)
    )
    return [AnnotationOut.model_validate(row, from_attributes=True) for row in rows]
