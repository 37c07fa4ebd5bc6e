"""HTTP routes for evidence: upload with metadata, custody, redaction, disclosure, download.

There is no route that deletes or replaces evidence. Downloads of originals
are checked by the access policy's evidence-original rule and logged in the
chain of custody.

Each route declares in its signature what the policy must grant
(``Authorized``); the piece of evidence is then checked with its own facts
(its party, its case's team, whether it was disclosed or released). Reading
declares ``read`` on redacted evidence, the widest of the two kinds (a released
redaction is public): whether this item, an original or a redaction, may be
read is its own rule's answer once it is loaded.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, UploadFile
from fastapi.responses import Response
from pydantic import BaseModel

from truceline.accounts.access import Access, Authorized
from truceline.accounts.policy import Action, ResourceType, require
from truceline.config import get_settings
from truceline.content_store import ContentStore
from truceline.db.bounds import RecordId
from truceline.http.deps import SessionDep
from truceline.verification import evidence, services
from truceline.verification.access import team_names
from truceline.verification.api_errors import REFUSALS, refusals
from truceline.verification.evidence_intake import (
    adopt_report_attachments as adopt_report_attachments_into,
)
from truceline.verification.schemas import CustodyIn
from truceline.verification.serialisation import evidence_json, evidence_resource

router = APIRouter(prefix="/api/verification", tags=["verification evidence"])

ReadsEvidence = Annotated[Access, Authorized(Action.READ, ResourceType.EVIDENCE_REDACTED)]
SubmitsEvidence = Annotated[Access, Authorized(Action.CREATE, ResourceType.EVIDENCE_ORIGINAL)]
WorksCases = Annotated[Access, Authorized(Action.UPDATE, ResourceType.VERIFICATION_CASE)]
Redacts = Annotated[Access, Authorized(Action.CREATE, ResourceType.EVIDENCE_REDACTED)]
Discloses = Annotated[Access, Authorized(Action.DISCLOSE, ResourceType.EVIDENCE_ORIGINAL)]


class EvidenceOut(BaseModel):
    id: int
    case_id: int
    sha256: str
    size_bytes: int
    media_type: str
    filename: str
    kind: str
    derived_from_id: int | None
    obtained_by: str
    obtained_at: str
    how_obtained: str
    disclosed: bool
    released: bool
    custody: list[dict[str, Any]]


def _out(session: SessionDep, item: evidence.EvidenceItem) -> dict[str, Any]:
    return {**evidence_json(item), "custody": evidence.custody_chain(session, item)}


@router.post("/{incident_ref}/evidence", response_model=EvidenceOut, responses=REFUSALS)
async def add_evidence(
    incident_ref: str,
    session: SessionDep,
    access: SubmitsEvidence,
    file: Annotated[UploadFile, File(description="The evidence file (size and type limited)")],
    obtained_by: Annotated[str, Form(max_length=300)],
    obtained_at: Annotated[datetime, Form(description="When it was obtained, with a time zone")],
    how_obtained: Annotated[str, Form(max_length=5000)],
    description: Annotated[str, Form(max_length=5000)] = "",
    submitted_party: Annotated[str | None, Form()] = None,
) -> Any:
    """Store a file as evidence of the incident's case, with who obtained it, when and how."""
    data = await file.read()
    with refusals():
        incident = services.find_incident(session, incident_ref)
        item = evidence.add_evidence(
            session,
            services.case_for(session, incident.id),
            data,
            principal=access.principal,
            obtained_by=obtained_by,
            obtained_at=obtained_at,
            how_obtained=how_obtained,
            filename=file.filename or "",
            description=description,
            submitted_party=submitted_party or None,
            store=ContentStore.under(get_settings().data_dir),
        )
        return _out(session, item)


@router.get("/evidence/{evidence_id}", response_model=EvidenceOut, responses=REFUSALS)
def read_evidence(evidence_id: RecordId, session: SessionDep, access: ReadsEvidence) -> Any:
    """Metadata and chain of custody of one piece of evidence."""
    with refusals():
        item = evidence.get_evidence(session, evidence_id)
        require(
            access.principal,
            Action.READ,
            evidence_resource(item, team=team_names(session, item.case_id)),
        )
        return _out(session, item)


@router.get(
    "/evidence/{evidence_id}/content",
    response_class=Response,
    responses={**REFUSALS, 200: {"content": {"application/octet-stream": {}}}},
)
def download_evidence(
    evidence_id: RecordId, session: SessionDep, access: ReadsEvidence
) -> Response:
    """The file itself; an original only for those the policy allows (the reading is logged)."""
    with refusals():
        item, data = evidence.read_content(
            session,
            evidence_id,
            principal=access.principal,
            store=ContentStore.under(get_settings().data_dir),
        )
    return Response(
        data,
        media_type=item.media_type,
        headers={"Content-Disposition": "attachment", "X-Content-SHA256": item.sha256},
    )


@router.post("/evidence/{evidence_id}/custody", response_model=EvidenceOut, responses=REFUSALS)
def record_custody(
    evidence_id: RecordId, body: CustodyIn, session: SessionDep, access: WorksCases
) -> Any:
    """Append a hand-over to the chain of custody (the stored bytes are checked first)."""
    with refusals():
        evidence.record_custody(
            session,
            evidence_id,
            principal=access.principal,
            store=ContentStore.under(get_settings().data_dir),
            **body.model_dump(),
        )
        return _out(session, evidence.get_evidence(session, evidence_id))


@router.post("/evidence/{evidence_id}/redactions", response_model=EvidenceOut, responses=REFUSALS)
async def redact_evidence(
    evidence_id: RecordId,
    session: SessionDep,
    access: Redacts,
    note: Annotated[str, Form(max_length=5000, description="What was redacted and why")],
    term: Annotated[list[str] | None, Form(description="Text to black out (text files)")] = None,
    file: Annotated[UploadFile | None, File(description="A derivative redacted by hand")] = None,
) -> Any:
    """Create a redacted derivative; the original is kept under restricted access."""
    redacted_file = await file.read() if file is not None else None
    with refusals():
        derived = evidence.redact(
            session,
            evidence_id,
            principal=access.principal,
            note=note,
            terms=term,
            redacted_file=redacted_file,
            store=ContentStore.under(get_settings().data_dir),
        )
        return _out(session, derived)


@router.post("/evidence/{evidence_id}/disclose", response_model=EvidenceOut, responses=REFUSALS)
def disclose_evidence(evidence_id: RecordId, session: SessionDep, access: Discloses) -> Any:
    """The mediator gives both parties access to an original."""
    with refusals():
        return _out(session, evidence.disclose(session, evidence_id, principal=access.principal))


@router.post(
    "/{incident_ref}/evidence/from-reports", response_model=list[EvidenceOut], responses=REFUSALS
)
def adopt_report_attachments(
    incident_ref: str, session: SessionDep, access: SubmitsEvidence
) -> Any:
    """Take the files attached to the incident's reports into the case as evidence."""
    with refusals():
        incident = services.find_incident(session, incident_ref)
        case = services.case_for(session, incident.id)
        items = adopt_report_attachments_into(session, case, principal=access.principal)
        return [_out(session, item) for item in items]
