"""Who alleges what against whom, on the incident page: shown in the case header, and a small
form with which a mediator corrects it, with a reason.

The header names the allegation the parties were taken from (a party's
allegation report, never a denial or a media item) and lists earlier
corrections with who made them and why. The form posts to
``/incidents/{code}/case-parties`` with the CSRF token and calls
``verification.parties.correct_parties``, the same function as the API
(``POST /api/verification/{ref}/parties``); the access policy decides who may
(mediators: ``manage`` on the case). A refusal redraws the page with the
message next to the field; success is a 303 back to the verification section.
"""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select

from truceline.accounts.policy import AccessDenied
from truceline.http.deps import Public, SessionDep
from truceline.http.i18n import N_, CurrentUI
from truceline.verification import parties
from truceline.verification.models import VerificationCase
from truceline.verification.pages.access import IncidentForm
from truceline.verification.pages.actions import incident_path, render_incident_page
from truceline.verification.pages.messages import FORM as FORM_ERROR
from truceline.verification.pages.messages import STALE, FormState, refusal_for
from truceline.verification.services import VerificationError

router = APIRouter(include_in_schema=False)

FORM = "case-parties"
MESSAGES: dict[str, str] = {
    "reason": N_("Say why the parties are corrected: not empty, at most 20,000 characters."),
    "alleging_party": N_("Choose Afghanistan or Pakistan."),
    "accused_party": N_("Choose the other party: a party does not allege a breach against itself."),
}


@router.post("/incidents/{code}/case-parties")
async def submit_case_parties(
    request: Request,
    session: SessionDep,
    sender: IncidentForm,
    ui: CurrentUI,
    code: str,
) -> Response:
    """Correct who alleges against whom, then show the verification section again.

    The signature declares what the form needs first (reading the incident); whether the
    caller may correct this case's parties is the policy's ``manage`` on the case, asked by
    ``parties.correct_parties`` on the loaded case."""
    principal, incident = sender.principal, sender.incident
    if not principal.signed_in:
        raise HTTPException(401, "sign in to correct a case")
    raw = await request.form()
    values = {k: v for k, v in raw.items() if isinstance(v, str) and k != "csrf_token"}
    try:
        with session.begin_nested():
            case = session.scalar(
                select(VerificationCase).where(VerificationCase.incident_id == incident.id)
            )
            if case is None:
                raise VerificationError(
                    "case: no verification is open on this incident", field="case"
                )
            parties.correct_parties(
                session, case, alleging_party=values.get("alleging_party", ""),
                accused_party=values.get("accused_party", ""),
                reason=values.get("reason", ""), principal=principal,
            )  # fmt: skip
    except VerificationError as exc:
        name = exc.field or ""
        errors = {name: MESSAGES[name]} if name in MESSAGES else {FORM_ERROR: STALE}
        state = FormState(FORM, values, errors, str(exc))
        return render_incident_page(
            request, session, principal, ui, code, form_state=state, status_code=422
        )
    except AccessDenied as exc:
        refused = refusal_for(exc, values)
        state = FormState(FORM, values, refused.errors, refused.detail)
        return render_incident_page(
            request, session, principal, ui, code, form_state=state, status_code=refused.status
        )
    return RedirectResponse(f"{incident_path(code)}#verification", status_code=303)


@router.get("/incidents/{code}/case-parties", include_in_schema=False)
def case_parties_form_address(_: Public, code: str) -> Response:
    """A reload of the form's address after a refusal leads back to the case, not to a 405."""
    return RedirectResponse(f"{incident_path(code)}#verification", status_code=303)
