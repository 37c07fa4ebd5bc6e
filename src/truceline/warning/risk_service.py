"""District risk from stored incidents: the districts, the event history, forecasts and backtests.

Units are districts: every district of the border registry (both sides of the
boundary, ``community_border_districts``) and every other district that has a
history of events (the incidents' ``admin2``, placed at the median of its
events). An incident without a district joins the nearest unit within
``ASSIGN_KM`` of it, or is left out (and counted as such). Merged incidents and
acts that are not uses of force (obstruction of monitors) are not events here.
The model and the scores are pure (``risk``, ``backtest``); this module only
reads the database and phrases the results.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from statistics import median
from typing import Any

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from truceline.errors import CodedError
from truceline.events.casualties import Casualties
from truceline.events.taxonomy import EVENT_TYPES
from truceline.geo.normalize import normalize_name
from truceline.incidents.models import Incident
from truceline.warning.backtest import FORECASTERS, Backtest, reliability, run_backtest
from truceline.warning.escalation import NOT_FORCE
from truceline.warning.risk import EventHistory, Neighbourhood, Unit, fit_risk_model, forecast

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
DAY_SECONDS = 86400.0
#: An incident with no district joins a unit whose centre is at most this far.
ASSIGN_KM = 50.0
DEFAULT_HORIZON_DAYS = 30
DEFAULT_REFIT_DAYS = 365
DEFAULT_TEST_YEARS = 4


@dataclass(frozen=True)
class BorderDistrict:
    """A district of the border registry, as the risk model needs it."""

    key: str
    name: str
    country: str
    admin1: str
    lat: float
    lon: float
    names: tuple[str, ...] = ()


#: Where the border districts come from: the community context's registry, connected at
#: start-up (``startup.wire``) so that warning never imports the community context.
BorderDistricts = Callable[[Session], Iterable[BorderDistrict]]
_border_districts: BorderDistricts | None = None


def connect_border_districts(source: BorderDistricts) -> None:
    """Name the function that lists the border districts (idempotent)."""
    global _border_districts
    _border_districts = source


def border_districts(session: Session) -> list[BorderDistrict]:
    if _border_districts is None:
        raise RuntimeError("warning.risk_service: border districts not connected (startup.wire)")
    return sorted(_border_districts(session), key=lambda district: district.key)


def district_key(country: str, name: str) -> str:
    """The key of a district name (the same as the border registry's keys)."""
    return f"{country}:{normalize_name(name).replace(' ', '-')}"


class RiskInputError(CodedError, ValueError):
    """A backtest or forecast asked for something the data cannot answer; names the option."""

    default_code = "risk_input_invalid"

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}", field=field)
        self.field: str = field


def to_days(instant: datetime) -> float:
    return (instant - EPOCH).total_seconds() / DAY_SECONDS


def from_days(days: float) -> date:
    return (EPOCH + timedelta(days=float(days))).date()


#: Event types as the small integer codes the model keys on (stable: the taxonomy, sorted).
TYPE_CODES = {name: code for code, name in enumerate(sorted(EVENT_TYPES))}
#: Events of a type needed before a forecast of that type alone is fitted.
MIN_TYPE_EVENTS = 50

EventRow = tuple[datetime, float, float, str | None, str | None, str | None, bool, str]


def _event_rows(session: Session) -> list[EventRow]:
    query = select(
        Incident.occurred_at, Incident.lat, Incident.lon, Incident.country,
        Incident.admin1, Incident.admin2, Incident.casualties, Incident.event_type,
    ).where(
        Incident.merged_into_id.is_(None),
        Incident.event_type.not_in(NOT_FORCE),
        Incident.lat.is_not(None),
        Incident.lon.is_not(None),
    )  # fmt: skip
    rows = []
    for occurred_at, lat, lon, country, admin1, admin2, casualties, kind in session.execute(query):
        fatal = Casualties.from_json(casualties or {}).total.best > 0
        rows.append((occurred_at, lat, lon, country, admin1, admin2, fatal, kind))
    return rows


#: Words that name the kind of district, not the district ("Kurram agency" is Kurram).
DISTRICT_WORDS = re.compile(r"\s+(agency|district|province|tehsil|subdivision)$", re.IGNORECASE)


