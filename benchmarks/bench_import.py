"""Import throughput and memory: ``truceline import`` against a raw ``executemany`` baseline.

For each back end (SQLite, and PostgreSQL when a URL is given) and each file
(the shared UCDP GED extract and a synthetic GED file from a seeded
generator), this measures in a fresh database:

- ``import``: ``truceline.exchange.importer.import_file`` (parsing, validation,
  mapping, duplicate checks, incidents + reports + links, one audit entry per batch);
- ``raw``: the same rows read with ``csv.reader`` and written to the same three
  tables with DB-API ``executemany`` in one transaction, ids assigned by the
  client, no validation: the ceiling for this database on this machine.

Each measurement runs in its own process, so the peak resident memory it
reports (``ru_maxrss``) belongs to that measurement alone.

    .venv/bin/python benchmarks/bench_import.py                 # 1,000,000 synthetic rows
    .venv/bin/python benchmarks/bench_import.py --rows 100000   # quicker
    .venv/bin/python benchmarks/bench_import.py --pg-url postgresql+psycopg://...  # or TRUCELINE_TEST_PG_URL
"""

from __future__ import annotations

import argparse
import cProfile
import csv
import hashlib
import json
import multiprocessing
import os
import pstats
import queue
import random
import resource
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from truceline.db.engine import make_engine
from truceline.exchange.importer import import_file
from truceline.exchange.ucdp import GED_COLUMNS
from truceline.profile import initialise
from truceline.startup import wire

#: The code this benchmark times (tests/unit/benchmarks/test_code_paths.py imports each).
CODE_PATHS = ("truceline.exchange.importer.import_file",)

SHARED_GED = (
    Path(__file__).resolve().parents[2] / "shared" / "data" / "ucdp_ged_pakistan_1989_2014.csv"
)
PLACES = [
    ("Miranshah town", "Khyber Pakhtunkhwa", "North Waziristan", 33.0086, 70.0697),
    ("Parachinar town", "Khyber Pakhtunkhwa", "Kurram", 33.8997, 70.1001),
    ("Khar town", "Khyber Pakhtunkhwa", "Bajaur", 34.6134, 71.9387),
    ("Chaman town", "Balochistan", "Killa Abdullah", 30.9222, 66.4447),
    ("Quetta city", "Balochistan", "Quetta", 30.1872, 67.0125),
]
SIDES = [
    ("Government of Pakistan", "TTP", 1),
    ("Government of Pakistan", "BLA", 1),
    ("TTP", "Civilians", 3),
]
HEADLINES = [
    "Militants attack checkpoint",
    "Roadside bomb kills soldiers",
    "Drone strike in tribal area",
    "Clash near border post",
]


def synthetic_ged(path: Path, rows: int, seed: int = 2025) -> None:
    """Write ``rows`` plausible GED rows (seeded, so every run writes the same file)."""
    rng = random.Random(seed)
    start = date(1990, 1, 1)
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(GED_COLUMNS)
        for n in range(rows):
            writer.writerow(_synthetic_row(rng, n, start))


def _synthetic_row(rng: random.Random, n: int, start: date) -> list[Any]:
    place, adm1, adm2, lat, lon = rng.choice(PLACES)
    side_a, side_b, violence = rng.choice(SIDES)
    day = (start + timedelta(days=rng.randrange(12000))).isoformat() + " 00:00:00.000"
    deaths = [rng.randrange(4), rng.randrange(6), rng.randrange(3), rng.randrange(2)]
    best = sum(deaths)
    headline = rng.choice(HEADLINES)
    values = {
        "id": str(10_000_000 + n), "relid": f"SYN-{n}", "year": day[:4], "active_year": "1",
        "code_status": "Clear", "type_of_violence": str(violence), "conflict_dset_id": "209",
        "conflict_new_id": "209", "conflict_name": "Pakistan: Government",
        "dyad_dset_id": "1", "dyad_new_id": "1", "dyad_name": f"{side_a} - {side_b}",
        "side_a_dset_id": "1", "side_a_new_id": "1", "side_a": side_a, "side_b_dset_id": "2",
        "side_b_new_id": "2", "side_b": side_b, "number_of_sources": "1",
        "source_article": f'"Dawn,{day[:10]},{headline}"', "source_office": "Dawn",
        "source_date": day[:10], "source_headline": headline, "source_original": "officials",
        "where_prec": str(rng.randint(1, 5)), "where_coordinates": place,
        "where_description": f"near {place}", "adm_1": adm1, "adm_2": adm2,
        "latitude": f"{lat + rng.uniform(-0.2, 0.2):.6f}", "longitude": f"{lon + rng.uniform(-0.2, 0.2):.6f}",
        "geom_wkt": "", "priogrid_gid": "1", "country": "Pakistan", "iso3": "PAK",
        "country_id": "770", "region": "Asia", "event_clarity": "1", "date_prec": "1",
        "date_start": day, "date_end": day, "deaths_a": deaths[0], "deaths_b": deaths[1],
        "deaths_civilians": deaths[2], "deaths_unknown": deaths[3], "best": best,
        "high": best + rng.randrange(3), "low": max(0, best - rng.randrange(2)), "gwnoa": "770", "gwnob": "",
    }  # fmt: skip
    return [values[column] for column in GED_COLUMNS]


