"""District risk: how fitting grows with the number of events, and the cost of one forecast.

Code path: ``truceline.warning.risk.fit_risk_model`` and ``forecast`` (what
``truceline warning risk`` and ``warning backtest`` run after reading the
incidents). Synthetic clustered events over 120 districts and 25 years, at
several sizes. Baseline measured in the same run: the climatology forecast
(each district's long-run rate, ``backtest.climatology_forecast``), the
cheapest forecast anyone would make from the same events.

Wall-clock seconds (``time.perf_counter``), single process, one core.
Run: ``.venv/bin/python benchmarks/bench_risk.py [--sizes 5000 20000 80000]``.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from truceline.warning.backtest import climatology_forecast
from truceline.warning.risk import EventHistory, Neighbourhood, Unit, fit_risk_model, forecast

#: The code this benchmark times (tests/unit/benchmarks/test_code_paths.py imports each).
CODE_PATHS = (
    "truceline.warning.risk.fit_risk_model",
    "truceline.warning.risk.forecast",
)

DAYS = 25 * 365.0
HORIZON = 30.0


def synthetic(n_events: int, n_units: int = 120, seed: int = 1) -> tuple[EventHistory, list[Unit]]:
    rng = np.random.default_rng(seed)
    units = [
        Unit(f"U{i}", f"U{i}", "PK" if i % 3 else "AF", "", 30 + rng.uniform(0, 6), 66 + rng.uniform(0, 6))
        for i in range(n_units)
    ]  # fmt: skip
    bursts = max(n_events // 5, 1)
    centres = rng.uniform(0, DAYS, bursts)
    unit_of_burst = rng.zipf(1.6, bursts) % n_units
    days = np.repeat(centres, 5) + rng.exponential(6.0, bursts * 5)
    unit = np.repeat(unit_of_burst, 5)
    fatal = rng.random(len(days)) < 0.6
    keep = days < DAYS
    rows = list(zip(days[keep].tolist(), unit[keep].tolist(), fatal[keep].tolist(), strict=True))
    return EventHistory.of(rows), units


def measure(n_events: int) -> dict[str, float]:
    history, units = synthetic(n_events)
    near = Neighbourhood.of(units)
    started = time.perf_counter()
    p_base = climatology_forecast(history, len(units), at=DAYS, horizon=HORIZON)
    baseline = time.perf_counter() - started
    started = time.perf_counter()
    model = fit_risk_model(history, near, until=DAYS, horizon=HORIZON)
    fit = time.perf_counter() - started
    assert model is not None
    started = time.perf_counter()
    p = forecast(model, history, near, at=DAYS, horizon=HORIZON)
    one = time.perf_counter() - started
    assert p.shape == p_base.shape
    return {"events": len(history.days), "baseline": baseline, "fit": fit, "forecast": one}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[5000, 20000, 80000])
    args = parser.parse_args()
    print(
        f"{'events':>8} {'climatology s':>14} {'fit s':>8} {'forecast s':>11} {'fit/event µs':>13}"
    )
    previous: dict[str, float] | None = None
    for size in args.sizes:
        row = measure(size)
        print(
            f"{row['events']:>8.0f} {row['baseline']:>14.4f} {row['fit']:>8.2f} "
            f"{row['forecast']:>11.4f} {1e6 * row['fit'] / row['events']:>13.1f}"
        )
        if previous:
            growth = row["fit"] / previous["fit"]
            ratio = row["events"] / previous["events"]
            print(f"         fit grew {growth:.1f}× for {ratio:.1f}× the events")
        previous = row


if __name__ == "__main__":
    main()