def unit_key(country: str, name: str) -> str:
    """The key a district name falls under, whatever kind of district it is called."""
    return district_key(country, DISTRICT_WORDS.sub("", name.strip()))


def load_units_and_history(session: Session) -> tuple[list[Unit], EventHistory, dict[str, int]]:
    """The districts and every event placed in one of them (times in days since 1970).

    A district of the registry is matched by its name and every alias it lists, so
    "Kurram agency" (UCDP's name) and "Kurram" (the registry's) are one unit.
    """
    units: list[Unit] = []
    index: dict[str, int] = {}
    for row in border_districts(session):
        keys = {unit_key(row.country, name) for name in [row.name, *row.names]}
        if any(key in index for key in keys):
            continue  # the registry lists this district twice, under two names
        units.append(Unit(row.key, row.name, row.country, row.admin1, row.lat, row.lon))
        index.update({key: len(units) - 1 for key in keys})
    rows = _event_rows(session)
    places: dict[str, list[tuple[float, float, str, str]]] = defaultdict(list)
    for _, lat, lon, country, admin1, admin2, _, _ in rows:
        if admin2 and country and unit_key(country, admin2) not in index:
            places[unit_key(country, admin2)].append((lat, lon, admin2, admin1 or ""))
    for key in sorted(places):
        points = places[key]
        units.append(Unit(key, points[0][2], key.split(":")[0], points[0][3],
                          median(p[0] for p in points), median(p[1] for p in points)))  # fmt: skip
        index[key] = len(units) - 1
    events, unplaced = _place_events(rows, units, index)
    return units, EventHistory.of(events), {"events": len(events), "unplaced": unplaced}


def _place_events(
    rows: list[EventRow], units: list[Unit], index: dict[str, int]
) -> tuple[list[tuple[float, int, bool, int]], int]:
    centres = np.radians([[u.lat, u.lon] for u in units]) if units else np.zeros((0, 2))
    events: list[tuple[float, int, bool, int]] = []
    unplaced = 0
    for occurred_at, lat, lon, country, _, admin2, fatal, kind in rows:
        unit = index.get(unit_key(country, admin2)) if admin2 and country else None
        if unit is None and len(centres):
            la, lo = np.radians(lat), np.radians(lon)
            a = (
                np.sin((centres[:, 0] - la) / 2) ** 2
                + np.cos(la) * np.cos(centres[:, 0]) * np.sin((centres[:, 1] - lo) / 2) ** 2
            )
            km = 2 * 6371.0 * np.arcsin(np.sqrt(np.clip(a, 0, 1)))
            nearest = int(np.argmin(km))
            unit = nearest if km[nearest] <= ASSIGN_KM else None
        if unit is None:
            unplaced += 1
        else:
            events.append((to_days(occurred_at), unit, fatal, TYPE_CODES.get(kind, -1)))
    return events, unplaced


def _origins(
    history: EventHistory, first: date | None, last: date | None, horizon: int
) -> np.ndarray:
    if not len(history.days):
        raise RiskInputError("events", "there are no events with a place to backtest on")
    data_start, data_end = from_days(history.days[0]), from_days(history.days[-1])
    # By default: the last quarter of the events (not of the years: a long quiet gap would
    # make a test of nothing), for at most DEFAULT_TEST_YEARS.
    first = first or from_days(float(np.quantile(history.days, 0.75)))
    last = last or min(
        data_end - timedelta(days=horizon), first + timedelta(days=365 * DEFAULT_TEST_YEARS)
    )
    if first > last:
        raise RiskInputError("--from", f"{first} is after --to {last}")
    if first <= data_start + timedelta(days=365):
        raise RiskInputError("--from", f"needs a year of earlier events (data start {data_start})")
    start = to_days(datetime.combine(first, datetime.min.time(), tzinfo=UTC))
    end = to_days(datetime.combine(last, datetime.min.time(), tzinfo=UTC))
    return np.arange(start, end + 1e-9, float(horizon))