# --- the raw baseline ------------------------------------------------------------------

INCIDENT_SQL = (
    "INSERT INTO incidents (id, code, title, occurred_at, occurred_until, time_precision, lat, lon, "
    "geo_precision, place_name, country, admin1, admin2, event_type, perpetrator, perpetrator_label, "
    "target_actor, target_label, targets, casualties, attribution, verification_state, released, notes, "
    "origin_dataset, origin_event_id, origin_record, created_at, updated_at) VALUES "
    "(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, "
    "%s, %s, %s, %s, %s, %s, %s, %s, %s)"
)
REPORT_SQL = (
    "INSERT INTO reports (id, code, version, channel, source_type, source_name, reliability, credibility, "
    "text, received_at, occurred_at, time_precision, lat, lon, geo_precision, place_text, event_type, "
    "claimed_targets, casualties, content_hash, origin_dataset, origin_event_id, created_at) VALUES "
    "(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, "
    "%s, %s, %s)"
)
LINK_SQL = (
    "INSERT INTO incident_report_links (id, incident_id, report_id, linked_at, linked_by, method, reasons) "
    "VALUES (%s, %s, %s, %s, %s, %s, %s)"
)


def raw_rows(
    path: Path, first_id: int, now: Any
) -> Iterator[tuple[tuple[Any, ...], tuple[Any, ...], tuple[Any, ...]]]:
    """The same three rows per GED event that the importer stores, built with no checks."""
    with path.open(encoding="utf-8", newline="") as source:
        reader = csv.reader(source)
        header = next(reader)
        for offset, fields in enumerate(reader):
            r = dict(zip(header, fields, strict=True))
            key = first_id + offset
            day = r["date_start"][:10] + " 00:00:00"
            casualties = json.dumps(
                {"unknown": {"low": int(r["low"]), "best": int(r["best"]), "high": int(r["high"])}}
            )
            text_ = f"{r['source_headline']}\n{r['source_article']}\n{r['where_description']}"
            yield (
                (key, f"ucdp-ged-{r['id']}", r["dyad_name"][:300], day, None, int(r["date_prec"]),
                 float(r["latitude"]), float(r["longitude"]), int(r["where_prec"]), r["where_coordinates"][:300],
                 "PK", r["adm_1"], r["adm_2"], "armed_clash", "PK", r["side_a"], None, r["side_b"], "[]",
                 casualties, "[]", "reported", False, r["where_description"], "ucdp-ged", r["id"],
                 json.dumps(r), now, now),
                (key, f"ucdp-ged-{r['id']}-r1", 1, "import", "dataset", "UCDP GED", "B", 2, text_, now, day,
                 int(r["date_prec"]), float(r["latitude"]), float(r["longitude"]), int(r["where_prec"]),
                 r["where_description"][:300], "armed_clash", "[]", casualties,
                 hashlib.sha256(text_.encode()).hexdigest(), "ucdp-ged", r["id"], now),
                (key, key, key, now, "import", "import", "[]"),
            )  # fmt: skip


def raw_executemany(engine: Engine, path: Path, chunk: int = 1000) -> int:
    """Insert every row with DB-API executemany in one transaction; returns the row count."""
    connection = engine.raw_connection()
    sqlite = engine.dialect.name == "sqlite"
    now = datetime.now(UTC).replace(tzinfo=None) if sqlite else datetime.now(UTC)
    sql = [s.replace("%s", "?") if sqlite else s for s in (INCIDENT_SQL, REPORT_SQL, LINK_SQL)]
    cursor = connection.cursor()
    count = 0
    batch: list[tuple[Any, ...]] = []
    for rows in raw_rows(path, 1_000_000_000, now):
        batch.append(rows)
        if len(batch) == chunk:
            count += _flush(cursor, sql, batch)
    count += _flush(cursor, sql, batch)
    connection.commit()
    connection.close()
    return count


