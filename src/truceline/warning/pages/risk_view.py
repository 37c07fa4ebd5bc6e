"""District risk on the pages: the dashboard's risk layer and the incident page's risk section.

Both read the latest stored forecast (``warning.risk_store``); nothing is
fitted while the page loads. Early-warning figures are for the mechanism and
both parties (the policy's ``EARLY_WARNING`` read), never for the public.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from truceline.accounts.policy import Action, ResourceType
from truceline.accounts.roles import Principal
from truceline.http.access import may
from truceline.http.i18n import N_
from truceline.incidents.models import Incident
from truceline.warning.risk_store import district_of, latest_forecast

#: Upper bound of each class of the 30-day probability, its colour and its label.
RISK_CLASSES: tuple[tuple[float, str, str], ...] = (
    (0.05, "#fef0d9", N_("under 5%")),
    (0.15, "#fdcc8a", N_("5–15%")),
    (0.30, "#fc8d59", N_("15–30%")),
    (0.60, "#e34a33", N_("30–60%")),
    (1.01, "#b30000", N_("at least 60%")),
)


def risk_class(probability: float) -> tuple[str, str]:
    """The colour and label of a probability's class (the map script uses the same bounds)."""
    for bound, colour, label in RISK_CLASSES:
        if probability < bound:
            return colour, label
    return RISK_CLASSES[-1][1], RISK_CLASSES[-1][2]


def may_see_risk(principal: Principal) -> bool:
    return may(principal, Action.READ, ResourceType.EARLY_WARNING)


def risk_layer(session: Session, principal: Principal) -> dict[str, Any] | None:
    """What the dashboard needs to offer the risk layer, or None (no right, or no forecast)."""
    if not may_see_risk(principal):
        return None
    forecast = latest_forecast(session)
    if forecast is None:
        return None
    return {
        "url": "/api/warning/risk",
        "forecast_date": forecast.forecast_date,
        "horizon_days": forecast.horizon_days,
        "skill": (forecast.backtest or {}).get("skill"),
        "classes": RISK_CLASSES,
    }


def incident_risk(
    session: Session, principal: Principal, incident: Incident
) -> dict[str, Any] | None:
    """The latest forecast for the incident's district, with the backtest score behind it."""
    if not may_see_risk(principal):
        return None
    forecast = latest_forecast(session)
    if forecast is None:
        return None
    row = district_of(
        forecast,
        lat=incident.lat,
        lon=incident.lon,
        country=incident.country,
        admin2=incident.admin2,
    )
    if row is None or row.get("p_event") is None:
        return None
    colour, label = risk_class(float(row["p_event"]))
    backtest = forecast.backtest or {}
    return {
        "district": row,
        "colour": colour,
        "class_label": label,
        "forecast_date": forecast.forecast_date,
        "horizon_days": forecast.horizon_days,
        "backtest": backtest or None,
    }
