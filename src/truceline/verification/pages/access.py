"""What the verification pages declare in their signatures, backed by the access policy.

``IncidentForm``: every form of the incident page declares reading the incident it
is sent on. ``TriageAnalyst``: the triage pages declare linking reports into
incidents (and reading every report, ``triage_queries.may_triage``).

The verification, evidence, publication and case-parties forms post to
``/incidents/{code}/...``. Which form a caller may send depends on the form and
on the record: the case's state, its joint team, the accused party, whether the
incident is determined or released. The workflow's step table
(``accounts.policy_workflow``) and the record rules answer that in the route,
on the loaded incident and case, exactly as they decide which forms the page
shows; a refusal comes back as the incident page with the reason next to the
form (403), or as a request to sign in (401).

What every one of these forms needs first, whatever the form, is the incident:
a caller reaches a form only on an incident the policy lets them read (``read``
on the incident, through ``incidents.pages.visibility.incident_by_code`` and
the policy's read filter). ``IncidentForm`` asks that before the route runs and
gives the route the incident. An incident the caller may not read does not
exist for them: 404, never 403, so that a refusal does not reveal it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, HTTPException, Request

from truceline.accounts.policy import Action, ResourceType
from truceline.accounts.roles import Principal
from truceline.http.deps import CurrentPrincipal, SessionDep
from truceline.incidents.models import Incident
from truceline.incidents.pages.visibility import incident_by_code
from truceline.verification.pages.triage_queries import may_triage


@dataclass(frozen=True)
class FormSender:
    """Who sends a form of the incident page, and the incident they may read."""

    principal: Principal
    incident: Incident


def incident_form_sender(
    request: Request, session: SessionDep, principal: CurrentPrincipal, code: str
) -> FormSender:
    """The incident of ``code`` if the policy lets the caller read it, else 404."""
    incident = incident_by_code(session, code, principal)
    if incident is None:
        form = request.path_params.get("form")
        what = f"no incident {code!r} or form {form!r}" if form else f"no incident {code!r}"
        raise HTTPException(404, f"{what} for you")
    return FormSender(principal, incident)


incident_form_sender.__access__ = (Action.READ, ResourceType.INCIDENT)  # type: ignore[attr-defined]

#: The sender of a form of the incident page: declares ``read`` on the incident.
IncidentForm = Annotated[FormSender, Depends(incident_form_sender)]


def triage_analyst(request: Request, principal: CurrentPrincipal) -> Principal:
    """Refuse before the route runs: the pages show every report's text to whoever passes.

    The policy's question is ``may_triage`` (read every report, link reports into
    incidents). A signed-in role it refuses gets 403; a visitor's form gets 401. A
    visitor asking for a page is let through to be sent to the sign-in page by the page
    itself (a redirect is an answer, not an error page), before it reads anything."""
    if not principal.signed_in:
        if request.method == "GET":
            return principal
        raise HTTPException(401, "sign in to triage reports")
    if not may_triage(principal):
        raise HTTPException(403, f"a {principal.role.value} may not triage reports")
    return principal


triage_analyst.__access__ = (Action.CREATE, ResourceType.INCIDENT_LINK)  # type: ignore[attr-defined]

#: Who triages: declares ``create`` on an incident link (and reading reports, ``may_triage``).
TriageAnalyst = Annotated[Principal, Depends(triage_analyst)]
