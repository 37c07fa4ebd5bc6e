"""Evidence from the incident page: add a file, record a hand-over, redact, disclose.

Each form posts to ``/incidents/{code}/evidence/<form>`` (``evidence``,
``evidence-custody``, ``evidence-redact``, ``evidence-disclose``) and calls
``verification.evidence``, which asks the accounts policy and keeps the chain
of custody; the page only reads the form. Files are read from a multipart
upload; the store's limits (size, type) are the intake ones and a refused file
is named next to its field. Downloads go through the existing
``/api/verification/evidence/{id}/content`` (an original only for those the
policy allows, and reading it is logged in its chain of custody). As with the
other verification forms, a refusal comes back as the incident page with the
message next to the field (422/403), success is a 303 back to the evidence.
"""

from __future__ import annotations

from datetime import UTC, datetime, time

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.datastructures import UploadFile

from truceline.accounts.policy import AccessDenied
from truceline.accounts.roles import Principal
from truceline.config import get_settings
from truceline.content_store import ContentStore
from truceline.db.bounds import parse_record_id
from truceline.http.deps import Public, SessionDep
from truceline.http.i18n import CurrentUI, UIContext
from truceline.verification import evidence
from truceline.verification.evidence import CUSTODY_ACTIONS
from truceline.verification.models import EvidenceItem, VerificationCase
from truceline.verification.pages.access import IncidentForm
from truceline.verification.pages.actions import (
    EvidencePermits,
    evidence_permits,
    incident_path,
    remember_done,
    render_incident_page,
)
from truceline.verification.pages.messages import (
    FIELD_MESSAGES,
    FORM,
    STALE,
    FormState,
    refusal_for,
)
from truceline.verification.pages.workflow import FormInvalid, typed_instant
from truceline.verification.services import VerificationError

router = APIRouter(include_in_schema=False)

FORMS = ("evidence", "evidence-custody", "evidence-redact", "evidence-disclose")


def permitted(permits: EvidencePermits, form: str) -> bool:
    return {
        "evidence": permits.add,
        "evidence-custody": permits.custody,
        "evidence-redact": permits.redact,
        "evidence-disclose": permits.disclose,
    }[form]


@router.post("/incidents/{code}/evidence/{form}")
async def submit_evidence_form(
    request: Request,
    session: SessionDep,
    sender: IncidentForm,
    ui: CurrentUI,
    code: str,
    form: str,
) -> Response:
    """Do what one evidence form asks, then show the incident's evidence again.

    The signature declares what every form needs (reading the incident); which form the
    caller may send is the policy's answer for this case (``evidence_permits``), and the
    piece of evidence is checked with its own facts by ``verification.evidence``."""
    principal, incident = sender.principal, sender.incident
    if form not in FORMS:
        raise HTTPException(404, f"no incident {code!r} or form {form!r} for you")
    case = session.scalar(
        select(VerificationCase).where(VerificationCase.incident_id == incident.id)
    )
    if not principal.signed_in:
        raise HTTPException(401, "sign in to handle evidence")
    if not permitted(evidence_permits(principal, case), form):
        raise HTTPException(403, "the access policy does not let you do this")
    raw = await request.form()
    values = {k: v for k, v in raw.items() if isinstance(v, str) and k != "csrf_token"}
    upload = raw.get("file")
    try:
        with session.begin_nested():
            if case is None:
                raise FormInvalid({FORM: STALE})
            await _carry_out(form, session, case, principal, ui, values, upload)
    except FormInvalid as invalid:
        state = FormState(form, values, invalid.errors)
        return render_incident_page(
            request, session, principal, ui, code, form_state=state, status_code=422
        )
    except (VerificationError, AccessDenied, LookupError) as exc:
        refused = refusal_for(exc, values)
        state = FormState(form, values, refused.errors, refused.detail)
        return render_incident_page(
            request, session, principal, ui, code, form_state=state, status_code=refused.status
        )
    response = RedirectResponse(f"{incident_path(code)}#evidence", status_code=303)
    remember_done(response, code, form)
    return response


