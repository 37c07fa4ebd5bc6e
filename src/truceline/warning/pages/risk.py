"""The district risk page: every district's forecast, the backtest behind it, and thresholds.

Reads the latest stored forecast (``warning.risk_store``); the reliability
diagram is the same SVG as in the restricted report (``warning.risk_svg``).
Mediators set and remove their own thresholds here (POST, CSRF field, then a
redirect back to the page); the services decide and audit, the policy's
early-warning rules decide who may read and who may set.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup

from truceline.accounts.access import Access, PageAccess
from truceline.accounts.policy import Action, ResourceType
from truceline.db.bounds import RecordId
from truceline.http.access import may
from truceline.http.deps import Public, SessionDep
from truceline.http.i18n import N_, CurrentUI
from truceline.http.labels import PARTY_NAMES
from truceline.http.registry import AppRegistry, NavItem
from truceline.http.rendering import render_page
from truceline.reports.maps import risk_map
from truceline.warning.pages.risk_view import RISK_CLASSES, risk_class
from truceline.warning.risk_store import (
    RiskSettingError,
    latest_forecast,
    remove_threshold,
    set_threshold,
    thresholds_of,
)
from truceline.warning.risk_svg import reliability_svg

router = APIRouter(include_in_schema=False)


def register_http(registry: AppRegistry) -> None:
    """The district risk pages and their navigation link."""
    registry.add_router(router)
    registry.add_nav(NavItem("/risk", N_("District risk"), order=70, restricted=True))


PAGE = "/risk"


#: Who may read the figures, and who may set thresholds (the policy's ``early_warning``
#: rule); visitors sign in first and come back to the page.
ReadsRisk = Annotated[Access, PageAccess(Action.READ, ResourceType.EARLY_WARNING, next_page=PAGE)]
SetsThresholds = Annotated[
    Access, PageAccess(Action.CREATE, ResourceType.EARLY_WARNING, next_page=PAGE)
]


@router.get(PAGE, response_class=HTMLResponse)
def risk_page(
    request: Request,
    session: SessionDep,
    access: ReadsRisk,
    ui: CurrentUI,
    error: str | None = None,
) -> Response:
    """All districts by their chance of an event, the backtest score and the caller's thresholds."""
    principal = access.principal
    forecast = latest_forecast(session)
    rows = [r for r in (forecast.districts if forecast else []) if r.get("p_event") is not None]
    backtest = (forecast.backtest if forecast else None) or None
    diagram = None
    if backtest and backtest.get("reliability"):
        title = f"{backtest['from']} – {backtest['to']}"
        diagram = Markup(reliability_svg(backtest["reliability"], title=title))  # noqa: S704
    may_set = may(principal, Action.CREATE, ResourceType.EARLY_WARNING)
    # The same drawing as the restricted report's: a map that prints, with no script.
    picture = Markup(risk_map(rows, title="District risk")) if rows else None  # noqa: S704
    context = {
        "forecast": forecast,
        "rows": [{**row, "colour": risk_class(float(row["p_event"]))[0]} for row in rows],
        "backtest": backtest,
        "diagram": diagram,
        "risk_map": picture,
        "classes": RISK_CLASSES,
        "may_set": may_set,
        "thresholds": thresholds_of(session, principal.name) if may_set else [],
        "error": error if error in ERRORS else None,
        "errors": ERRORS,
        "party_names": PARTY_NAMES,
    }
    return render_page(request, ui, principal, "risk.html", context)


#: Refusals shown on the page after a redirect, by code (never free text from the URL).
ERRORS = {
    "probability": N_("Give a probability between 1 and 99 per cent."),
    "district": N_("That district is not in the forecast."),
    "threshold": N_("That threshold is not one of yours."),
}


@router.post(PAGE + "/thresholds")
def add_threshold_form(
    session: SessionDep,
    access: SetsThresholds,
    percent: Annotated[str, Form(max_length=10)] = "",
    district: Annotated[str, Form(max_length=120)] = "",
    fatal: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    principal = access.principal
    try:
        probability = float(percent) / 100
        set_threshold(
            session, user=principal.name, probability=probability, unit_key=district or None,
            fatal=bool(fatal), actor=principal.as_actor(),
        )  # fmt: skip
    except ValueError as error:
        field = error.field if isinstance(error, RiskSettingError) else "probability"
        return RedirectResponse(f"{PAGE}?error={field}#thresholds", status_code=303)
    return RedirectResponse(f"{PAGE}#thresholds", status_code=303)


@router.post(PAGE + "/thresholds/{threshold_id}/remove")
def remove_threshold_form(threshold_id: int, session: SessionDep, access: ReadsRisk) -> Response:
    """Remove one of the caller's thresholds (the service refuses anyone else's)."""
    principal = access.principal
    try:
        remove_threshold(session, threshold_id, user=principal.name, actor=principal.as_actor())
    except RiskSettingError:
        return RedirectResponse(f"{PAGE}?error=threshold#thresholds", status_code=303)
    return RedirectResponse(f"{PAGE}#thresholds", status_code=303)


@router.get(PAGE + "/thresholds", include_in_schema=False)
def thresholds_get(_: Public) -> Response:
    """A reload after a refused form lands here: show the page."""
    return RedirectResponse(f"{PAGE}#thresholds", status_code=303)


@router.get(PAGE + "/thresholds/{threshold_id}/remove", include_in_schema=False)
def remove_threshold_get(_: Public, threshold_id: RecordId) -> Response:
    """A reload of the remove form's address leads back to the page."""
    return RedirectResponse(f"{PAGE}#thresholds", status_code=303)
