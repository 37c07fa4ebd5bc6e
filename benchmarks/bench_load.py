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

Where the machine's time went during the submissions, per acknowledged report: CPU
of the server's processes (``serve`` and its workers), of the database's server
processes (PostgreSQL, same machine) and of the clients (this process), read from
``/proc``. All three share the two cores, so a client that costs less leaves more
for the server: the split says how much of a latency is the server's own work.

Baseline in the same run: ``GET /health`` from the same clients (no database), the
cost of the HTTP path alone on this machine.

Every client first submits one report (the *first round*, reported apart: a worker
just started, with no open connections and nothing compiled, meets 100 requests at
once), then the measured rounds follow. Both rounds are checked for lost
acknowledgements.

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


def _cpu_of(pids: list[int]) -> float:
    """CPU seconds (user + system) used so far by ``pids`` (those still running)."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def _children(pid: int) -> list[int]:
    try:
        found = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return []
    return [int(child) for child in found]


def server_cpu(pid: int) -> float:
    """CPU seconds used so far by the server process ``pid`` and its workers."""
    return _cpu_of([pid, *_children(pid)])


def database_cpu(url: str) -> float:
    """CPU seconds used so far by the PostgreSQL processes serving ``url``'s database
    (0 for SQLite, which runs inside the workers)."""
    if not url.startswith("postgresql"):
        return 0.0
    engine = create_engine(url)
    with engine.connect() as conn:
        query = text("SELECT pid FROM pg_stat_activity WHERE datname = current_database()")
        pids = list(conn.execute(query).scalars())
    engine.dispose()
    return _cpu_of(pids)


async def _health(base: str, clients: int, each: int) -> float:
    async def one(http: httpx.AsyncClient) -> None:
        for _ in range(each):
            await http.get("/health")

    made = [httpx.AsyncClient(base_url=base, timeout=60) for _ in range(clients)]
    started = time.perf_counter()
    await asyncio.gather(*(one(http) for http in made))
    seconds = time.perf_counter() - started
    await asyncio.gather(*(http.aclose() for http in made))
    return clients * each / seconds


def scenario(backend: str, clients: int, reports: int, workers: int) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        with scratch_database(backend, folder) as url:
            secrets = create_clients(url, clients)
            run = f"b{uuid.uuid4().hex[:6]}"
            log = folder / "serve.log"
            with running_server(url, folder / "data", workers=workers, log=log) as base:
                baseline = asyncio.run(_health(base, clients, reports))
                first = drive(base, secrets, reports=1, run=f"{run}f", timeout=120)
                before = server_cpu(base.pid), database_cpu(url), time.process_time()
                result = drive(base, secrets, reports=reports, run=run, timeout=120)
                after = server_cpu(base.pid), database_cpu(url), time.process_time()
            stored = stored_tokens(url, run)
            first_stored = stored_tokens(url, f"{run}f")
            failed = result.server_errors or first.server_errors
            if failed or any(s.startswith("dropped") for s in [*result.statuses, *first.statuses]):
                _show_errors(log)
    spent = [later - earlier for earlier, later in zip(before, after, strict=True)]
    return (
        summary(backend, workers, result, stored, baseline)
        | cpu_split(spent, result)
        | first_round(first, first_stored)
    )


def first_round(first: LoadResult, stored: set[str]) -> dict[str, object]:
    """The first report of every client, on workers that had served no report yet."""
    return {
        "first_round_p50_s": round(first.percentile(0.50), 3),
        "first_round_p99_s": round(first.percentile(0.99), 3),
        "first_round_statuses": dict(sorted(first.statuses.items())),
        "first_round_lost_acknowledgements": len(first.acknowledged - stored),
    }


def cpu_split(spent: list[float], result: LoadResult) -> dict[str, object]:
    """Milliseconds of CPU per acknowledged report: server, database, clients."""
    per = 1000 / max(1, len(result.acknowledged))
    server, database, clients = (round(seconds * per, 1) for seconds in spent)
    return {"server_cpu_ms": server, "database_cpu_ms": database, "client_cpu_ms": clients}


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
