"""Taking the files attached to an incident's reports into its case as evidence.

Intake already stored the bytes (same content-addressed store) and who
obtained them, when and how. Adoption creates one evidence item per file not
yet held by the case, carrying that metadata over, with a ``received`` custody
entry naming the report it came from. Adopting twice adds nothing.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from truceline.accounts.policy import Action, Resource, ResourceType, require
from truceline.accounts.roles import Principal
from truceline.audit.log import append_entry
from truceline.incidents.models import IncidentReportLink, Report
from truceline.intake.models import ReportAttachment
from truceline.verification.models import CustodyEntry, EvidenceItem, VerificationCase
from truceline.verification.serialisation import evidence_json


def adopt_report_attachments(
    session: Session, case: VerificationCase, *, principal: Principal
) -> list[EvidenceItem]:
    """Evidence items for the linked reports' attachments that the case does not hold yet."""
    require(principal, Action.CREATE, Resource(ResourceType.EVIDENCE_ORIGINAL))
    held = set(session.scalars(select(EvidenceItem.sha256).where(EvidenceItem.case_id == case.id)))
    rows = session.execute(
        select(ReportAttachment, Report)
        .join(Report, ReportAttachment.report_id == Report.id)
        .join(IncidentReportLink, IncidentReportLink.report_id == Report.id)
        .where(
            IncidentReportLink.incident_id == case.incident_id,
            IncidentReportLink.unlinked_at.is_(None),
        )
        .order_by(ReportAttachment.id)
    ).all()
    adopted = []
    for attachment, report in rows:
        if attachment.sha256 in held:
            continue
        held.add(attachment.sha256)
        adopted.append(_adopt(session, case, attachment, report, principal))
    return adopted


def _adopt(
    session: Session,
    case: VerificationCase,
    attachment: ReportAttachment,
    report: Report,
    principal: Principal,
) -> EvidenceItem:
    item = EvidenceItem(
        case_id=case.id,
        sha256=attachment.sha256,
        size_bytes=attachment.size_bytes,
        media_type=attachment.media_type,
        filename=attachment.original_filename,
        description=f"attached to report {report.code}",
        obtained_by=attachment.obtained_by,
        obtained_at=attachment.obtained_at,
        how_obtained=attachment.how_obtained or f"attached to report {report.code}",
        submitted_party=report.source_party if report.source_type == "party_liaison" else None,
        added_by=principal.name,
    )
    session.add(item)
    session.flush()
    session.add(
        CustodyEntry(
            evidence_id=item.id,
            action="received",
            holder=principal.name,
            note=f"from report {report.code}, received by {attachment.added_by}",
            sha256_checked=attachment.sha256,
            recorded_by=principal.name,
        )
    )
    append_entry(
        session,
        actor=principal.as_actor(),
        action="evidence.adopted",
        object_type="evidence",
        object_id=item.id,
        after=evidence_json(item),
    )
    return item
