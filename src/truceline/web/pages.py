"""The server-rendered pages: dashboard, incident list, incident page and the public view.

Each page is a function that gathers its data through the query modules
(``incident_queries``, ``dashboard_queries``, ``incident_view``) and renders a
template with ``render_page``. htmx requests (header ``HX-Request``) get only
the fragment that changes. To add a page: write its template extending
``base.html``, add a route here (or in the owning context's ``pages`` module,
listed in ``ROUTER_MODULES``), and a ``NavItem`` in ``rendering.NAV_ITEMS``.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from truceline.accounts.roles import PUBLIC, Principal
from truceline.action_requests.pages.dashboard import dashboard_figures
from truceline.events.taxonomy import PARTY_CODES
from truceline.web import dashboard_queries as dq
from truceline.web.case_parties_view import case_parties
from truceline.web.corroboration_view import incident_corroboration
from truceline.web.deps import CurrentPrincipal, SessionDep
from truceline.web.findings_view import incident_findings, verified_violations
from truceline.web.i18n import CurrentUI, UIContext
from truceline.web.incident_queries import (
    FiltersDep,
    IncidentFilters,
    distinct_values,
    find_incidents,
    incident_by_code,
)
from truceline.web.incident_view import build_incident_view
from truceline.web.presentation import (
    FINDING_COLOURS,
    FINDING_LABELS,
    PARTY_NAMES,
    STATE_COLOURS,
    event_type_label,
    marker_colour,
    state_label,
)
from truceline.web.publication_view import publication_context
from truceline.web.rendering import render_page
from truceline.web.risk_view import incident_risk, risk_layer
from truceline.web.timeline_svg import SERIES, timeline_svg
from truceline.web.verification_actions import actions_context, forget_done
from truceline.web.verification_messages import FormState
from truceline.web.verification_pages import may_see_queue
from truceline.web.verification_view import LABELS as VERIFICATION_LABELS
from truceline.web.verification_view import incident_verification
from truceline.web.visibility import sees_restricted

router = APIRouter(include_in_schema=False)

PER_PAGE = 50
PageNumber = Annotated[int, Query(ge=1, le=100_000)]


def is_htmx(request: Request) -> bool:
    return request.headers.get("HX-Request") == "true"


def filter_options(session: Session, principal: Principal) -> dict[str, Any]:
    """The choices offered by the filter form (only values present in visible incidents)."""
    return {
        "event_types": distinct_values(session, "event_type", principal),
        "actors": distinct_values(session, "perpetrator", principal)
        if sees_restricted(principal)
        else [],
        "states": distinct_values(session, "verification_state", principal),
        "parties": sorted(PARTY_CODES),
    }


def summary_context(
    session: Session, filters: IncidentFilters, principal: Principal, ui: UIContext
) -> dict[str, Any]:
    """The counts and the timeline for the dashboard (also its htmx fragment)."""
    period = dq.resolve_period(session, filters, principal)
    incidents, comparison = dq.incident_comparison(session, filters, principal, period)
    allegations = dq.allegation_comparison(session, period) if sees_restricted(principal) else {}
    return {
        "period": period,
        "comparison": comparison,
        "state_counts": dq.state_counts(incidents),
        "violations": verified_violations(session, incidents),
        "allegations": allegations,
        "timeline": timeline_svg(incidents, period, ui),
        "series": SERIES,
        "work": dq.work_counts(session, principal),
        "queue_link": may_see_queue(principal),
    }


def common_context(filters: IncidentFilters) -> dict[str, Any]:
    return {
        "filters": filters,
        "filter_query": filters.query_items(),
        "event_type_label": event_type_label,
        "state_label": state_label,
        "marker_colour": marker_colour,
        "party_names": PARTY_NAMES,
        "state_colours": STATE_COLOURS,
        "finding_labels": FINDING_LABELS,
        "finding_colours": FINDING_COLOURS,
    }


@router.get("/", response_class=HTMLResponse)
def dashboard(
    request: Request,
    session: SessionDep,
    principal: CurrentPrincipal,
    ui: CurrentUI,
    filters: FiltersDep,
) -> HTMLResponse:
    """The map, the filters, the timeline and the counts.

    The form shows the period the counts cover, so the map (which reads the
    form) shows the same incidents as the counts.
    """
    summary = summary_context(session, filters, principal, ui)
    period = summary["period"]
    shown = replace(filters, date_from=period.first_day, date_to=period.last_day)
    context = {
        **common_context(shown),
        **filter_options(session, principal),
        **summary,
        "map_view": "restricted" if sees_restricted(principal) else "public",
        "risk": risk_layer(session, principal),
        "requests": dashboard_figures(session, principal) if sees_restricted(principal) else {},
    }
    return render_page(request, ui, principal, "dashboard.html", context)


@router.get("/dashboard/summary", response_class=HTMLResponse)
def dashboard_summary(
    request: Request,
    session: SessionDep,
    principal: CurrentPrincipal,
    ui: CurrentUI,
    filters: FiltersDep,
) -> HTMLResponse:
    """The counts and timeline alone, swapped in by htmx when a filter changes.

    ``HX-Replace-Url`` puts the filters in the address bar, so a reload or a
    shared link shows the same dashboard.
    """
    context = {**common_context(filters), **summary_context(session, filters, principal, ui)}
    response = render_page(request, ui, principal, "_summary.html", context)
    response.headers["HX-Replace-Url"] = "/?" + urlencode(filters.query_items())
    return response


def _incident_list(
    request: Request,
    session: Session,
    principal: Principal,
    ui: UIContext,
    filters: IncidentFilters,
    page: int,
    *,
    public_view: bool,
) -> HTMLResponse:
    results = find_incidents(session, filters, principal, page=page, per_page=PER_PAGE)
    context = {
        **common_context(filters),
        **filter_options(session, principal),
        "results": results,
        "public_view": public_view,
        "list_path": "/public" if public_view else "/incidents",
        "incident_prefix": "/public/incidents/" if public_view else "/incidents/",
    }
    template = "_incident_table.html" if is_htmx(request) else "incidents.html"
    return render_page(request, ui, principal, template, context)


@router.get("/incidents", response_class=HTMLResponse)
def incident_list(
    request: Request,
    session: SessionDep,
    principal: CurrentPrincipal,
    ui: CurrentUI,
    filters: FiltersDep,
    page: PageNumber = 1,
) -> HTMLResponse:
    """Incidents matching the filters, newest first, 50 a page."""
    return _incident_list(
        request, session, principal, ui, filters, page, public_view=not sees_restricted(principal)
    )


@router.get("/public", response_class=HTMLResponse)
def public_list(
    request: Request,
    session: SessionDep,
    ui: CurrentUI,
    filters: FiltersDep,
    page: PageNumber = 1,
) -> HTMLResponse:
    """What anyone may see: released incidents, coarsened places (the same for every role)."""
    return _incident_list(request, session, PUBLIC, ui, filters, page, public_view=True)


def render_incident_page(
    request: Request,
    session: Session,
    principal: Principal,
    ui: UIContext,
    code: str,
    *,
    form_state: FormState | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    """The incident page; the verification forms redraw it with a sent form's messages."""
    incident = incident_by_code(session, code, principal)
    if incident is None:
        raise HTTPException(status_code=404, detail=f"no incident {code!r} visible to you")
    view = build_incident_view(session, incident, principal)
    context = {
        **common_context(IncidentFilters()),
        "view": view,
        "incident": incident,
        "findings": incident_findings(session, incident, principal),
        "verification": incident_verification(session, incident, principal),
        "risk": incident_risk(session, incident=incident, principal=principal),
        **VERIFICATION_LABELS,
        **actions_context(request, session, incident, principal, form_state),
        **publication_context(principal, incident),
        **case_parties(session, incident, principal),
        **incident_corroboration(session, incident, principal),
    }
    response = render_page(
        request, ui, principal, "incident.html", context, status_code=status_code
    )
    if context["done"]:
        forget_done(response, code)
    return response


@router.get("/incidents/{code}", response_class=HTMLResponse)
def incident_page(
    request: Request, session: SessionDep, principal: CurrentPrincipal, ui: CurrentUI, code: str
) -> HTMLResponse:
    """One incident: reports verbatim with grades, place and precision, state."""
    return render_incident_page(request, session, principal, ui, code)


@router.get("/public/incidents/{code}", response_class=HTMLResponse)
def public_incident_page(
    request: Request, session: SessionDep, ui: CurrentUI, code: str
) -> HTMLResponse:
    """One released incident as the public sees it."""
    return render_incident_page(request, session, PUBLIC, ui, code)
