"""District risk: a self-exciting model of events per district, with spill-over across the line (pure).

Why this model. Violence in the border districts clusters in time and space:
an attack raises the chance of another in the same district for weeks, and in
its neighbours, including those across the boundary (the seed's retaliation
dynamic). A Hawkes process captures exactly that; on monthly or 30-day windows
its expected number of events in a district ``d`` over the next ``H`` days is

    E_d = H * (b + a_rate * r_d) + a_self * S_d + a_near * N_d + a_cross * X_d

- ``r_d`` is the district's long-run rate before the forecast date, shrunk
  towards the average of all districts (partial pooling: a district with a short
  history borrows from the others instead of getting a rate of zero);
- ``S_d``, ``N_d``, ``X_d`` are the exponentially decaying sums of its own past
  events, of its neighbours' on the same side, and of its neighbours' across the
  boundary: ``sum exp(-beta * age)``, the Hawkes kernel integrated over the window;
- ``b``, ``a_*`` are non-negative weights and ``beta`` the decay.

The probability of at least one event is ``1 - exp(-E_d)``. The weights are
fitted by expectation-maximisation on past windows whose outcome is known
before the forecast date (a censored-Poisson EM: monotone, weights stay
non-negative), and ``beta`` is chosen from a grid by likelihood. Nothing here
reads a clock or a database: callers pass event times in days.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

#: Candidate decays (per day): half-lives of about 5, 10, 20, 40 and 80 days.
DEFAULT_DECAYS = (0.14, 0.07, 0.035, 0.0175, 0.00875)
#: Days of pseudo-exposure at the pooled rate added to every district (partial pooling).
POOLING_DAYS = 365.0
#: Districts whose centres are this close count as neighbours.
NEIGHBOUR_KM = 80.0
#: Probabilities are kept inside [EPS, 1 - EPS] so that log loss stays finite.
EPS = 1e-4
EM_ITERATIONS = 300
#: EM stops when ten iterations improve the log-likelihood by less than this fraction.
CONVERGED = 1e-6
FEATURES = ("base", "long_run", "self", "near", "cross")


@dataclass(frozen=True)
class Unit:
    """A district: where it is and on which side of the boundary."""

    key: str
    name: str
    country: str
    admin1: str
    lat: float
    lon: float


@dataclass(frozen=True)
class EventHistory:
    """Events as days since an epoch, each with its unit index, whether it was fatal, and its
    event type as a small integer code (-1 when the type does not matter)."""

    days: NDArray[np.float64]
    unit: NDArray[np.int64]
    fatal: NDArray[np.bool_]
    kind: NDArray[np.int64] | None = None

    @classmethod
    def of(
        cls, rows: Sequence[tuple[float, int, bool] | tuple[float, int, bool, int]]
    ) -> EventHistory:
        ordered = sorted(rows)
        return cls(
            np.array([r[0] for r in ordered], dtype=float),
            np.array([r[1] for r in ordered], dtype=np.int64),
            np.array([r[2] for r in ordered], dtype=bool),
            np.array([r[3] if len(r) > 3 else -1 for r in ordered], dtype=np.int64),
        )

    def only(self, mask: NDArray[np.bool_]) -> EventHistory:
        kind = self.kind[mask] if self.kind is not None else None
        return EventHistory(self.days[mask], self.unit[mask], self.fatal[mask], kind)

    def target(self, *, fatal_only: bool = False, kind: int | None = None) -> EventHistory:
        """The events a forecast is about: all, the fatal ones, or those of one type."""
        mask = np.ones(len(self.days), dtype=bool)
        if fatal_only:
            mask &= self.fatal
        if kind is not None and self.kind is not None:
            mask &= self.kind == kind
        return self.only(mask)

    @property
    def first_day(self) -> float:
        return float(self.days[0]) if len(self.days) else 0.0


@dataclass(frozen=True)
class Neighbourhood:
    """Which units neighbour which, split by side of the boundary."""

    same_side: NDArray[np.float64]
    across: NDArray[np.float64]

    @classmethod
    def of(cls, units: Sequence[Unit], *, within_km: float = NEIGHBOUR_KM) -> Neighbourhood:
        lat = np.radians([u.lat for u in units])
        lon = np.radians([u.lon for u in units])
        dlat = lat[:, None] - lat[None, :]
        dlon = lon[:, None] - lon[None, :]
        a = (
            np.sin(dlat / 2) ** 2
            + np.cos(lat[:, None]) * np.cos(lat[None, :]) * np.sin(dlon / 2) ** 2
        )
        km = 2 * 6371.0 * np.arcsin(np.sqrt(np.clip(a, 0, 1)))
        near = (km <= within_km) & ~np.eye(len(units), dtype=bool)
        country = np.array([u.country for u in units])
        same = country[:, None] == country[None, :]
        return cls((near & same).astype(float), (near & ~same).astype(float))


@dataclass(frozen=True)
class RiskModel:
    """Fitted weights (in ``FEATURES`` order) and decay, with the fit's log-likelihood."""

    weights: tuple[float, ...]
    beta: float
    log_likelihood: float
    windows: int

    def as_json(self) -> dict[str, object]:
        return {
            "weights": {name: round(w, 6) for name, w in zip(FEATURES, self.weights, strict=True)},
            "decay_per_day": self.beta,
            "half_life_days": round(math.log(2) / self.beta, 1),
            "log_likelihood": round(self.log_likelihood, 3),
            "training_windows": self.windows,
        }


