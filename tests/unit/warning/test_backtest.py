"""The rolling-origin backtest: scores, baselines, reliability, and the model's skill."""

from __future__ import annotations

import numpy as np

from truceline.warning.backtest import (
    brier,
    log_loss,
    persistence_forecast,
    reliability,
    run_backtest,
)
from truceline.warning.risk import EventHistory

from .test_risk import UNITS, clustered_history


def test_scores_of_a_perfectly_sure_and_a_hedging_forecaster() -> None:
    y = np.array([1.0, 0.0])
    assert brier(np.array([1.0, 0.0]), y) == 0.0
    assert brier(np.array([0.5, 0.5]), y) == 0.25
    assert np.isclose(log_loss(np.array([0.5, 0.5]), y), np.log(2))


def test_reliability_bins_count_every_forecast() -> None:
    p = np.array([0.05, 0.07, 0.55, 0.99])
    y = np.array([0.0, 1.0, 1.0, 1.0])
    table = reliability(p, y)
    assert sum(row["count"] for row in table) == 4
    first = table[0]
    assert first["observed"] == 0.5 and first["bin_to"] == 0.1


def test_persistence_learns_how_often_an_event_follows_an_event() -> None:
    # Unit 0 has an event every 10 days, unit 1 none: after an active window comes another.
    history = EventHistory.of([(float(d), 0, False) for d in range(0, 1000, 10)])
    p = persistence_forecast(history, 2, at=1000.0, horizon=30.0)
    assert p[0] > 0.9 and p[1] < 0.1


def test_the_model_beats_persistence_and_climatology_on_clustered_events() -> None:
    history = clustered_history(seed=11, days=4000)
    origins = np.arange(2500.0, 3900.0, 30.0)
    run = run_backtest(history, UNITS, origins=origins, horizon=30.0, refit_every=365.0)
    model = run.summary("model")
    assert model["brier"] < run.summary("persistence")["brier"]
    assert model["brier"] < run.summary("climatology")["brier"]
    assert run.skill()["vs_climatology"] > 0
    assert run.observed.shape == (len(origins), len(UNITS))
    assert len(run.models) >= 3  # refitted yearly, on earlier events only
