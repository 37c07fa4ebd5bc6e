"""The work of one ``POST /api/intake/reports``: statements, worker CPU and database CPU.

Runs the whole app in this process (Starlette's test client, so every guard,
the route, the service and the commit run as served) over a fresh database with
20 field-monitor clients, warms up, then submits N reports in a row, each
linked like the load benchmark's. Prints, per submission: the SQL statements
sent (a ``before_cursor_execute`` listener on the app's engine), the CPU time of
this process (the app plus the in-process client) and, on PostgreSQL, the CPU
time of the database's server processes (read from ``/proc``, same machine),
with the statements of one request listed. Unlike ``bench_load.py`` it does not
depend on how many other processes share the cores, except through CPU speed.

Run: ``.venv/bin/python benchmarks/bench_submit.py [--backend sqlite|postgres|both]
[--reports 100]``. PostgreSQL needs ``TRUCELINE_BENCH_PG_URL`` or
``TRUCELINE_TEST_PG_URL`` (an admin URL; a scratch database is created and dropped).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_load import database_cpu, scratch_database  # noqa: E402
from support_load import create_clients, report_body, statements_sent  # noqa: E402
from truceline.config import get_settings  # noqa: E402
from truceline.startup import wire  # noqa: E402

#: The code this benchmark times (tests/unit/benchmarks/test_code_paths.py imports each).
CODE_PATHS = ("truceline.intake.api.submit", "truceline.intake.services.submit_report")
CLIENTS = 20


def measure(backend: str, reports: int) -> dict[str, Any]:
    from fastapi.testclient import TestClient

    from truceline.app import create_app
    from truceline.db.engine import default_engine
    from truceline.warmup import warm_up

    with tempfile.TemporaryDirectory() as tmp, scratch_database(backend, Path(tmp)) as url:
        os.environ["TRUCELINE_DATABASE_URL"] = url
        os.environ["TRUCELINE_DATA_DIR"] = str(Path(tmp) / "data")
        get_settings.cache_clear()
        secrets = create_clients(url, CLIENTS)
        warm_up()
        engine: Engine = default_engine()
        sent = statements_sent(engine)
        run = uuid.uuid4().hex[:6]
        with TestClient(create_app()) as api:

            def submit(client: int, n: int) -> None:
                headers = {"Authorization": f"Bearer {secrets[client]}"}
                body = report_body(client, n, run)
                response = api.post("/api/intake/reports", json=body, headers=headers)
                assert response.status_code == 201, response.text

            for client in range(CLIENTS):  # buckets, schemas and connections warm
                submit(client, 0)
            sent.clear()
            submit(0, 1)
            one = list(sent)
            sent.clear()
            server_before = database_cpu(url)
            cpu, wall = time.process_time(), time.perf_counter()
            for i in range(reports):
                submit(i % CLIENTS, 2 + i // CLIENTS)
            cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
            server = database_cpu(url) - server_before
        engine.dispose()
    return {
        "backend": backend,
        "reports": reports,
        "statements_per_submission": round(len(sent) / reports, 1),
        "worker_cpu_ms": round(cpu / reports * 1000, 1),
        "database_cpu_ms": round(server / reports * 1000, 1) if backend == "postgres" else None,
        "wall_ms": round(wall / reports * 1000, 1),
        "one_request": [statement.split("\n")[0][:90] for statement in one],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--reports", type=int, default=100)
    args = parser.parse_args()
    for backend in ["sqlite", "postgres"] if args.backend == "both" else [args.backend]:
        row = measure(backend, args.reports)
        listed = row.pop("one_request")
        print("  ".join(f"{k}={v}" for k, v in row.items()), flush=True)
        print(f"  one request, {len(listed)} statements:")
        for statement in listed:
            print(f"    {statement}")


if __name__ == "__main__":
    wire()
    main()
