"""``GET /api/incidents`` against datasette, side by side on the same SQLite file.

Code path: ``truceline.web.incidents_api.incidents_list`` served by
``truceline serve --workers N`` (N = 1 and 2). Competitor: datasette (a
benchmark-only extra, ``pip install -e '.[bench]'``) serving a copy of the same
file from its own process, asked for the same thing through its table JSON API:
the same filter (a period and a perpetrator), the same page size, the same
columns, newest first, no total count (``_nocount=1``). Both on loopback; the
same asynchronous client drives both, alternately, in rounds, so that the
machine's load (shared with other work) hits both alike.

truceline is asked with a mediator's API token (``incidents:read``): every
incident, exact places, the policy's filter and the token check on every request,
as a client would use it; datasette has no access control.

    .venv/bin/python benchmarks/bench_incidents_api.py [--size 50000] [--requests 400]
        [--concurrency 1,16] [--rounds 3]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_dashboard import mediator_token  # noqa: E402
from seed_incidents import seeded_sqlite  # noqa: E402
from support_load import free_port, running_server  # noqa: E402

COLUMNS = "code,occurred_at,lat,lon,event_type,perpetrator,verification_state,place_name,casualties"
PERIOD = ("2022-12-01", "2026-11-30")  # inclusive days
PERPETRATOR = "PK"


#: The code this benchmark times (tests/unit/benchmarks/test_code_paths.py imports each).
CODE_PATHS = (
    "truceline.web.incidents_api.incidents_list",
    "truceline.web.incidents_api.list_incidents",
)


def truceline_query(limit: int) -> tuple[str, dict[str, str]]:
    return "/api/incidents", {
        "occurred_from": PERIOD[0], "occurred_to": PERIOD[1], "perpetrator": PERPETRATOR,
        "limit": str(limit), "fields": COLUMNS,
    }  # fmt: skip


def datasette_query(limit: int) -> tuple[str, list[tuple[str, str]]]:
    params = [("_col", c) for c in COLUMNS.split(",") if c != "code"]  # code: the label column
    return "/db/incidents.json", [
        ("occurred_at__gte", f"{PERIOD[0]} 00:00:00"), ("occurred_at__lt", "2026-12-01 00:00:00"),
        ("perpetrator", PERPETRATOR), ("_sort_desc", "occurred_at"), ("_size", str(limit)),
        ("_shape", "objects"), ("_nocount", "1"), ("_nofacet", "1"), ("_col", "code"), *params,
    ]  # fmt: skip


@contextmanager
def datasette_server(path: Path) -> Iterator[str]:
    port = free_port()
    exe = Path(sys.executable).with_name("datasette")
    command = [
        str(exe),
        "serve",
        str(path),
        "--port",
        str(port),
        "--setting",
        "sql_time_limit_ms",
        "10000",
    ]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{base}/-/versions.json", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.3)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)


async def _drive(
    base: str, path: str, params: object, headers: dict[str, str], total: int, concurrency: int
) -> tuple[float, list[float], int, int]:
    latencies: list[float] = []
    errors = 0
    rows = 0
    remaining = total

    async def worker(http: httpx.AsyncClient) -> None:
        nonlocal remaining, errors, rows
        while remaining > 0:
            remaining -= 1
            started = time.perf_counter()
            try:
                response = await http.get(path, params=params)  # type: ignore[arg-type]
            except httpx.HTTPError:  # a dropped connection counts as an error, not a crash
                latencies.append(time.perf_counter() - started)
                errors += 1
                continue
            latencies.append(time.perf_counter() - started)
            if response.status_code != 200:
                errors += 1
                continue
            body = response.json()
            rows = len(body.get("items", body.get("rows", [])))

    limits = httpx.Limits(max_connections=concurrency)
    async with httpx.AsyncClient(
        base_url=base, headers={**headers, "Accept-Encoding": "gzip"}, timeout=120, limits=limits
    ) as http:
        await worker_warmup(http, path, params)
        started = time.perf_counter()
        await asyncio.gather(*(worker(http) for _ in range(concurrency)))
        seconds = time.perf_counter() - started
    return total / seconds, latencies, errors, rows


async def worker_warmup(http: httpx.AsyncClient, path: str, params: object) -> None:
    for _ in range(3):
        await http.get(path, params=params)  # type: ignore[arg-type]


def measure(
    base: str, path: str, params: object, headers: dict[str, str], total: int, concurrency: int
) -> tuple[float, list[float], int, int]:
    return asyncio.run(_drive(base, path, params, headers, total, concurrency))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=50_000)
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--concurrency", default="1,16")
    parser.add_argument("--limit", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--cache", default=str(Path(tempfile.gettempdir()) / "truceline-bench"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        url = seeded_sqlite(args.size, Path(args.cache), folder / "truceline.sqlite3")
        secret = mediator_token(url)
        shutil.copyfile(folder / "truceline.sqlite3", folder / "db.sqlite3")  # datasette's copy
        t_path, t_params = truceline_query(args.limit)
        d_path, d_params = datasette_query(args.limit)
        auth = {"Authorization": f"Bearer {secret}"}
        results: dict[tuple[str, int], list[tuple[float, list[float], int, int]]] = {}
        print(f"{args.size:,} incidents; filter {PERIOD[0]}..{PERIOD[1]}, perpetrator {PERPETRATOR}; "
              f"{args.limit} rows of {COLUMNS}; load average {os.getloadavg()[0]:.1f}")  # fmt: skip
        with datasette_server(folder / "db.sqlite3") as d_base:
            for workers in (1, 2):
                log = folder / f"serve-{workers}.log"
                with running_server(
                    url, folder / f"data{workers}", workers=workers, log=log
                ) as t_base:
                    for _ in range(args.rounds):
                        for concurrency in (int(c) for c in args.concurrency.split(",")):
                            key = (f"truceline --workers {workers}", concurrency)
                            results.setdefault(key, []).append(
                                measure(t_base, t_path, t_params, auth, args.requests, concurrency)
                            )
                            key = ("datasette (1 process)", concurrency)
                            results.setdefault(key, []).append(
                                measure(d_base, d_path, d_params, {}, args.requests, concurrency)
                            )
        print(
            f"\n{'server':26} {'clients':>7} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>6} {'rows':>5}"
        )
        for (server, concurrency), runs in sorted(
            results.items(), key=lambda kv: (kv[0][1], kv[0][0])
        ):
            rate = statistics.median(r[0] for r in runs)
            lat = sorted(x for r in runs for x in r[1])
            p50 = lat[len(lat) // 2] * 1000
            p99 = lat[min(len(lat) - 1, int(0.99 * len(lat)))] * 1000
            print(
                f"{server:26} {concurrency:7} {rate:8.1f} {p50:8.1f} {p99:8.1f} {sum(r[2] for r in runs):6} {runs[-1][3]:5}"
            )
        print(
            f"(median req/s of {args.rounds} rounds; latencies pooled; load average now {os.getloadavg()[0]:.1f})"
        )


if __name__ == "__main__":
    main()
