"""Rolling-origin backtest of the district risk model against two baselines (pure).

At each origin the model is (re)fitted on events before the origin only, and
forecasts the probability of at least one event per district in the next
``horizon`` days; so do the baselines a forecaster would compare it with:

- **persistence**: "what happened in the last N days happens again", made a
  probability: the share of past district-windows with an event that followed a
  window with one (or without one), estimated on windows before the origin;
- **climatology**: the district's long-run rate before the origin, shrunk like
  the model's (``1 - exp(-rate * horizon)``).

Scores are the Brier score and the log loss, overall and per district, plus
the reliability table (forecast bins against observed frequencies). Lower is
better for both scores; a skill score above 0 means better than the baseline.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from truceline.warning.risk import (
    EPS,
    EventHistory,
    Neighbourhood,
    RiskModel,
    Unit,
    fit_risk_model,
    forecast,
    long_run_rates,
    outcomes,
    training_origins,
)

FORECASTERS = ("model", "persistence", "climatology")
RELIABILITY_BINS = 10


@dataclass
class Scores:
    """Forecasts and outcomes collected over all origins, for one forecaster."""

    probabilities: list[NDArray[np.float64]] = field(default_factory=list)

    def add(self, p: NDArray[np.float64]) -> None:
        self.probabilities.append(np.clip(p, EPS, 1 - EPS))

    def stacked(self) -> NDArray[np.float64]:
        return np.stack(self.probabilities) if self.probabilities else np.zeros((0, 0))


def brier(p: NDArray[np.float64], y: NDArray[np.float64]) -> float:
    return float(np.mean((p - y) ** 2)) if p.size else float("nan")


def log_loss(p: NDArray[np.float64], y: NDArray[np.float64]) -> float:
    if not p.size:
        return float("nan")
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))


def reliability(p: NDArray[np.float64], y: NDArray[np.float64]) -> list[dict[str, float]]:
    """Forecasts grouped in equal-width bins: mean forecast, observed frequency, count."""
    bins = np.minimum((p * RELIABILITY_BINS).astype(int), RELIABILITY_BINS - 1)
    table = []
    for b in range(RELIABILITY_BINS):
        inside = bins == b
        if inside.any():
            table.append(
                {
                    "bin_from": b / RELIABILITY_BINS,
                    "bin_to": (b + 1) / RELIABILITY_BINS,
                    "forecast": round(float(p[inside].mean()), 4),
                    "observed": round(float(y[inside].mean()), 4),
                    "count": int(inside.sum()),
                }
            )
    return table


def persistence_forecast(
    history: EventHistory, n_units: int, *, at: float, horizon: float
) -> NDArray[np.float64]:
    """P(event next window | event or none in the last window), estimated before ``at``."""
    past = history.only(history.days < at)
    origins = training_origins(past.first_day, at, horizon, step=horizon / 2)
    last_now = outcomes(past, n_units, np.array([at - horizon]), horizon)
    if len(origins) == 0:
        return np.where(last_now > 0, 0.5, 0.5)
    before = outcomes(past, n_units, origins - horizon, horizon)
    after = outcomes(past, n_units, origins, horizon)
    followed = (after[before > 0].sum() + 1) / ((before > 0).sum() + 2)
    appeared = (after[before == 0].sum() + 1) / ((before == 0).sum() + 2)
    return np.where(last_now > 0, followed, appeared)


def climatology_forecast(
    history: EventHistory, n_units: int, *, at: float, horizon: float
) -> NDArray[np.float64]:
    past = history.only(history.days < at)
    start = past.first_day if len(past.days) else at
    return -np.expm1(-long_run_rates(past, n_units, at, start=start) * horizon)


@dataclass(frozen=True)
class Backtest:
    """Everything the report and the reliability diagram need."""

    units: Sequence[Unit]
    origins: NDArray[np.float64]
    observed: NDArray[np.float64]  # origins × units
    forecasts: dict[str, NDArray[np.float64]]  # forecaster -> origins × units
    models: list[RiskModel]

    def summary(self, forecaster: str) -> dict[str, float]:
        p, y = self.forecasts[forecaster].reshape(-1), self.observed.reshape(-1)
        return {"brier": round(brier(p, y), 6), "log_loss": round(log_loss(p, y), 6)}

    def by_unit(self) -> list[dict[str, object]]:
        rows: list[dict[str, object]] = []
        for i, unit in enumerate(self.units):
            y = self.observed[:, i]
            row: dict[str, object] = {"unit": unit.key, "name": unit.name, "country": unit.country,
                                      "events_windows": int(y.sum())}  # fmt: skip
            for name in FORECASTERS:
                row[name] = {"brier": round(brier(self.forecasts[name][:, i], y), 6)}
            rows.append(row)
        return rows

    def skill(self) -> dict[str, float]:
        """Brier skill score of the model against each baseline (> 0: the model is better)."""
        model = self.summary("model")["brier"]
        return {
            f"vs_{name}": round(1 - model / base, 4)
            if (base := self.summary(name)["brier"])
            else 0.0
            for name in ("persistence", "climatology")
        }


def run_backtest(
    history: EventHistory,
    units: Sequence[Unit],
    *,
    origins: NDArray[np.float64],
    horizon: float,
    refit_every: float,
    fatal_only: bool = False,
    kind: int | None = None,
) -> Backtest:
    """Forecast at each origin with information before it only, and collect the outcomes."""
    neighbours = Neighbourhood.of(units)
    n_units = len(units)
    target = history.target(fatal_only=fatal_only, kind=kind)
    collected = {name: Scores() for name in FORECASTERS}
    observed: list[NDArray[np.float64]] = []
    models: list[RiskModel] = []
    model: RiskModel | None = None
    fitted_at = -np.inf
    for at in origins:
        if model is None or at - fitted_at >= refit_every:
            model = fit_risk_model(
                history, neighbours, until=float(at), horizon=horizon, fatal_only=fatal_only,
                kind=kind,
            )  # fmt: skip
            fitted_at = float(at)
            if model is not None:
                models.append(model)
        if model is None:
            p_model = climatology_forecast(target, n_units, at=float(at), horizon=horizon)
        else:
            p_model = forecast(
                model, history, neighbours, at=float(at), horizon=horizon, fatal_only=fatal_only,
                kind=kind,
            )  # fmt: skip
        collected["model"].add(p_model)
        collected["persistence"].add(
            persistence_forecast(target, n_units, at=float(at), horizon=horizon)
        )
        collected["climatology"].add(
            climatology_forecast(target, n_units, at=float(at), horizon=horizon)
        )
        observed.append(outcomes(target, n_units, np.array([at]), horizon))
    return Backtest(
        units=units,
        origins=origins,
        observed=np.stack(observed) if observed else np.zeros((0, n_units)),
        forecasts={name: scores.stacked() for name, scores in collected.items()},
        models=models,
    )