def counts_before(
    history: EventHistory, n_units: int, times: NDArray[np.float64]
) -> NDArray[np.float64]:
    """Events of each unit strictly before each time: rows times, columns units.

    One binary search per unit and time over the unit's sorted event days, so
    backtests with hundreds of origins stay fast on a long history.
    """
    counts = np.zeros((len(times), n_units))
    for unit in np.unique(history.unit):
        days = history.days[history.unit == unit]
        counts[:, unit] = np.searchsorted(days, times, side="left")
    return counts


def long_run_rates(
    history: EventHistory, n_units: int, at: float, *, start: float
) -> NDArray[np.float64]:
    """Events per day of each unit before ``at``, shrunk towards the pooled rate."""
    return long_run_rate_matrix(history, n_units, np.array([at]), start=start)[0]


def long_run_rate_matrix(
    history: EventHistory, n_units: int, times: NDArray[np.float64], *, start: float
) -> NDArray[np.float64]:
    """``long_run_rates`` at each of ``times`` (rows)."""
    counts = counts_before(history, n_units, times)
    exposure = np.maximum(times - start, 1.0)[:, None]
    pooled = counts.sum(axis=1, keepdims=True) / (exposure * max(n_units, 1))
    return (counts + pooled * POOLING_DAYS) / (exposure + POOLING_DAYS)


def decayed_sums(
    history: EventHistory, n_units: int, origins: NDArray[np.float64], beta: float
) -> NDArray[np.float64]:
    """``sum exp(-beta * (origin - t))`` over each unit's events before each origin.

    Computed in one pass over sorted origins (each event is added once, then the
    running sums decay from origin to origin), so the cost is linear in events
    plus origins × units.
    """
    sums = np.zeros((len(origins), n_units))
    if len(origins) == 0:
        return sums
    slot = np.searchsorted(origins, history.days, side="right")
    inside = slot < len(origins)
    increments = np.zeros((len(origins), n_units))
    age = origins[slot[inside]] - history.days[inside]
    np.add.at(increments, (slot[inside], history.unit[inside]), np.exp(-beta * age))
    running = np.zeros(n_units)
    for k in range(len(origins)):
        if k:
            running *= math.exp(-beta * (origins[k] - origins[k - 1]))
        running += increments[k]
        sums[k] = running
    return sums


def feature_matrix(
    history: EventHistory,
    neighbours: Neighbourhood,
    origins: NDArray[np.float64],
    *,
    horizon: float,
    beta: float,
    rate_history: EventHistory,
    start: float,
) -> NDArray[np.float64]:
    """Rows: origin × unit; columns: ``FEATURES`` (window-integrated, non-negative)."""
    n_units = neighbours.same_side.shape[0]
    own = decayed_sums(history, n_units, origins, beta) * (1 - math.exp(-beta * horizon))
    near = own @ neighbours.same_side
    cross = own @ neighbours.across
    rates = long_run_rate_matrix(rate_history, n_units, origins, start=start)
    base = np.full_like(own, horizon)
    columns = [base, rates * horizon, own, near, cross]
    return np.stack([c.reshape(-1) for c in columns], axis=1)


