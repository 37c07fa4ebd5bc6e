"""Stored district risk: running and keeping forecasts, thresholds, and who is told.

``store_forecast`` runs the model (``risk_service.risk_report``), keeps the
result with the latest backtest score, writes it to the audit log, and tells
every mediator whose threshold a district has just reached. The dashboard,
the incident page and the restricted report read ``latest_forecast``; they
never fit a model while a person waits.
"""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any

from rapidfuzz import process
from sqlalchemy import select
from sqlalchemy.orm import Session

from truceline.audit.actor import Actor
from truceline.audit.log import add_logged, append_entry
from truceline.errors import CodedError
from truceline.warning.models import Notification
from truceline.warning.risk_models import RiskForecast, RiskThreshold
from truceline.warning.risk_service import ASSIGN_KM, risk_report, unit_key

#: What the restricted report and the pages quote from a backtest.
BACKTEST_KEYS = (
    "units", "periods", "horizon_days", "from", "to",
    "model", "persistence", "climatology", "skill", "fatal", "reliability",
)  # fmt: skip


class RiskSettingError(CodedError, ValueError):
    """A threshold the mechanism cannot keep; names the field."""

    default_code = "risk_setting_invalid"

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}", field=field)
        self.field: str = field


def backtest_summary(report: dict[str, Any]) -> dict[str, Any]:
    return {key: report[key] for key in BACKTEST_KEYS if key in report}


def latest_forecast(session: Session) -> RiskForecast | None:
    return session.scalar(
        select(RiskForecast)
        .order_by(RiskForecast.computed_at.desc(), RiskForecast.id.desc())
        .limit(1)
    )


def store_forecast(
    session: Session,
    *,
    at: datetime,
    actor: Actor,
    horizon_days: int = 30,
    backtest: dict[str, Any] | None = None,
) -> tuple[RiskForecast, list[Notification]]:
    """Forecast every district from ``at``, keep it, and notify thresholds it crosses."""
    previous = latest_forecast(session)
    report = risk_report(session, at=at, horizon_days=horizon_days)
    if backtest is None and previous is not None and previous.horizon_days == horizon_days:
        backtest = previous.backtest  # the score stays the last one measured
    forecast = RiskForecast(
        forecast_date=at,
        horizon_days=horizon_days,
        model=report["model"],
        backtest=backtest_summary(backtest) if backtest else None,
        districts=report["districts"],
        computed_by=actor.name,
    )
    add_logged(
        session,
        forecast,
        actor=actor,
        action="warning.risk_forecast",
        object_type="risk_forecast",
        object_id=lambda forecast: str(forecast.id),
        after=lambda forecast: {
            "forecast_date": at.isoformat(),
            "horizon_days": horizon_days,
            "districts": len(forecast.districts),
            "highest": forecast.districts[:5],
        },
    )
    return forecast, notify_crossings(session, previous, forecast, actor=actor)


def _probability(row: dict[str, Any], fatal: bool) -> float:
    return float(row.get("p_fatal" if fatal else "p_event", 0.0))


def notify_crossings(
    session: Session, previous: RiskForecast | None, current: RiskForecast, *, actor: Actor
) -> list[Notification]:
    """One notice per threshold and district that reached the threshold in this run."""
    before = {row["unit"]: row for row in previous.districts} if previous else {}
    notes: list[Notification] = []
    for threshold in session.scalars(select(RiskThreshold).where(RiskThreshold.active.is_(True))):
        # A threshold set after the previous run has seen nothing yet: it starts from zero.
        seen = before if previous and previous.computed_at >= threshold.created_at else {}
        for row in current.districts:
            if threshold.unit_key and row["unit"] != threshold.unit_key:
                continue
            now = _probability(row, threshold.fatal)
            was = _probability(seen[row["unit"]], threshold.fatal) if row["unit"] in seen else 0.0
            if now >= threshold.probability > was:
                notes.append(_notice(threshold, row, now, current))
    if notes:
        session.add_all(notes)
        session.flush()
        append_entry(
            session,
            actor=actor,
            action="warning.notify",
            object_type="risk_forecast",
            object_id=str(current.id),
            after={"event": "warning.risk_threshold", "notifications": [n.id for n in notes]},
        )
    return notes


