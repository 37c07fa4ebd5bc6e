"""Early warning: escalation from stored incidents, and outbox delivery, each against a baseline.

1. Escalation: N synthetic incidents drawn from a known bivariate model (AF
   answers PK with alpha 0.6, PK answers AF with 0.2) are stored in a scratch
   SQLite database. Measured in the same run: the baseline, reading the
   attributed series; then the whole ``escalation_report`` (read + fit over a
   grid of four decays + explanation), with the recovered parameters next to
   the true ones.
2. Outbox: M webhook messages to a local HTTP server on 127.0.0.1. Baseline:
   M direct signed POSTs of the same bodies over one pooled client; then ``deliver_due`` (claim,
   send, record each attempt with its audit entry).

Wall-clock seconds (``time.perf_counter``); single process.
Run: ``.venv/bin/python benchmarks/bench_warning.py [--days D] [--messages M]``.
"""

from __future__ import annotations

import argparse
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx

from truceline.config import get_settings
from truceline.db.engine import make_engine, transaction
from truceline.db.migrate import upgrade
from truceline.incidents.models import Incident
from truceline.startup import wire
from truceline.warning.domain import sign_body
from truceline.warning.escalation import attributed_series, escalation_report
from truceline.warning.excitation import simulate_excitation
from truceline.warning.models import OutboxMessage, Subscription
from truceline.warning.outbox import deliver_due
from truceline.warning.transports import webhook_body

#: The code this benchmark times (tests/unit/benchmarks/test_code_paths.py imports each).
CODE_PATHS = (
    "truceline.warning.escalation.escalation_report",
    "truceline.warning.outbox.deliver_due",
)

START = datetime(2024, 1, 1, tzinfo=UTC)
TRUE_ALPHA = ((0.1, 0.6), (0.2, 0.1))
SECRET = "bench-secret-0123456789"


def bench_escalation(engine: Any, days: int) -> None:
    events = simulate_excitation(
        mu=(0.4, 0.4), alpha=TRUE_ALPHA, beta=1 / 3, span_days=days, seed=11
    )
    with transaction(engine) as session:
        session.add_all(
            Incident(
                code=f"B-{n}",
                occurred_at=START + timedelta(days=t),
                event_type="cross_border_fire",
                perpetrator=side,
            )
            for n, (t, side) in enumerate(events)
        )
    until = START + timedelta(days=days)
    with transaction(engine) as session:
        began = time.perf_counter()
        series = attributed_series(session, since=START, until=until)
        baseline = time.perf_counter() - began
        began = time.perf_counter()
        report = escalation_report(session, since=START, until=until)
        full = time.perf_counter() - began
    fit = report["fit"]
    print(f"escalation: {len(series)} attributed events over {days} days")
    print(f"  baseline (read the series)     {baseline:8.3f} s")
    print(f"  escalation_report (read + fit) {full:8.3f} s  ({full / baseline:.0f}x baseline)")
    print(
        f"  AF<-PK {fit['cross_af_from_pk']:.3f} (true {TRUE_ALPHA[0][1]}), "
        f"PK<-AF {fit['cross_pk_from_af']:.3f} (true {TRUE_ALPHA[1][0]}), "
        f"branching {fit['branching_ratio']:.3f}, lifetime {fit['response_lifetime_days']} d (true 3)"
    )


class _Sink(BaseHTTPRequestHandler):
    def do_POST(self) -> None:  # noqa: N802
        self.rfile.read(int(self.headers["Content-Length"]))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


def bench_outbox(engine: Any, count: int) -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Sink)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    with transaction(engine) as session:
        sub = Subscription(channel="webhook", target=url, audience="AF", secret=SECRET)
        session.add(sub)
        session.flush()
        messages = [
            OutboxMessage(
                subscription_id=sub.id,
                channel="webhook",
                target=url,
                event="allegation.filed",
                subject=f"bench {n}",
                payload={"n": n, "summary": "bench"},
            )
            for n in range(count)
        ]
        session.add_all(messages)
        session.flush()
        bodies = [webhook_body(m) for m in messages]
    began = time.perf_counter()
    with httpx.Client() as client:
        for body in bodies:
            client.post(
                url, content=body, headers={"X-Truceline-Signature": sign_body(SECRET, body)}
            )
    baseline = time.perf_counter() - began
    began = time.perf_counter()
    delivered = 0
    while delivered < count:
        delivered += len(deliver_due(engine, limit=100, settings=get_settings()).delivered)
    full = time.perf_counter() - began
    server.shutdown()
    print(f"outbox: {count} webhooks to 127.0.0.1")
    print(f"  baseline (direct signed POSTs) {baseline:8.3f} s  ({count / baseline:.0f}/s)")
    print(
        f"  deliver_due (claim+send+audit) {full:8.3f} s  ({count / full:.0f}/s, {full / baseline:.1f}x)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=730)
    parser.add_argument("--messages", type=int, default=300)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        engine = make_engine(f"sqlite:///{Path(scratch) / 'bench.sqlite3'}")
        upgrade(engine)
        bench_escalation(engine, args.days)
        bench_outbox(engine, args.messages)


if __name__ == "__main__":
    wire()  # the audit capture and event subscriptions, as the app and CLI do
    main()
