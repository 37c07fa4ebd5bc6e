"""Seeding a database with many plausible incidents for the read benchmarks.

Used by ``bench_dashboard.py`` and ``bench_incidents_api.py``. Rows go in through
the importer's bulk path (``exchange.bulk.bulk_insert``, batches of 5,000), with
a seeded generator: incidents spread over 20 years and the border region (a
third of them within 50 km of the line), the event types, perpetrators and
verification states in realistic shares, 10% released (what the public sees),
and the newest month as dense as the rest. Bulk seeding writes no audit entries
(the read paths measured here do not read the log).

A seeded SQLite file is kept under ``--cache`` and copied for each run, so the
1,000,000-row database is built once (a few minutes) rather than per run; each copy
is brought up to the newest migration.
"""

from __future__ import annotations

import random
import shutil
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, func, select

from truceline.db.engine import make_engine, session_factory
from truceline.db.migrate import upgrade
from truceline.exchange.bulk import bulk_insert
from truceline.incidents.models import Incident
from truceline.profile import initialise

BATCH = 5000
#: The newest incident; the default dashboard period is the 30 days up to it.
NEWEST = datetime(2026, 11, 30, 12, tzinfo=UTC)
SPAN_DAYS = 20 * 365
EVENT_TYPES = (
    ("armed_clash", 40), ("shelling_artillery_missile_attack", 25), ("air_drone_strike", 10),
    ("remote_explosive_landmine_ied", 10), ("attack", 8), ("arrests", 5), ("looting_property_destruction", 2),
)  # fmt: skip
PERPETRATORS = (("PK", 35), ("AF", 25), ("TTP", 20), ("ISKP", 8), ("BLA", 4), ("unknown", 8))
STATES = (("reported", 50), ("triaged", 15), ("under_verification", 15), ("determined", 15),
          ("closed_unverifiable", 5))  # fmt: skip
PLACES = (
    ("Miranshah", "PK", "Khyber Pakhtunkhwa", 33.0086, 70.0697),
    ("Parachinar", "PK", "Khyber Pakhtunkhwa", 33.8997, 70.1001),
    ("Chaman", "PK", "Balochistan", 30.9222, 66.4447),
    ("Torkham", "PK", "Khyber Pakhtunkhwa", 34.1088, 71.0975),
    ("Spin Boldak", "AF", "Kandahar", 31.0058, 66.3986),
    ("Khost", "AF", "Khost", 33.3395, 69.9204),
    ("Asadabad", "AF", "Kunar", 34.8741, 71.1528),
    ("Quetta", "PK", "Balochistan", 30.1798, 66.975),
    ("Peshawar", "PK", "Khyber Pakhtunkhwa", 34.0151, 71.5249),
    ("Jalalabad", "AF", "Nangarhar", 34.4265, 70.4515),
)


def _weighted(rng: random.Random, table: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([k for k, _ in table], weights=[w for _, w in table])[0]


def incident_rows(first: int, count: int, rng: random.Random) -> list[dict[str, Any]]:
    """``count`` incidents with ids from ``first``."""
    now = datetime.now(UTC)
    rows = []
    for key in range(first, first + count):
        place, country, adm1, lat, lon = rng.choice(PLACES)
        spread = 0.4 if rng.random() < 0.33 else 1.5
        dead = rng.randrange(6)
        state = _weighted(rng, STATES)
        perpetrator = _weighted(rng, PERPETRATORS)
        rows.append(
            {
                "id": key, "code": f"S-{key:07d}", "title": f"Incident near {place}",
                "occurred_at": NEWEST - timedelta(minutes=rng.randrange(SPAN_DAYS * 1440)),
                "occurred_until": None, "time_precision": 1,
                "lat": lat + rng.uniform(-spread, spread), "lon": lon + rng.uniform(-spread, spread),
                "geo_precision": 2, "place_name": place, "country": country, "admin1": adm1,
                "admin2": None, "event_type": _weighted(rng, EVENT_TYPES), "perpetrator": perpetrator,
                "perpetrator_label": perpetrator, "target_actor": "AF" if perpetrator == "PK" else None,
                "target_label": "", "targets": ["security_forces"],
                "casualties": {"unknown": {"low": dead, "best": dead, "high": dead + 1}},
                "attribution": [], "verification_state": state,
                "released": state == "determined" and rng.random() < 0.66,
                "notes": "", "origin_dataset": "seed", "origin_event_id": str(key),
                "origin_record": {}, "merged_into_id": None, "created_at": now, "updated_at": now,
            }
        )  # fmt: skip
    return rows


def seed(engine: Engine, rows: int) -> float:
    """Insert ``rows`` incidents (after the profile); seconds taken."""
    rng = random.Random(2026)
    table: Any = Incident.__table__
    started = time.perf_counter()
    for offset in range(0, rows, BATCH):
        batch = incident_rows(1_000_000_000 + offset, min(BATCH, rows - offset), rng)
        with session_factory(engine)() as session, session.begin():
            bulk_insert(session, table, batch)
    return time.perf_counter() - started


def seeded_sqlite(rows: int, cache: Path, target: Path) -> str:
    """An SQLite database at ``target`` with the profile and ``rows`` seeded incidents."""
    cache.mkdir(parents=True, exist_ok=True)
    cached = cache / f"incidents-{rows}.sqlite3"
    if not cached.exists():
        building = cached.with_suffix(".building")
        building.unlink(missing_ok=True)
        engine = make_engine(f"sqlite:///{building}")
        initialise(engine)
        seconds = seed(engine, rows)
        with engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        engine.dispose()
        building.rename(cached)
        print(f"seeded {rows:,} incidents in {seconds:.0f} s ({cached})", flush=True)
    shutil.copyfile(cached, target)
    url = f"sqlite:///{target}"
    engine = make_engine(url)
    upgrade(engine)  # a file cached before a later migration gets it (e.g. new indexes)
    engine.dispose()
    return url


def count_incidents(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(connection.scalar(select(func.count()).select_from(Incident)) or 0)