def outcomes(
    history: EventHistory, n_units: int, origins: NDArray[np.float64], horizon: float
) -> NDArray[np.float64]:
    """1 where a unit had at least one event in ``[origin, origin + horizon)``."""
    inside = counts_before(history, n_units, origins + horizon) - counts_before(
        history, n_units, origins
    )
    return (inside > 0).astype(float).reshape(-1)


def fit_weights(
    features: NDArray[np.float64], hit: NDArray[np.float64], *, iterations: int = EM_ITERATIONS
) -> tuple[NDArray[np.float64], float]:
    """Maximum-likelihood non-negative weights for ``P(hit) = 1 - exp(-features @ w)``.

    EM for a censored Poisson: the latent count behind a hit has expectation
    ``E / (1 - exp(-E))``, none behind a miss; each weight then takes the share
    of those counts its feature explains (multiplicative updates).
    """
    features = np.ascontiguousarray(features)
    totals = features.sum(axis=0)
    usable = totals > 0
    weights = np.where(
        usable, 0.1 * max(hit.mean(), EPS) / np.maximum(features.mean(axis=0), 1e-12), 0.0
    )
    weights[0] = max(weights[0], 1e-6)
    previous = -np.inf
    for iteration in range(iterations):
        expected = np.maximum(features @ weights, 1e-12)
        latent = hit * expected / -np.expm1(-expected)
        share = features.T @ (latent / expected)
        weights = np.where(usable, weights * share / np.where(usable, totals, 1.0), 0.0)
        if iteration % 10 == 9:
            current = _log_likelihood(features @ weights, hit)
            if current - previous < CONVERGED * abs(current):
                break
            previous = current
    return weights, _log_likelihood(features @ weights, hit)


def _log_likelihood(expected: NDArray[np.float64], hit: NDArray[np.float64]) -> float:
    p = np.clip(-np.expm1(-expected), EPS, 1 - EPS)
    return float(np.sum(hit * np.log(p) + (1 - hit) * np.log(1 - p)))


def training_origins(
    start: float, until: float, horizon: float, step: float
) -> NDArray[np.float64]:
    """Origins whose whole outcome window ends before ``until`` (no peeking past it)."""
    first = start + POOLING_DAYS / 4
    last = until - horizon
    if last < first:
        return np.zeros(0)
    return np.arange(last, first - 1e-9, -step)[::-1]


def fit_risk_model(
    history: EventHistory,
    neighbours: Neighbourhood,
    *,
    until: float,
    horizon: float,
    fatal_only: bool = False,
    kind: int | None = None,
    decays: Sequence[float] = DEFAULT_DECAYS,
) -> RiskModel | None:
    """Fit on events before ``until`` only; None when there is not a single past window."""
    past = history.only(history.days < until)
    n_units = neighbours.same_side.shape[0]
    origins = training_origins(past.first_day, until, horizon, step=horizon)
    if len(origins) == 0 or len(past.days) == 0:
        return None
    target = past.target(fatal_only=fatal_only, kind=kind)
    hit = outcomes(target, n_units, origins, horizon)
    best: RiskModel | None = None
    for beta in decays:
        features = feature_matrix(
            past, neighbours, origins, horizon=horizon, beta=beta,
            rate_history=target, start=past.first_day,
        )  # fmt: skip
        weights, log_likelihood = fit_weights(features, hit)
        if best is None or log_likelihood > best.log_likelihood:
            best = RiskModel(tuple(float(w) for w in weights), beta, log_likelihood, len(origins))
    return best


def forecast(
    model: RiskModel,
    history: EventHistory,
    neighbours: Neighbourhood,
    *,
    at: float,
    horizon: float,
    fatal_only: bool = False,
    kind: int | None = None,
) -> NDArray[np.float64]:
    """Probability of at least one (fatal, or typed) event per unit in ``[at, at + horizon)``."""
    past = history.only(history.days < at)
    target = past.target(fatal_only=fatal_only, kind=kind)
    features = feature_matrix(
        past, neighbours, np.array([at]), horizon=horizon, beta=model.beta,
        rate_history=target, start=past.first_day if len(past.days) else at,
    )  # fmt: skip
    expected = features @ np.array(model.weights)
    return np.asarray(np.clip(-np.expm1(-expected), EPS, 1 - EPS))
