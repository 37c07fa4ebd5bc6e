"""Dashboard and map at 50,000 and 1,000,000 incidents, through the real HTTP routes.

Code paths: ``GET /`` (``web.pages.dashboard`` -> ``web.dashboard_summary.summarise``)
and ``GET /api/map/incidents`` (``web.map_api.incidents_in_view`` ->
``web.map_clusters``), served by ``truceline serve`` over a seeded SQLite copy
(``seed_incidents.py``: bulk seeding, 10% released).

"First render" is what a browser asks for on opening the dashboard: the page, then
the map data with the filters the page's form holds (the period the counts cover),
the initial view's box (the whole boundary) and zoom. Timed for the public and
for a mediator (API token), cold (the first request to a fresh server) and warm
(median of ``--repeat``). Also timed: the map of the whole database (no period) at
the wide view, and zoomed in on one town. The reference layers (boundary and
provinces) are static and cached by the browser for a day; their time is shown
apart.

Baselines in the same run: ``GET /health`` (the HTTP path alone), and the old
summary path in-process (``dashboard_queries.incident_comparison``: loading the
period's incidents and the previous period's as objects) next to
``dashboard_summary.summarise``, for the mediator, on the same database.

    .venv/bin/python benchmarks/bench_dashboard.py [--sizes 50000,1000000] [--repeat 7]
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from seed_incidents import seeded_sqlite  # noqa: E402
from support_load import running_server  # noqa: E402
from truceline.accounts.credentials import (
    issue_token,  # noqa: E402
    principal_for_token,  # noqa: E402
)
from truceline.accounts.services import create_user  # noqa: E402
from truceline.audit.actor import SYSTEM  # noqa: E402
from truceline.config import get_settings  # noqa: E402
from truceline.db.engine import make_engine, session_factory, transaction  # noqa: E402
from truceline.web import dashboard_queries as dq  # noqa: E402
from truceline.web.dashboard_summary import summarise  # noqa: E402
from truceline.web.incident_queries import IncidentFilters  # noqa: E402

WIDE = {"bbox": "60.5,23.5,75.5,37.5", "zoom": "5.5"}  # the whole boundary, as fitBounds shows it
TOWN = {"bbox": "69.9,32.9,70.2,33.1", "zoom": "11"}  # around Miranshah
GOAL = {50_000: 0.3, 1_000_000: 1.0}


#: The code this benchmark times (tests/unit/benchmarks/test_code_paths.py imports each).
CODE_PATHS = (
    "truceline.web.pages.dashboard",
    "truceline.web.dashboard_summary.summarise",
    "truceline.web.map_clusters.cluster_features",
)


def mediator_token(url: str) -> str:
    engine = make_engine(url)
    with transaction(engine) as session:
        user = create_user(session, name=f"bench-{time.time_ns()}", role="mediator", actor=SYSTEM)
        _, secret = issue_token(
            session, user=user, scopes=["incidents:read"], actor=SYSTEM, settings=get_settings()
        )
    engine.dispose()
    return secret


def form_period(html: str) -> dict[str, str]:
    """The period the page's filter form holds (what the map script sends)."""
    found = {}
    for name in ("date_from", "date_to"):
        match = re.search(rf'name="{name}"[^>]*value="([0-9-]+)"', html)
        if match:
            found[name] = match.group(1)
    return found


def first_render(http: httpx.Client, public: bool) -> tuple[float, float, int, str]:
    """Seconds for the page, then for its map data; features sent; clustered or points."""
    started = time.perf_counter()
    page = http.get("/")
    page.raise_for_status()
    page_s = time.perf_counter() - started
    params = {**form_period(page.text), **WIDE, **({"view": "public"} if public else {})}
    started = time.perf_counter()
    data = http.get("/api/map/incidents", params=params).json()
    map_s = time.perf_counter() - started
    return page_s, map_s, len(data["features"]), "clusters" if data.get("clustered") else "points"


def timed(http: httpx.Client, path: str, params: dict[str, str] | None = None) -> float:
    started = time.perf_counter()
    http.get(path, params=params).raise_for_status()
    return time.perf_counter() - started


def old_summary_seconds(url: str, secret: str) -> tuple[float, float]:
    """The summary as it was (the period's incidents and the previous period's loaded as
    objects) against ``summarise`` now, for the mediator, in-process: (old s, new s)."""
    engine = make_engine(url)
    with session_factory(engine)() as session:
        mediator = principal_for_token(session, secret)
        assert mediator is not None
        period = dq.resolve_period(session, IncidentFilters(), mediator)
        started = time.perf_counter()
        dq.incident_comparison(session, IncidentFilters(), mediator, period)
        old = time.perf_counter() - started
        started = time.perf_counter()
        summarise(session, IncidentFilters(), mediator, period)
        new = time.perf_counter() - started
    engine.dispose()
    return old, new


def run_size(size: int, repeat: int, cache: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        url = seeded_sqlite(size, cache, folder / "truceline.sqlite3")
        secret = mediator_token(url)
        with running_server(url, folder / "data", workers=1, log=folder / "serve.log") as base:
            print(f"\n{size:,} incidents (load average {os.getloadavg()[0]:.1f})")
            for who, headers in (
                ("public", {}),
                ("mediator", {"Authorization": f"Bearer {secret}"}),
            ):
                with httpx.Client(base_url=base, headers=headers, timeout=120) as http:
                    cold = first_render(http, who == "public")
                    warm = [first_render(http, who == "public") for _ in range(repeat)]
                    page = statistics.median(w[0] for w in warm)
                    data = statistics.median(w[1] for w in warm)
                    print(
                        f"  {who:8} first render cold {cold[0] + cold[1]:.3f} s "
                        f"(page {cold[0]:.3f} + map {cold[1]:.3f}); warm median {page + data:.3f} s "
                        f"(page {page:.3f} + map {data:.3f}); map: {cold[2]} {cold[3]}; "
                        f"goal {GOAL.get(size, float('nan'))} s"
                    )
                    public = {"view": "public"} if who == "public" else {}
                    whole = statistics.median(
                        timed(http, "/api/map/incidents", {**WIDE, **public}) for _ in range(3)
                    )
                    town = statistics.median(
                        timed(http, "/api/map/incidents", {**TOWN, **public}) for _ in range(3)
                    )
                    print(
                        f"  {who:8} map of every incident, wide view {whole:.3f} s; zoomed on a town {town:.3f} s"
                    )
            with httpx.Client(base_url=base, timeout=60) as http:
                layers = timed(http, "/api/map/boundary") + timed(http, "/api/map/provinces")
                health = statistics.median(timed(http, "/health") for _ in range(20))
            print(
                f"  reference layers (cached a day) {layers:.3f} s; baseline GET /health {health * 1000:.1f} ms"
            )
        old, new = old_summary_seconds(url, secret)
        print(f"  summary in-process (mediator): old path {old:.3f} s (baseline); now {new:.3f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="50000,1000000")
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--cache", default=str(Path(tempfile.gettempdir()) / "truceline-bench"))
    args = parser.parse_args()
    for size in (int(s) for s in args.sizes.split(",")):
        run_size(size, args.repeat, Path(args.cache))


if __name__ == "__main__":
    main()
