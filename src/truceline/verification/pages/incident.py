"""What the verification context adds to the composite incident page, in one call.

The incident page (``truceline.web``) shows the case, its findings, the forms
the principal may send, publication and the parties' corrections; it asks for
all of them here once instead of reaching into five modules. ``finish`` is what
the page does to the response afterwards (forgetting a form already answered).
"""

from __future__ import annotations

from typing import Any

from fastapi import Request, Response
from sqlalchemy.orm import Session

from truceline.accounts.roles import Principal
from truceline.incidents.models import Incident
from truceline.verification.pages.actions import actions_context, forget_done
from truceline.verification.pages.case_view import LABELS, incident_verification
from truceline.verification.pages.findings_view import incident_findings
from truceline.verification.pages.messages import FormState
from truceline.verification.pages.parties_view import case_parties
from truceline.verification.pages.publication_view import publication_context


def incident_sections(
    request: Request,
    session: Session,
    incident: Incident,
    principal: Principal,
    form_state: FormState | None = None,
) -> dict[str, Any]:
    """The template context of the verification sections of one incident's page."""
    return {
        "findings": incident_findings(session, incident, principal),
        "verification": incident_verification(session, incident, principal),
        **LABELS,
        **actions_context(request, session, incident, principal, form_state),
        **publication_context(principal, incident),
        **case_parties(session, incident, principal),
    }


def finish(response: Response, sections: dict[str, Any], code: str) -> None:
    """Forget a form once the page has shown that it was done."""
    if sections["done"]:
        forget_done(response, code)