def _notice(
    threshold: RiskThreshold, row: dict[str, Any], now: float, forecast: RiskForecast
) -> Notification:
    what = "a fatal event" if threshold.fatal else "an event"
    day = forecast.forecast_date.date().isoformat()
    return Notification(
        recipient=threshold.user_name,
        audience="mediator",
        event="warning.risk_threshold",
        subject=f"District risk: {row['name']} reached {now:.0%}",
        body=(
            f"The forecast of {day} gives {row['name']} ({row['country']}) a {now:.0%} chance of "
            f"{what} in the next {forecast.horizon_days} days, at or above your threshold of "
            f"{threshold.probability:.0%}."
        ),
        object_type="risk_forecast",
        object_id=str(forecast.id),
    )


def known_units(session: Session) -> list[str]:
    latest = latest_forecast(session)
    return [row["unit"] for row in latest.districts] if latest else []


def set_threshold(
    session: Session,
    *,
    user: str,
    probability: float,
    actor: Actor,
    unit_key: str | None = None,
    fatal: bool = False,
) -> RiskThreshold:
    """Ask to be told when a district (or any district) reaches ``probability``."""
    if not (0.0 < probability < 1.0) or math.isnan(probability):
        raise RiskSettingError(
            "probability", f"{probability} is not between 0 and 1 (e.g. 0.3 for 30%)"
        )
    if unit_key:
        units = known_units(session)
        if unit_key not in units:
            closest = [match for match, _, _ in process.extract(unit_key, units, limit=3)]
            hint = (
                f"; did you mean {', '.join(closest)}?" if closest else " (no forecast stored yet)"
            )
            raise RiskSettingError("district", f"no district {unit_key!r} in the forecast{hint}")
    threshold = RiskThreshold(
        user_name=user, unit_key=unit_key or None, probability=probability, fatal=fatal
    )
    add_logged(
        session,
        threshold,
        actor=actor,
        action="warning.risk_threshold_set",
        object_type="risk_threshold",
        object_id=lambda threshold: str(threshold.id),
        after={"user": user, "district": unit_key, "probability": probability, "fatal": fatal},
    )
    return threshold


def remove_threshold(
    session: Session, threshold_id: int, *, user: str, actor: Actor
) -> RiskThreshold:
    threshold = session.get(RiskThreshold, threshold_id)
    if threshold is None or threshold.user_name != user or not threshold.active:
        raise RiskSettingError("threshold", f"you have no active threshold {threshold_id}")
    threshold.active = False
    append_entry(
        session, actor=actor, action="warning.risk_threshold_removed",
        object_type="risk_threshold", object_id=str(threshold_id), after={"active": False},
    )  # fmt: skip
    return threshold


def thresholds_of(session: Session, user: str) -> list[RiskThreshold]:
    query = select(RiskThreshold).where(
        RiskThreshold.user_name == user, RiskThreshold.active.is_(True)
    )
    return list(session.scalars(query.order_by(RiskThreshold.id)))


def district_of(
    forecast: RiskForecast,
    *,
    lat: float | None,
    lon: float | None,
    country: str | None,
    admin2: str | None,
) -> dict[str, Any] | None:
    """The forecast row of the district a place is in: by its district name, else the nearest."""
    rows = forecast.districts
    if admin2 and country:
        key = unit_key(country, admin2)
        for row in rows:
            if key in (row["unit"], unit_key(row["country"], row["name"])):
                return row
    if lat is None or lon is None or not rows:
        return None
    nearest = min(rows, key=lambda row: _km(lat, lon, row["lat"], row["lon"]))
    return nearest if _km(lat, lon, nearest["lat"], nearest["lon"]) <= ASSIGN_KM else None


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0 * math.asin(math.sqrt(min(1.0, a)))


def forecast_json(forecast: RiskForecast) -> dict[str, Any]:
    return {
        "id": forecast.id,
        "forecast_date": forecast.forecast_date.date().isoformat(),
        "horizon_days": forecast.horizon_days,
        "computed_at": forecast.computed_at.isoformat(),
        "model": forecast.model,
        "backtest": forecast.backtest,
        "districts": forecast.districts,
    }
