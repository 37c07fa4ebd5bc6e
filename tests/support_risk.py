"""A history of incidents for district risk tests: bursts of events in a few border districts.

``seed_history`` writes them through the ORM (any back end); ``store_demo_forecast``
then runs the real model and stores its forecast, as ``truceline warning risk --store`` does.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
from sqlalchemy import Engine

from truceline.audit.actor import SYSTEM
from truceline.db.engine import transaction
from truceline.incidents.models import Incident
from truceline.warning.risk_models import RiskForecast
from truceline.warning.risk_store import store_forecast

START = datetime(2008, 1, 1, tzinfo=UTC)
#: Districts of the border registry (loaded by the profile) and one the registry lacks.
PLACES = [
    ("PK", "Khyber Pakhtunkhwa", "North Waziristan", 32.99, 70.12),
    ("PK", "Khyber Pakhtunkhwa", "Bajaur agency", 34.78, 71.53),
    ("PK", "Sindh", "Karachi district", 24.90, 67.05),
    ("AF", "Paktika", None, 32.95, 69.18),  # no district: placed in the nearest (Urgun)
]


def seed_history(engine: Engine, *, days: int = 1500, prefix: str = "RISK") -> None:
    """Clustered events in each of ``PLACES`` from 2008 on (a fixed random seed)."""
    rng = np.random.default_rng(5)
    with transaction(engine) as session:
        n = 0
        for place, (country, admin1, admin2, lat, lon) in enumerate(PLACES):
            t = 0.0
            while t < days:
                t += rng.exponential(40.0 + 30 * place)
                for _ in range(1 + rng.poisson(2)):
                    t += rng.exponential(4.0)
                    n += 1
                    session.add(
                        Incident(
                            code=f"{prefix}-{n}", occurred_at=START + timedelta(days=t),
                            lat=lat, lon=lon, country=country, admin1=admin1, admin2=admin2,
                            event_type="armed_clash", perpetrator="unknown",
                            casualties={"militants": int(rng.integers(0, 3))},
                        )
                    )  # fmt: skip


def store_demo_forecast(engine: Engine, *, at: datetime | None = None) -> int:
    """Store a forecast from ``at`` (default: just after the seeded history) with a backtest score."""
    when = at or START + timedelta(days=1400)
    backtest = {
        "units": 121, "periods": 12, "horizon_days": 30, "from": "2010-01-01", "to": "2010-12-01",
        "model": {"brier": 0.05, "log_loss": 0.2}, "persistence": {"brier": 0.07, "log_loss": 0.3},
        "climatology": {"brier": 0.06, "log_loss": 0.25},
        "skill": {"vs_persistence": 0.29, "vs_climatology": 0.17}, "fatal": {},
        "reliability": [{"bin_from": 0.0, "bin_to": 0.1, "forecast": 0.02, "observed": 0.03, "count": 40}],
    }  # fmt: skip
    with transaction(engine) as session:
        forecast: RiskForecast = store_forecast(session, at=when, actor=SYSTEM, backtest=backtest)[
            0
        ]
        return forecast.id