def _flush(cursor: Any, sql: list[str], batch: list[tuple[Any, ...]]) -> int:
    for statement, index in zip(sql, range(3), strict=True):
        if batch:
            cursor.executemany(statement, [rows[index] for rows in batch])
    done = len(batch)
    batch.clear()
    return done


# --- measurements, each in its own process ----------------------------------------------


def fresh_database(backend: str, work: Path, pg_url: str | None) -> str:
    if backend == "sqlite":
        return f"sqlite:///{work / f'bench-{uuid.uuid4().hex[:8]}.sqlite3'}"
    assert pg_url
    name = f"tl_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(pg_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    url = make_url(pg_url).set(database=name).render_as_string(hide_password=False)
    with create_engine(url).begin() as conn:
        conn.execute(text("CREATE EXTENSION IF NOT EXISTS postgis"))
    return url


def drop_database(url: str, pg_url: str | None) -> None:
    if pg_url and url.startswith("postgresql"):
        admin = create_engine(pg_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)'))
        admin.dispose()


def measure(method: str, url: str, path: str, results: Any, profile: bool = False) -> None:
    """Run one measurement (in a child process); put (rows, seconds, peak MB, CPU s) on the queue.

    With ``profile``, the import runs under ``cProfile`` counting CPU time (the
    machine's load does not inflate it) and prints where that time goes.
    """
    wire()  # a spawned child does not run the script's ``__main__``: the capture, as the CLI has it
    engine = make_engine(url)
    initialise(engine)
    profiler = cProfile.Profile(time.process_time) if profile and method == "import" else None
    started, cpu_started = time.perf_counter(), time.process_time()
    if profiler is not None:
        profiler.enable()
    if method == "import":
        summary = import_file(engine, Path(path), "ucdp-ged")
        rows = summary.imported
        assert not summary.rejected, summary.rejected[:3]
    else:
        rows = raw_executemany(engine, Path(path))
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    if profiler is not None:
        profiler.disable()
        stats = pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative")
        stats.print_stats(r"truceline/(exchange|audit|db)/", 30)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    engine.dispose()
    results.put((rows, elapsed, peak_mb, cpu))


def run(
    method: str, backend: str, path: Path, work: Path, pg_url: str | None, profile: bool = False
) -> tuple[int, float, float, float]:
    url = fresh_database(backend, work, pg_url)
    try:
        context = multiprocessing.get_context("spawn")
        results = context.Queue()
        child = context.Process(target=measure, args=(method, url, str(path), results, profile))
        child.start()
        while True:
            try:
                outcome = results.get(timeout=5)
                break
            except queue.Empty:
                if not child.is_alive():
                    raise RuntimeError(f"the {method} measurement on {backend} failed") from None
        child.join()
        return outcome
    finally:
        drop_database(url, pg_url)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="rows in the synthetic file")
    parser.add_argument(
        "--pg-url", default=os.environ.get("TRUCELINE_TEST_PG_URL"), help="PostgreSQL admin URL"
    )
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--profile", action="store_true", help="print where the import's CPU goes")
    args = parser.parse_args()
    backends = [b for b in args.backends.split(",") if b != "postgres" or args.pg_url]
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        synthetic = work / f"synthetic_{args.rows}.csv"
        synthetic_ged(synthetic, args.rows)
        files = [("shared GED", SHARED_GED)] if SHARED_GED.exists() else []
        files.append((f"synthetic {args.rows:,}", synthetic))
        print(f"{'back end':10} {'file':20} {'rows':>9} {'import rows/s':>14} {'raw rows/s':>11} "
              f"{'ratio':>6} {'CPU ratio':>9} {'import MB':>10} {'raw MB':>7}")  # fmt: skip
        for backend in backends:
            for label, path in files:
                rows, seconds, import_mb, cpu = run("import", backend, path, work, args.pg_url,
                                                    args.profile)  # fmt: skip
                raw_count, raw_seconds, raw_mb, raw_cpu = run(
                    "raw", backend, path, work, args.pg_url
                )
                ours, raw = rows / seconds, raw_count / raw_seconds
                print(f"{backend:10} {label:20} {rows:>9,} {ours:>14,.0f} {raw:>11,.0f} "
                      f"{ours / raw:>6.0%} {(raw_cpu / raw_count) / (cpu / rows):>9.0%} "
                      f"{import_mb:>10.0f} {raw_mb:>7.0f}", flush=True)  # fmt: skip
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs", file=sys.stderr)


if __name__ == "__main__":
    wire()  # the audit capture and event subscriptions, as the app and CLI do
    main()
