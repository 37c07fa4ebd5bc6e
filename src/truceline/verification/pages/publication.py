"""Publication from the incident page: release a determined incident, or withdraw it.

The incident page's Publication section shows whether the public sees the
incident and, to those the access policy lets release it (mediators), a
form: ``release`` or ``withdraw``, posted to ``/incidents/{code}/publication/<form>``
with the CSRF token like every form. Both call ``verification.publication.set_released``,
the same function as the API and the command line; a refusal comes back as
the incident page with the policy's reason (403), success is a 303 back to the
section. What the section shows is ``publication_view``.
"""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from truceline.accounts.policy import AccessDenied
from truceline.http.deps import Public, SessionDep
from truceline.http.i18n import N_, CurrentUI
from truceline.verification import publication
from truceline.verification.pages.access import IncidentForm
from truceline.verification.pages.actions import incident_path, render_incident_page
from truceline.verification.pages.messages import FormState, refusal_for

router = APIRouter(include_in_schema=False)

FORMS = ("release", "withdraw")
REASON_RULE = N_("The reason is too long: at most 2,000 characters.")


@router.post("/incidents/{code}/publication/{form}")
async def submit_publication_form(
    request: Request,
    session: SessionDep,
    sender: IncidentForm,
    ui: CurrentUI,
    code: str,
    form: str,
) -> Response:
    """Release or withdraw the incident, then show its Publication section again.

    The signature declares what both forms need (reading the incident); whether the caller
    may release or withdraw this incident is the policy's ``release`` rule, asked by
    ``publication.set_released`` with the incident's facts (determined, released)."""
    principal, incident = sender.principal, sender.incident
    if form not in FORMS:
        raise HTTPException(404, f"no incident {code!r} or form {form!r} for you")
    if not principal.signed_in:
        raise HTTPException(401, "sign in to publish incidents")
    raw = await request.form()
    values = {k: v for k, v in raw.items() if isinstance(v, str) and k != "csrf_token"}
    try:
        with session.begin_nested():
            publication.set_released(
                session,
                incident,
                principal=principal,
                released=form == "release",
                reason=values.get("reason", ""),
            )
    except publication.PublicationError:
        state = FormState(form, values, {"reason": REASON_RULE})
        return render_incident_page(
            request, session, principal, ui, code, form_state=state, status_code=422
        )
    except AccessDenied as exc:
        refused = refusal_for(exc, values)
        state = FormState(form, values, refused.errors, refused.detail)
        return render_incident_page(
            request, session, principal, ui, code, form_state=state, status_code=refused.status
        )
    return RedirectResponse(f"{incident_path(code)}#publication", status_code=303)


@router.get("/incidents/{code}/publication/{form}", include_in_schema=False)
def publication_form_address(_: Public, code: str, form: str) -> Response:
    """A reload of the form's address leads back to the incident's publication section."""
    return RedirectResponse(f"{incident_path(code)}#publication", status_code=303)
