"""Driving the real server (``truceline serve``, several workers) with many concurrent clients.

Shared by ``tests/unit/http/test_deps.py`` (a bounded, untimed check) and
``benchmarks/bench_load.py`` (the figures). Each client is one API user with its
own token, submitting reports one after another, each with its own client token;
afterwards the database says which reports were stored, so that every
acknowledged submission can be checked against what was really committed.
"""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import Engine, event, select

from truceline.accounts.credentials import issue_token
from truceline.accounts.services import create_user
from truceline.audit.actor import SYSTEM
from truceline.config import get_settings
from truceline.db.engine import make_engine, transaction
from truceline.incidents.models import Report

TRUCELINE = Path(sys.executable).with_name("truceline")


def create_clients(database_url: str, count: int, *, prefix: str = "load") -> list[str]:
    """One field monitor with an ``intake:write`` token per client; returns the secrets."""
    engine = make_engine(database_url)
    secrets = []
    with transaction(engine) as session:
        for n in range(count):
            user = create_user(
                session, name=f"{prefix}-{n:04d}", role="field_monitor", actor=SYSTEM
            )
            _, secret = issue_token(
                session, settings=get_settings(), user=user, scopes=["intake:write"], actor=SYSTEM
            )
            secrets.append(secret)
    engine.dispose()
    return secrets


def statements_sent(engine: Engine) -> list[str]:
    """A list that fills with every statement ``engine`` sends from now on, those the audit log
    sends with the commit in one round trip (PostgreSQL) included: they bypass the engine's
    events, but each is still a statement the server runs."""
    from truceline.audit import log

    sent: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda *args: sent.append(args[2]))
    original = log.commit_in_one_round_trip

    def counted(connection: Any, *, lock: Any, statements: Any, then: Any) -> Any:
        if connection.engine is engine:
            marked = " (in the commit's round trip)"
            sent.extend([f"SELECT pg_advisory_xact_lock{marked}"] * (lock is not None))
            sent.extend(f"{sql}{marked}" for sql, _ in statements)
            sent.extend(f"{follow.sql}{marked}" for follow in then if follow.rows)
        return original(connection, lock=lock, statements=statements, then=then)

    log.commit_in_one_round_trip = counted
    return sent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class ServerURL(str):
    """The base URL of a running server, with the process id of ``truceline serve``."""

    pid: int


@contextmanager
def running_server(
    database_url: str, data_dir: Path, *, workers: int, log: Path, env: dict[str, str] | None = None
) -> Iterator[ServerURL]:
    """``truceline serve --workers N`` on a loopback port; yields its base URL, stops it after.

    Yields once every worker has finished starting (its "Application startup complete."
    line is in ``log``), so that no measurement includes a worker still loading."""
    port = free_port()
    environment = os.environ | {
        "TRUCELINE_DATABASE_URL": database_url,
        "TRUCELINE_DATA_DIR": str(data_dir),
        **(env or {}),
    }
    command = [str(TRUCELINE), "serve", "--port", str(port), "--workers", str(workers)]
    with log.open("wb") as out:
        process = subprocess.Popen(command, env=environment, stdout=out, stderr=subprocess.STDOUT)
        base = ServerURL(f"http://127.0.0.1:{port}")
        base.pid = process.pid
        try:
            _wait_until_up(base, process, log=log, workers=workers, timeout=90)
            yield base
        finally:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _wait_until_up(
    base: str, process: subprocess.Popen[bytes], *, log: Path, workers: int, timeout: float
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with status {process.returncode}")
        started = log.read_bytes().count(b"Application startup complete.")
        try:
            if started >= workers and httpx.get(f"{base}/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"the server did not answer on {base} within {timeout} s")


@dataclass
class LoadResult:
    """What the clients saw: latencies of answered requests, statuses, acknowledged tokens."""

    clients: int
    requests: int
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    statuses: Counter[str] = field(default_factory=Counter)
    acknowledged: set[str] = field(default_factory=set)

    def percentile(self, q: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]

    @property
    def server_errors(self) -> int:
        return sum(n for status, n in self.statuses.items() if status.startswith("5"))


def report_body(client: int, n: int, run: str) -> dict[str, Any]:
    """A field monitor's report near the border, different for every client and request."""
    occurred = datetime(2025, 10, 17, 12, tzinfo=UTC) + timedelta(minutes=7 * client + n)
    return {
        "client_token": f"{run}-c{client:04d}-r{n:03d}",
        "source_type": "field_monitor",
        "source_name": f"monitor {client}",
        "reliability": "B",
        "credibility": 3,
        "text": f"Shelling reported near the crossing, report {n} of monitor {client}.",
        "occurred_at": occurred.isoformat(),
        "time_precision": 1,
        "lat": 32.0 + (client % 50) * 0.02,
        "lon": 69.0 + (n % 10) * 0.02,
        "event_type": "shelling_artillery_missile_attack",
        "claimed_perpetrator": "unknown",
        "targets": ["civilians"],
        "casualties": {"civilians": 1},
    }


async def _client(
    http: httpx.AsyncClient, client: int, reports: int, run: str, result: LoadResult
) -> None:
    for n in range(reports):
        body = report_body(client, n, run)
        started = time.perf_counter()
        try:
            response = await http.post("/api/intake/reports", json=body)
        except httpx.HTTPError as error:
            result.statuses[f"dropped ({type(error).__name__})"] += 1
            continue
        result.latencies.append(time.perf_counter() - started)
        result.statuses[str(response.status_code)] += 1
        if response.status_code in (200, 201):
            result.acknowledged.add(body["client_token"])


def drive(
    base: str, secrets: list[str], *, reports: int, run: str, timeout: float = 120.0
) -> LoadResult:
    """All clients at once, each sending ``reports`` reports in turn; bounded by ``timeout``."""
    result = LoadResult(clients=len(secrets), requests=len(secrets) * reports)

    async def everyone() -> None:
        # Every client is made before the first request: making one costs the client process
        # milliseconds of CPU (httpx sets up TLS even for plain HTTP), and made as they went,
        # the clients still being made delayed reading the answers of those already asking,
        # which showed as server latency.
        clients = [
            httpx.AsyncClient(
                base_url=base, headers={"Authorization": f"Bearer {secret}"}, timeout=timeout
            )
            for secret in secrets
        ]
        started = time.perf_counter()
        try:
            await asyncio.gather(
                *(_client(http, n, reports, run, result) for n, http in enumerate(clients))
            )
        finally:
            result.seconds = time.perf_counter() - started
            await asyncio.gather(*(http.aclose() for http in clients))

    # A thread of its own: the browser tests' Playwright keeps an event loop running in this
    # one when they share the test process, and asyncio.run refuses to nest.
    runner = threading.Thread(target=lambda: asyncio.run(everyone()))
    runner.start()
    runner.join()
    return result


def stored_tokens(database_url: str, run: str) -> set[str]:
    """Client tokens of the reports of ``run`` that the database holds."""
    engine = make_engine(database_url)
    with transaction(engine) as session:
        tokens = session.scalars(
            select(Report.client_token).where(Report.client_token.like(f"{run}-%"))
        ).all()
    engine.dispose()
    return {token for token in tokens if token}
