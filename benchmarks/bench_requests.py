"""Requests for action: a party's inbox over 100k requests, and the STIX export of 10k.

1. Inbox: N synthetic requests (both directions, most delivered) in a scratch,
   migrated SQLite database. Measured: ``queries.list_box`` for Afghanistan's
   liaison (the policy's SQL filter, the count and the newest 50), against the
   baseline of the same two statements (count and page) in raw ``sqlite3`` on
   the same file. Median of R runs each.
2. STIX export: M requests, exported as a STIX 2.1 bundle for the mediator
   (``stix.export_bundle``: read, build the ``stix2`` objects, serialise),
   against the baseline of reading the same rows and ``json.dumps`` of the same
   fields as plain dicts.

Wall-clock seconds (``time.perf_counter``); single process.
Run: ``.venv/bin/python benchmarks/bench_requests.py [--requests N] [--export M] [--runs R]``.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select

from truceline.accounts.roles import Principal, Role
from truceline.action_requests import queries, stix
from truceline.action_requests.models import ActionRequest
from truceline.db.engine import make_engine, session_factory, transaction
from truceline.db.migrate import upgrade
from truceline.profile import initialise

START = datetime(2025, 10, 20, tzinfo=UTC)
AF = Principal("farid", Role.PARTY_LIAISON, "AF")
MEDIATOR = Principal("mona", Role.MEDIATOR)
STATES = ("submitted", "screened", "delivered", "acknowledged", "responded", "verified", "closed")


#: The code this benchmark times (tests/unit/benchmarks/test_code_paths.py imports each).
CODE_PATHS = (
    "truceline.action_requests.queries.list_box",
    "truceline.action_requests.stix.export_bundle",
)


def rows(count: int) -> list[dict[str, Any]]:
    made = []
    for n in range(count):
        state = STATES[n % len(STATES)]
        requester = "PK" if n % 3 else "AF"
        at = START + timedelta(minutes=n)
        made.append({
            "code": f"RQ-B-{n:07d}", "requesting_party": requester,
            "addressed_party": "AF" if requester == "PK" else "PK",
            "group_id": ("TTP", "ISKP", "HGB")[n % 3], "group_name_given": "TTP",
            "asked_action": "investigate", "target_kind": "location",
            "target_detail": f"compound {n}", "lat": 32.0 + (n % 100) / 100,
            "lon": 69.0 + (n % 97) / 100, "agreement_id": "doha-2025-10-19",
            "clause_id": "no-support-to-groups-attacking-pakistan",
            "summary": f"synthetic request {n}", "tlp": "amber", "state": state,
            "delivered": state not in ("submitted", "screened"), "provenance": "exercise",
            "source_note": "", "submitted_by": "bench", "submitted_at": at,
            "deadline_at": at + timedelta(days=14), "window_basis": "bench",
            "return_text": "", "response_text": "", "verification_text": "",
        })  # fmt: skip
    return made


def scratch(folder: Path, count: int) -> tuple[Any, Path]:
    path = folder / f"requests-{count}.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    initialise(engine)
    made = rows(count)
    with transaction(engine) as session:
        for start in range(0, count, 10_000):
            session.execute(insert(ActionRequest), made[start : start + 10_000])
    return engine, path


def median(work: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        work()
        times.append(time.perf_counter() - began)
    return statistics.median(times)


def bench_inbox(folder: Path, count: int, runs: int) -> None:
    engine, path = scratch(folder, count)
    factory = session_factory(engine)

    def listed() -> object:
        with factory() as session:
            return queries.list_box(session, AF, queries.Box.INBOX, limit=50)

    raw = sqlite3.connect(path)

    def baseline() -> object:
        total = raw.execute(
            "SELECT count(*) FROM action_requests WHERE addressed_party = ? AND delivered = 1",
            ("AF",),
        ).fetchone()
        page = raw.execute(
            "SELECT * FROM action_requests WHERE addressed_party = ? AND delivered = 1 "
            "ORDER BY submitted_at DESC, id DESC LIMIT 50",
            ("AF",),
        ).fetchall()
        return total, page

    page = listed()
    assert isinstance(page, queries.Page) and len(page.items) == 50
    base, ours = median(baseline, runs), median(listed, runs)
    print(f"inbox: {count:,} requests, Afghanistan's inbox holds {page.total:,}")
    print(f"  baseline (raw sqlite3: count + newest 50)   {base * 1000:8.2f} ms")
    print(f"  list_box (policy filter, count, newest 50)  {ours * 1000:8.2f} ms "
          f"({ours / base:.1f}x baseline)")  # fmt: skip
    engine.dispose()


def bench_export(folder: Path, count: int, keys: Path) -> None:
    engine, _ = scratch(folder, count)
    factory = session_factory(engine)

    def baseline() -> int:
        with factory() as session:
            found = session.scalars(select(ActionRequest).order_by(ActionRequest.id)).all()
            text = json.dumps([
                {**stix._properties(r), "summary": r.summary, "group": r.group_id,
                 "lat": r.lat, "lon": r.lon, "submitted_at": r.submitted_at.isoformat()}
                for r in found
            ])  # fmt: skip
        return len(text)

    def exported() -> int:
        with factory() as session:
            text, _ = stix.export_bundle(session, MEDIATOR, keys_dir=keys)
        return len(text)

    began = time.perf_counter()
    size_base = baseline()
    base = time.perf_counter() - began
    began = time.perf_counter()
    size = exported()
    ours = time.perf_counter() - began
    print(f"STIX export: {count:,} requests")
    print(f"  baseline (read + json.dumps of the fields)  {base:8.2f} s  {size_base / 1e6:6.1f} MB")
    print(f"  export_bundle (stix2 objects, serialised)   {ours:8.2f} s  {size / 1e6:6.1f} MB "
          f"({ours / base:.0f}x baseline)")  # fmt: skip
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=100_000)
    parser.add_argument("--export", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        bench_inbox(Path(folder), args.requests, args.runs)
        bench_export(Path(folder), args.export, Path(folder) / "keys")


if __name__ == "__main__":
    main()
