"""Page weight: bytes a browser downloads for each main page, its assets and its map data.

Runs the app on a loopback port over a throw-away SQLite database holding 500
synthetic released incidents near the Afghanistan–Pakistan border, fetches
each page, every ``/static...`` asset it references, and the GeoJSON the
dashboard map asks for, and prints the bytes on the wire without and with gzip.
The baseline, measured in the same run, is the uncompressed size of Leaflet +
Leaflet.markercluster (JS and CSS) alone.

    .venv/bin/python benchmarks/page_weight.py [--incidents N]
"""

from __future__ import annotations

import argparse
import os
import random
import re
import socket
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import uvicorn

from truceline.app import create_app
from truceline.config import get_settings
from truceline.db.engine import make_engine, transaction
from truceline.incidents.models import Incident
from truceline.profile import initialise
from truceline.startup import wire

#: The code this benchmark times (tests/unit/benchmarks/test_code_paths.py imports each).
CODE_PATHS = ("truceline.app.create_app",)

ASSET_PATTERN = re.compile(r'(?:href|src)="(/static[-/][^"]+)"')
MAP_DATA = [
    "/api/map/boundary",
    "/api/map/provinces",
    "/api/map/incidents?bbox=59.0,27.5,78.5,38.5&date_from=2025-10-01&date_to=2025-11-15",
]
BASELINE_ASSETS = [
    "/static/leaflet/leaflet.js",
    "/static/leaflet/leaflet.css",
    "/static/markercluster/leaflet.markercluster.js",
    "/static/markercluster/MarkerCluster.css",
    "/static/markercluster/MarkerCluster.Default.css",
]
#: Places near the border (lat, lon) that the synthetic incidents are scattered around.
BORDER_PLACES = [(30.99, 66.40), (33.91, 70.10), (34.10, 71.10), (32.93, 69.17), (35.00, 71.50)]
PAGES = ["/", "/incidents", "/public", "/incidents/BENCH-0000", "/docs", "/redoc"]


def seed_synthetic(url: str, count: int) -> None:
    """Create the schema and ``count`` synthetic released, determined incidents (fixed seed)."""
    engine = make_engine(url)
    initialise(engine)
    rng = random.Random(7)
    start = datetime(2025, 10, 1, tzinfo=UTC)
    with transaction(engine) as session:
        for n in range(count):
            lat, lon = rng.choice(BORDER_PLACES)
            session.add(
                Incident(
                    code=f"BENCH-{n:04d}",
                    title=f"Synthetic incident {n}",
                    occurred_at=start + timedelta(hours=rng.randint(0, 24 * 45)),
                    lat=lat + rng.uniform(-0.4, 0.4),
                    lon=lon + rng.uniform(-0.4, 0.4),
                    event_type=rng.choice(["armed_clash", "cross_border_fire", "air_drone_strike"]),
                    perpetrator=rng.choice(["AF", "PK", "TTP", "unknown"]),
                    # The public sees released incidents whose verification is finished.
                    verification_state=rng.choice(["determined", "refuted", "closed_unverifiable"]),
                    released=True,
                )
            )
    engine.dispose()


@contextmanager
def serve(url: str) -> Iterator[str]:
    """The app on a free loopback port, over the database at ``url``."""
    os.environ["TRUCELINE_DATABASE_URL"] = url
    get_settings.cache_clear()
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    config = uvicorn.Config(create_app(), host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


def wire_bytes(client: httpx.Client, url: str, *, gzip: bool) -> int:
    """Bytes on the wire for ``url`` (body only, as sent: compressed or not)."""
    headers = {"Accept-Encoding": "gzip" if gzip else "identity"}
    with client.stream("GET", url, headers=headers) as response:
        response.raise_for_status()
        return sum(len(chunk) for chunk in response.iter_raw())


def page_requests(client: httpx.Client, path: str) -> list[str]:
    """The page and what the browser fetches for it: static assets and map data."""
    html = client.get(path).text
    requests = [path, *sorted(set(ASSET_PATTERN.findall(html)))]
    if 'id="map"' in html:
        requests += MAP_DATA
    return requests


def report_page(client: httpx.Client, path: str, baseline: int) -> None:
    print(f"page {path}")
    plain_total = gzip_total = 0
    for url in page_requests(client, path):
        plain, gz = wire_bytes(client, url, gzip=False), wire_bytes(client, url, gzip=True)
        plain_total, gzip_total = plain_total + plain, gzip_total + gz
        print(f"  {url[:64]:<64} {plain:>9,d} {gz:>9,d}")
    ratio = gzip_total / baseline
    print(
        f"  {'total: plain, gzip':<64} {plain_total:>9,d} {gzip_total:>9,d}  ({ratio:.2f} x baseline)\n"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description="Measure page weight of the web pages.")
    parser.add_argument("--incidents", type=int, default=500, help="synthetic incidents to seed")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        seed_synthetic(url, args.incidents)
        with serve(url) as base, httpx.Client(base_url=base, timeout=30) as client:
            baseline = sum(wire_bytes(client, a, gzip=False) for a in BASELINE_ASSETS)
            print(
                f"baseline: Leaflet + markercluster JS and CSS, uncompressed: {baseline:,d} bytes\n"
            )
            print(f"  {'request':<64} {'plain':>9} {'gzip':>9}")
            for page in PAGES:
                report_page(client, page, baseline)


if __name__ == "__main__":
    wire()  # the audit capture and event subscriptions, as the app and CLI do
    main()
