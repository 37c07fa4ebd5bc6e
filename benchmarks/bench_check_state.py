"""``truceline audit check-state`` at scale, against the cost of simply reading the rows.

Seeds N incidents (default 1,000,000) through the importer's bulk path
(``exchange.bulk.bulk_insert`` + ``audit.state.note_written``, one transaction
per batch of 1,000, so each batch also records its state digests and its
``audit.state`` entry), then measures in the same database and process:

- ``read``: stream every row of ``incidents`` with the same raw SELECT the
  check uses (no digests): the floor for any check of the records;
- ``check-state``: ``truceline.audit.check.check_state`` over the whole
  database (the commitments pass over every digest, then every audited table).

It also times the seeding of the same number of rows without digests, so the
recording overhead on the bulk path is measured in the same run.

    .venv/bin/python benchmarks/bench_check_state.py                    # 1,000,000 incidents, SQLite
    .venv/bin/python benchmarks/bench_check_state.py --rows 100000      # quicker
    .venv/bin/python benchmarks/bench_check_state.py --pg-url postgresql+psycopg://...
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, func, select

from truceline.audit.check import check_state
from truceline.audit.state import audited_table, note_written, raw_select
from truceline.config import get_settings
from truceline.db.engine import make_engine, session_factory
from truceline.exchange.bulk import bulk_insert
from truceline.incidents.models import Incident
from truceline.profile import initialise
from truceline.startup import wire

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_import import drop_database, fresh_database  # noqa: E402

#: The code this benchmark times (tests/unit/benchmarks/test_code_paths.py imports each).
CODE_PATHS = ("truceline.audit.check.check_state",)

BATCH = 1000
PLACES = [
    ("Miranshah", "Khyber Pakhtunkhwa", "North Waziristan", 33.0086, 70.0697),
    ("Parachinar", "Khyber Pakhtunkhwa", "Kurram", 33.8997, 70.1001),
    ("Chaman", "Balochistan", "Killa Abdullah", 30.9222, 66.4447),
]


def incident_rows(first: int, count: int, rng: random.Random) -> list[dict[str, Any]]:
    """``count`` plausible incidents with ids from ``first`` (seeded)."""
    now = datetime.now(UTC)
    start = datetime(1990, 1, 1, tzinfo=UTC)
    rows = []
    for key in range(first, first + count):
        place, adm1, adm2, lat, lon = rng.choice(PLACES)
        dead = rng.randrange(6)
        rows.append(
            {
                "id": key, "code": f"bench-{key}", "title": "Clash near border post",
                "occurred_at": start + timedelta(days=rng.randrange(12000)), "occurred_until": None,
                "time_precision": 1, "lat": lat + rng.uniform(-0.2, 0.2),
                "lon": lon + rng.uniform(-0.2, 0.2), "geo_precision": 2, "place_name": place,
                "country": "PK", "admin1": adm1, "admin2": adm2, "event_type": "armed_clash",
                "perpetrator": "PK", "perpetrator_label": "Government of Pakistan",
                "target_actor": None, "target_label": "TTP", "targets": ["militants"],
                "casualties": {"unknown": {"low": dead, "best": dead, "high": dead + 1}},
                "attribution": [], "verification_state": "reported", "released": False,
                "notes": "", "origin_dataset": "bench", "origin_event_id": str(key),
                "origin_record": {}, "merged_into_id": None, "created_at": now, "updated_at": now,
            }
        )  # fmt: skip
    return rows


def seed(engine: Engine, rows: int, *, digests: bool, first: int = 1) -> float:
    """Insert ``rows`` incidents in batches; with ``digests``, as the importer does. Seconds."""
    rng = random.Random(2025)
    table: Any = Incident.__table__
    started = time.perf_counter()
    for offset in range(0, rows, BATCH):
        batch = incident_rows(first + offset, min(BATCH, rows - offset), rng)
        with session_factory(engine)() as session, session.begin():
            bulk_insert(session, table, batch)
            if digests:
                note_written(session, "incidents", [row["id"] for row in batch])
    return time.perf_counter() - started


def read_all(engine: Engine) -> tuple[int, float]:
    """Stream every incident with the check's raw SELECT; (rows, seconds)."""
    audited = audited_table("incidents")
    assert audited is not None
    query, source = raw_select(audited)
    started = time.perf_counter()
    count = 0
    with engine.connect() as connection:
        for _row in connection.execution_options(yield_per=5000).execute(
            query.order_by(source.c.id)
        ):
            count += 1
    return count, time.perf_counter() - started


def database_mb(engine: Engine) -> float:
    """Size of the database on disk, in MB (SQLite file plus WAL; PostgreSQL database)."""
    if engine.dialect.name == "sqlite":
        path = Path(str(engine.url.database))
        files = [path, path.with_name(path.name + "-wal")]
        return sum(f.stat().st_size for f in files if f.exists()) / 1e6
    with engine.connect() as connection:
        return int(connection.scalar(select(func.pg_database_size(func.current_database())))) / 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--pg-url", default=os.environ.get("TRUCELINE_TEST_PG_URL"))
    parser.add_argument("--backends", default=None, help="sqlite,postgres (default: both if a URL)")
    args = parser.parse_args()
    backends = (args.backends or ("sqlite,postgres" if args.pg_url else "sqlite")).split(",")
    with tempfile.TemporaryDirectory() as work:
        for backend in backends:
            measure(backend, Path(work), args.rows, args.pg_url)


def measure(backend: str, work: Path, rows: int, pg_url: str | None) -> None:
    plain_url = fresh_database(backend, work, pg_url)
    url = fresh_database(backend, work, pg_url)
    try:
        plain, engine = make_engine(plain_url), make_engine(url)
        initialise(plain)
        initialise(engine)
        without = seed(plain, rows, digests=False)
        plain_mb = database_mb(plain)
        plain.dispose()
        drop_database(plain_url, pg_url)
        with_digests = seed(engine, rows, digests=True)
        digests_mb = database_mb(engine)
        with engine.connect() as connection:
            total = connection.scalar(select(func.count()).select_from(Incident))
        read_rows, read_seconds = read_all(engine)
        started = time.perf_counter()
        with engine.connect() as connection:
            report = check_state(connection, origin=get_settings().checkpoint_origin)
        check_seconds = time.perf_counter() - started
        assert not report.errors, report.errors[:5]
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"{backend}: {total:,} incidents | seed without digests {without:.1f} s "
            f"({rows / without:,.0f} rows/s), with digests {with_digests:.1f} s "
            f"({rows / with_digests:,.0f} rows/s, +{(with_digests / without - 1) * 100:.0f}%) | "
            f"read {read_rows:,} rows {read_seconds:.1f} s | check-state {report.checked:,} "
            f"records {check_seconds:.1f} s ({check_seconds / read_seconds:.1f}x read) | "
            f"database {plain_mb:,.0f} MB without digests, {digests_mb:,.0f} MB with | "
            f"peak {peak:.0f} MB",
            flush=True,
        )
        engine.dispose()
    finally:
        drop_database(url, pg_url)


if __name__ == "__main__":
    wire()  # the audit capture and event subscriptions, as the app and CLI do
    main()
