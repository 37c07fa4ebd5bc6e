"""The server-rendered pages: dashboard, incident list, incident page and the public view.

Each page is a function that gathers its data through the query modules
(``incident_queries``, ``dashboard_queries``, ``incident_view``) and renders a
template with ``render_page``. htmx requests (header ``HX-Request``) get only
the fragment that changes. To add a page: write its template extending
``base.html``, add a route here (or in the owning context's ``pages`` module,
listed in ``ROUTER_MODULES`` of ``truceline.app``), and a ``NavItem`` in its
``register_http``. This package is the top layer: it reads the contexts, and no
context imports it (the verification forms redraw the incident page through the
name it is registered under, ``"incident"``).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from truceline.accounts.roles import PUBLIC, Principal
from truceline.action_requests.pages.dashboard import dashboard_figures
from truceline.agreements.pages.labels import FINDING_COLOURS, FINDING_LABELS
from truceline.events.taxonomy import EVENT_TYPES, PARTY_CODES
from truceline.http.access import sees_restricted
from truceline.http.deps import Public, SessionDep
from truceline.http.i18n import N_, CurrentUI, UIContext
from truceline.http.labels import PARTY_NAMES
from truceline.http.registry import AppRegistry, NavItem
from truceline.http.rendering import render_page
from truceline.incidents.pages.corroboration import incident_corroboration
from truceline.incidents.pages.visibility import incident_by_code
from truceline.verification.domain import TERMINAL_STATES, State
from truceline.verification.pages.incident import finish, incident_sections
from truceline.verification.pages.labels import STATE_COLOURS, state_label
from truceline.verification.pages.messages import FormState
from truceline.verification.pages.queue import may_see_queue
from truceline.warning.pages.risk_view import incident_risk, risk_layer
from truceline.web import dashboard_queries as dq
from truceline.web.dashboard_summary import summarise
from truceline.web.explanation_view import (
    agreement_text_html,
    definition_html,
    explanation_html,
    missing_facts_html,
)
from truceline.web.incident_queries import (
    FiltersDep,
    IncidentFilters,
    distinct_values,
    find_incidents,
)
from truceline.web.incident_view import build_incident_view
from truceline.web.names_view import actor_namer, data_text, task_description
from truceline.web.presentation import event_type_label, marker_colour
from truceline.web.timeline_svg import SERIES, bucket_counts, render_timeline

TEMPLATES_DIR = Path(__file__).parent / "templates"
router = APIRouter(include_in_schema=False)


def register_http(registry: AppRegistry) -> None:
    """The composite pages, their templates and their navigation links."""
    registry.add_router(router)
    registry.add_templates(TEMPLATES_DIR)
    registry.add_page("incident", render_incident_page)
    registry.add_nav(NavItem("/", N_("Dashboard"), order=10))
    registry.add_nav(NavItem("/incidents", N_("Incidents"), order=20, restricted=True))
    registry.add_nav(NavItem("/public", N_("Public view"), order=120))
    registry.add_template_helpers(reading_helpers)


def reading_helpers(ui: UIContext) -> dict[str, Any]:
    """Explanations, agreement texts and names in the reader's language, for every template."""
    return {
        "explain": lambda finding: explanation_html(finding, ui),
        "missing_facts": lambda finding: missing_facts_html(finding, ui),
        "definition_name": lambda name: definition_html(name, ui),
        "actor_name": actor_namer(ui),
        "task_description": lambda task: task_description(task, ui),
        "data_text": lambda english: data_text(english, ui),
        "agreement_text": lambda key, english, original=True: agreement_text_html(
            key, english, ui, original=original
        ),
    }


PER_PAGE = 50
PageNumber = Annotated[int, Query(ge=1, le=100_000)]


def is_htmx(request: Request) -> bool:
    return request.headers.get("HX-Request") == "true"


def filter_options(session: Session, principal: Principal) -> dict[str, Any]:
    """The choices offered by the filter form.

    Event types and verification states are the project's vocabularies (the public sees
    only determined incidents, so only those states), not the values present: finding
    those read every visible incident, 0.6 s per menu at 1,000,000 incidents on SQLite.
    Actors, which imports may add, are the values present (for readers who may filter by
    actor).
    """
    return {
        "event_types": sorted(EVENT_TYPES),
        "actors": distinct_values(session, "perpetrator", principal)
        if sees_restricted(principal)
        else [],
        "states": sorted(
            state.value for state in State if sees_restricted(principal) or state in TERMINAL_STATES
        ),
        "parties": sorted(PARTY_CODES),
    }


def summary_context(
    session: Session, filters: IncidentFilters, principal: Principal, ui: UIContext
) -> dict[str, Any]:
    """The counts and the timeline for the dashboard (also its htmx fragment)."""
    period = dq.resolve_period(session, filters, principal)
    counts = summarise(session, filters, principal, period)
    allegations = dq.allegation_comparison(session, period) if sees_restricted(principal) else {}
    return {
        "period": period,
        "comparison": counts.comparison,
        "state_counts": counts.state_counts,
        "violations": counts.violations,
        "allegations": allegations,
        "timeline": render_timeline(bucket_counts(counts.day_counts, period), period, ui),
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
    principal: Public,
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
    principal: Public,
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
    principal: Public,
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
    _: Public,
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
    sections = incident_sections(request, session, incident, principal, form_state)
    context = {
        **common_context(IncidentFilters()),
        "view": view,
        "incident": incident,
        "risk": incident_risk(session, incident=incident, principal=principal),
        **sections,
        **incident_corroboration(session, incident, principal),
    }
    response = render_page(
        request, ui, principal, "incident.html", context, status_code=status_code
    )
    finish(response, sections, code)
    return response


@router.get("/incidents/{code}", response_class=HTMLResponse)
def incident_page(
    request: Request, session: SessionDep, principal: Public, ui: CurrentUI, code: str
) -> HTMLResponse:
    """One incident: reports verbatim with grades, place and precision, state."""
    return render_incident_page(request, session, principal, ui, code)


@router.get("/public/incidents/{code}", response_class=HTMLResponse)
def public_incident_page(
    _: Public, request: Request, session: SessionDep, ui: CurrentUI, code: str
) -> HTMLResponse:
    """One released incident as the public sees it."""
    return render_incident_page(request, session, PUBLIC, ui, code)
