"""The district risk model: decayed sums, the EM fit, and forecasts that never look ahead."""

from __future__ import annotations

import math

import numpy as np

from truceline.warning.risk import (
    FEATURES,
    EventHistory,
    Neighbourhood,
    Unit,
    decayed_sums,
    fit_risk_model,
    fit_weights,
    forecast,
    long_run_rates,
    outcomes,
)

UNITS = [
    Unit("PK:a", "A", "PK", "KP", 33.0, 70.0),
    Unit("PK:b", "B", "PK", "KP", 33.3, 70.3),  # about 43 km from A: a neighbour
    Unit("AF:c", "C", "AF", "Khost", 33.2, 69.9),  # across the boundary from A and B
    Unit("PK:far", "Far", "PK", "Sindh", 24.9, 67.0),
]


def clustered_history(seed: int = 7, days: int = 3000) -> EventHistory:
    """Unit A has bursts that decay over weeks (self-excitation); the others are quiet."""
    rng = np.random.default_rng(seed)
    rows: list[tuple[float, int, bool]] = []
    t = 0.0
    while t < days:
        t += rng.exponential(120.0)
        burst = t
        for _ in range(rng.poisson(6)):
            burst += rng.exponential(6.0)
            rows.append((burst, 0, bool(rng.random() < 0.6)))
    for unit in (1, 2, 3):
        for when in rng.uniform(0, days, 8):
            rows.append((float(when), unit, False))
    return EventHistory.of(rows)


def test_decayed_sums_match_the_definition() -> None:
    history = EventHistory.of([(1.0, 0, True), (4.0, 0, False), (6.0, 1, False)])
    origins = np.array([5.0, 10.0])
    sums = decayed_sums(history, 2, origins, beta=0.2)
    assert sums[0, 0] == math.exp(-0.2 * 4) + math.exp(-0.2 * 1)
    assert sums[0, 1] == 0.0  # the event at day 6 is after the first origin
    assert np.isclose(sums[1, 1], math.exp(-0.2 * 4))
    assert np.isclose(sums[1, 0], math.exp(-0.2 * 9) + math.exp(-0.2 * 6))


def test_outcomes_mark_units_with_an_event_in_the_window() -> None:
    history = EventHistory.of([(1.0, 0, True), (12.0, 1, False)])
    hit = outcomes(history, 3, np.array([0.0, 10.0]), 5.0).reshape(2, 3)
    assert hit.tolist() == [[1, 0, 0], [0, 1, 0]]


def test_long_run_rates_pool_towards_the_average() -> None:
    history = EventHistory.of([(float(d), 0, False) for d in range(0, 100, 10)])
    rates = long_run_rates(history, 2, 100.0, start=0.0)
    assert rates[0] > rates[1] > 0  # the quiet unit borrows from the pooled rate
    assert rates[0] < 10 / 100


def test_neighbours_are_split_by_side_of_the_boundary() -> None:
    near = Neighbourhood.of(UNITS)
    assert near.same_side[0, 1] == 1 and near.same_side[0, 3] == 0
    assert near.across[0, 2] == 1 and near.across[2, 1] == 1
    assert near.same_side[0, 0] == 0


def test_the_em_fit_never_lowers_the_likelihood_and_keeps_weights_non_negative() -> None:
    rng = np.random.default_rng(3)
    features = rng.uniform(0, 1, (400, len(FEATURES)))
    truth = np.array([0.05, 0.0, 0.8, 0.1, 0.0])
    hit = (rng.random(400) < -np.expm1(-(features @ truth))).astype(float)
    short, short_ll = fit_weights(features, hit, iterations=10)
    long, long_ll = fit_weights(features, hit, iterations=200)
    assert long_ll >= short_ll
    assert (long >= 0).all() and (short >= 0).all()
    assert long[2] > long[1]  # the feature that drives the outcome gets the weight


def test_the_fit_finds_self_excitation_in_clustered_events() -> None:
    history = clustered_history()
    model = fit_risk_model(history, Neighbourhood.of(UNITS), until=3000.0, horizon=30.0)
    assert model is not None
    weights = dict(zip(FEATURES, model.weights, strict=True))
    assert weights["self"] > 0.05
    assert model.as_json()["half_life_days"] > 0


def test_a_forecast_ignores_events_on_or_after_its_date() -> None:
    history = clustered_history()
    near = Neighbourhood.of(UNITS)
    model = fit_risk_model(history, near, until=2000.0, horizon=30.0)
    assert model is not None
    before = history.only(history.days < 2000.0)
    with_future = EventHistory.of(
        [*zip(history.days.tolist(), history.unit.tolist(), history.fatal.tolist(), strict=True),
         (2000.0, 3, True), (2010.0, 3, True)]
    )  # fmt: skip
    p_before = forecast(model, before, near, at=2000.0, horizon=30.0)
    p_future = forecast(model, with_future, near, at=2000.0, horizon=30.0)
    assert np.array_equal(p_before, p_future)
    assert ((p_before > 0) & (p_before < 1)).all()


def test_there_is_no_model_without_a_past_window() -> None:
    history = EventHistory.of([(10.0, 0, False)])
    assert fit_risk_model(history, Neighbourhood.of(UNITS), until=20.0, horizon=30.0) is None