async def _carry_out(
    form: str,
    session: Session,
    case: VerificationCase,
    principal: Principal,
    ui: UIContext,
    values: dict[str, str],
    upload: object,
) -> None:
    if form == "evidence":
        data, filename = await _file(upload)
        evidence.add_evidence(
            session, case, data, principal=principal, filename=filename,
            obtained_by=values.get("obtained_by", ""),
            obtained_at=_obtained_at(values, ui),
            how_obtained=values.get("how_obtained", ""),
            description=values.get("description", "").strip(),
            submitted_party=principal.party,
        store=ContentStore.under(get_settings().data_dir),)  # fmt: skip
    elif form == "evidence-custody":
        _hand_over(session, _item(session, case, values), principal, values)
    elif form == "evidence-redact":
        _redact(session, _item(session, case, values), principal, values)
    else:
        evidence.disclose(session, _item(session, case, values).id, principal=principal)


def _hand_over(
    session: Session, item: EvidenceItem, principal: Principal, values: dict[str, str]
) -> None:
    action, holder = values.get("custody_action", ""), values.get("holder", "").strip()
    errors = (
        {} if action in CUSTODY_ACTIONS else {"custody_action": FIELD_MESSAGES["custody_action"]}
    )
    if not holder:
        errors["holder"] = FIELD_MESSAGES["holder"]
    if errors:
        raise FormInvalid(errors)
    evidence.record_custody(
        session, item.id, principal=principal, action=action, holder=holder,
        note=values.get("note", "").strip(),
    store=ContentStore.under(get_settings().data_dir),)  # fmt: skip


def _redact(
    session: Session, item: EvidenceItem, principal: Principal, values: dict[str, str]
) -> None:
    terms = [t.strip() for t in values.get("terms", "").splitlines() if t.strip()]
    note = values.get("redaction_note", "").strip()
    errors = {} if terms else {"terms": FIELD_MESSAGES["terms"]}
    if not note:
        errors["redaction_note"] = FIELD_MESSAGES["redaction_note"]
    if errors:
        raise FormInvalid(errors)
    evidence.redact(
        session,
        item.id,
        principal=principal,
        note=note,
        terms=terms,
        store=ContentStore.under(get_settings().data_dir),
    )


def _item(session: Session, case: VerificationCase, values: dict[str, str]) -> EvidenceItem:
    """The original the form names, if it belongs to this case (else the page was stale)."""
    ref = values.get("evidence_id", "")
    number = parse_record_id(ref)
    item = session.get(EvidenceItem, number) if number is not None else None
    if item is None or item.case_id != case.id or item.derived_from_id is not None:
        raise FormInvalid({FORM: STALE})
    return item


async def _file(upload: object) -> tuple[bytes, str]:
    if not isinstance(upload, UploadFile) or not upload.filename:
        raise FormInvalid({"file": FIELD_MESSAGES["file"]})
    data = await upload.read()
    if not data:
        raise FormInvalid({"file": FIELD_MESSAGES["file"]})
    return data, upload.filename


def _obtained_at(values: dict[str, str], ui: UIContext) -> datetime:
    """The day and time typed, in the zone the page shows; not in the future."""
    refused = FormInvalid({"obtained_on": FIELD_MESSAGES["obtained_on"]})
    try:
        instant = typed_instant(
            values, ui, "obtained_on", "obtained_time", default_clock=time(12, 0)
        )
    except ValueError:
        raise refused from None
    if instant is None or instant > datetime.now(UTC):
        raise refused
    return instant


@router.get("/incidents/{code}/evidence/{form}", include_in_schema=False)
def evidence_form_address(_: Public, code: str, form: str) -> Response:
    """A GET on a form's address (a reload of a form shown again with its errors) goes to
    the incident's evidence section instead of answering 405."""
    return RedirectResponse(f"{incident_path(code)}#evidence", status_code=303)