def backtest_report(
    session: Session,
    *,
    date_from: date | None = None,
    date_to: date | None = None,
    horizon_days: int = DEFAULT_HORIZON_DAYS,
    refit_days: int = DEFAULT_REFIT_DAYS,
    event_type: str | None = None,
) -> tuple[dict[str, Any], Backtest]:
    """The rolling-origin backtest of the "any event" forecast, with the fatal one beside it
    (of one event type only, with ``event_type``)."""
    if horizon_days < 1:
        raise RiskInputError("--horizon-days", "must be at least 1")
    units, history, placed = load_units_and_history(session)
    kind = type_code(history, event_type)
    origins = _origins(history.target(kind=kind), date_from, date_to, horizon_days)
    runs = {
        fatal: run_backtest(history, units, origins=origins, horizon=float(horizon_days),
                            refit_every=float(refit_days), fatal_only=fatal, kind=kind)
        for fatal in (False, True)
    }  # fmt: skip
    run = runs[False]
    report: dict[str, Any] = {
        "units": len(units),
        "periods": len(origins),
        "event_type": event_type,
        "horizon_days": horizon_days,
        "from": str(from_days(origins[0])),
        "to": str(from_days(origins[-1])),
        "events": placed,
        **{name: run.summary(name) for name in FORECASTERS},
        "skill": run.skill(),
        "fatal": {
            **{name: runs[True].summary(name) for name in FORECASTERS},
            "skill": runs[True].skill(),
        },
        "reliability": reliability(run.forecasts["model"].reshape(-1), run.observed.reshape(-1)),
        "fits": [m.as_json() for m in run.models],
        "by_unit": [row for row in run.by_unit() if row["events_windows"]],
    }
    return report, run


def type_code(history: EventHistory, event_type: str | None) -> int | None:
    """The code of ``event_type`` when it has history enough to be forecast alone."""
    if event_type is None:
        return None
    counts = (
        {name: int(np.sum(history.kind == code)) for name, code in TYPE_CODES.items()}
        if history.kind is not None
        else {}
    )
    enough = ", ".join(
        f"{n} ({c})"
        for n, c in sorted(counts.items(), key=lambda kv: -kv[1])
        if c >= MIN_TYPE_EVENTS
    )
    if event_type not in TYPE_CODES:
        raise RiskInputError(
            "--event-type",
            f"unknown event type {event_type!r}; with history enough: {enough or 'none'}",
        )
    if counts.get(event_type, 0) < MIN_TYPE_EVENTS:
        raise RiskInputError(
            "--event-type",
            f"{counts.get(event_type, 0)} {event_type} events placed; a forecast of one type needs "
            f"at least {MIN_TYPE_EVENTS} (types with enough: {enough or 'none'})",
        )
    return TYPE_CODES[event_type]


def risk_report(
    session: Session,
    *,
    at: datetime,
    horizon_days: int = DEFAULT_HORIZON_DAYS,
    event_type: str | None = None,
) -> dict[str, Any]:
    """The probability of at least one event, and of a fatal one, per district from ``at``
    (events of one type only, with ``event_type``)."""
    units, history, placed = load_units_and_history(session)
    kind = type_code(history, event_type)
    neighbours = Neighbourhood.of(units)
    day = to_days(at)
    districts: list[dict[str, Any]] = [
        {"unit": u.key, "name": u.name, "country": u.country, "admin1": u.admin1, "lat": u.lat, "lon": u.lon}
        for u in units
    ]  # fmt: skip
    fits: dict[str, Any] = {}
    for label, fatal in (("p_event", False), ("p_fatal", True)):
        model = fit_risk_model(
            history, neighbours, until=day, horizon=float(horizon_days), fatal_only=fatal, kind=kind
        )
        fits[label] = model.as_json() if model else None
        if model is None:
            continue
        p = forecast(
            model,
            history,
            neighbours,
            at=day,
            horizon=float(horizon_days),
            fatal_only=fatal,
            kind=kind,
        )
        for row, value in zip(districts, p.tolist(), strict=True):
            # Two separate fits: keep them coherent, a fatal event is an event.
            row[label] = round(min(value, row.get("p_event", 1.0)), 4)
    return {
        "forecast_date": at.date().isoformat(),
        "horizon_days": horizon_days,
        "event_type": event_type,
        "events": placed,
        "model": fits,
        "districts": sorted(districts, key=lambda r: -float(r.get("p_event", 0.0))),
    }
