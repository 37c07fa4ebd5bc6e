"""Concurrent report submission through the real server, on SQLite and PostgreSQL.

Starts ``truceline serve --workers W`` on a loopback port over a fresh database
(the built-in profile, one field-monitor account and API token per client), then
lets C clients at once each submit R reports in turn through
``POST /api/intake/reports``, every report with its own client token. Reports:
throughput (acknowledged reports per second of wall clock), p50/p99/max latency
of answered requests, answers by status (and dropped connections), and lost
acknowledgements: reports acknowledged (200/201) but not in the database
afterwards (must be 0), plus reports stored that the client was never told about.
Bounded: C x R requests, a client timeout, then it stops by itself.

Baseline in the same run: ``GET /health`` from the same clients (no database), the
cost of the HTTP path alone on this machine.

Run: ``.venv/bin/python benchmarks/bench_load.py [--backend sqlite|postgres|both]
[--clients 100,300] [--reports 5] [--workers 2]``. PostgreSQL needs an admin URL in
``TRUCELINE_BENCH_PG_URL`` or ``TRUCELINE_TEST_PG_URL`` (a server with PostGIS); a
scratch database is created and dropped.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from support_load import (  # noqa: E402
    LoadResult,
    create_clients,
    drive,
    running_server,
    stored_tokens,
)
from truceline.db.engine import make_engine  # noqa: E402
from truceline.profile import initialise  # noqa: E402
from truceline.startup import wire

#: The code this benchmark times (tests/unit/benchmarks/test_code_paths.py imports each).
CODE_PATHS = ("truceline.intake.api.submit",)


@contextmanager
def scratch_database(backend: str, folder: Path) -> Iterator[str]:
    if backend == "sqlite":
        url = f"sqlite:///{folder / 'truceline.sqlite3'}"
        engine = make_engine(url)
        initialise(engine)
        engine.dispose()
        yield url
        return
    admin_url = os.environ.get("TRUCELINE_BENCH_PG_URL") or os.environ.get("TRUCELINE_TEST_PG_URL")
    if not admin_url:
        raise SystemExit("PostgreSQL: set TRUCELINE_BENCH_PG_URL (or TRUCELINE_TEST_PG_URL)")
    name = f"tl_bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text("CREATE EXTENSION IF NOT EXISTS postgis"))
    initialise(engine)
    engine.dispose()
    try:
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


async def _health(base: str, clients: int, each: int) -> float:
    async def one() -> None:
        async with httpx.AsyncClient(base_url=base, timeout=60) as http:
            for _ in range(each):
                await http.get("/health")

    started = time.perf_counter()
    await asyncio.gather(*(one() for _ in range(clients)))
    return clients * each / (time.perf_counter() - started)


def scenario(backend: str, clients: int, reports: int, workers: int) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        with scratch_database(backend, folder) as url:
            secrets = create_clients(url, clients)
            run = f"b{uuid.uuid4().hex[:6]}"
            log = folder / "serve.log"
            with running_server(url, folder / "data", workers=workers, log=log) as base:
                baseline = asyncio.run(_health(base, clients, reports))
                result = drive(base, secrets, reports=reports, run=run, timeout=120)
            stored = stored_tokens(url, run)
            if result.server_errors or any(s.startswith("dropped") for s in result.statuses):
                _show_errors(log)
    return summary(backend, workers, result, stored, baseline)


def _show_errors(log: Path) -> None:
    """The server's tracebacks, so that a 5xx or a dropped connection is explained."""
    lines = log.read_text(errors="replace").splitlines()
    shown = [n for n, line in enumerate(lines) if "Traceback" in line or "ERROR" in line]
    for n in shown[:3]:
        print("\n".join(lines[n : n + 60]), file=sys.stderr)


def summary(
    backend: str, workers: int, result: LoadResult, stored: set[str], baseline: float
) -> dict[str, object]:
    return {
        "backend": backend,
        "workers": workers,
        "clients": result.clients,
        "requests": result.requests,
        "seconds": round(result.seconds, 1),
        "acknowledged_per_s": round(len(result.acknowledged) / result.seconds, 1),
        "health_per_s": round(baseline, 1),
        "p50_s": round(result.percentile(0.50), 3),
        "p99_s": round(result.percentile(0.99), 3),
        "max_s": round(max(result.latencies, default=float("nan")), 3),
        "statuses": dict(sorted(result.statuses.items())),
        "acknowledged": len(result.acknowledged),
        "stored": len(stored),
        "lost_acknowledgements": len(result.acknowledged - stored),
        "stored_unacknowledged": len(stored - result.acknowledged),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--clients", default="100,300", help="comma-separated client counts")
    parser.add_argument("--reports", type=int, default=5, help="reports per client")
    parser.add_argument("--workers", type=int, default=2, help="serve --workers")
    args = parser.parse_args()
    backends = ["sqlite", "postgres"] if args.backend == "both" else [args.backend]
    for backend in backends:
        for clients in (int(c) for c in args.clients.split(",")):
            row = scenario(backend, clients, args.reports, args.workers)
            print("  ".join(f"{k}={v}" for k, v in row.items()), flush=True)


if __name__ == "__main__":
    wire()  # the audit capture and event subscriptions, as the app and CLI do
    main()
