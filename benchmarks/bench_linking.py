"""Benchmark: linking new reports through intake with 10k, 100k and 1M reports already stored.

Code path timed: ``truceline.intake.services.submit_report`` →
``truceline.incidents.services.auto_link_report`` →
``find_candidates`` → ``truceline.incidents.linking_search.candidate_incidents``,
the path of every report submitted on the web, the API or the CLI.

Run: ``.venv/bin/python benchmarks/bench_linking.py [--sizes 10000 100000 1000000]
[--submit 1000] [--backend sqlite|postgres|both] [--pg-url URL]``

For each size N, a seeded synthetic stream of N + M reports with known true
events (``truceline.incidents.synthetic``: duplicates of one event from
several sources with jittered place, time, type, perpetrator and text, some in
Pashto or Urdu) is split in two. The first N are stored by bulk inserts as the
linker would have left them (one incident per true event, placed and timed as
its first report, every report linked), so seeding a million reports takes
minutes, not hours. The last M are then submitted one by one, each in its own
transaction, through ``submit_report``: that is what is timed. Afterwards the
script times ``find_candidates`` alone for the same reports, and, as the
baseline of the same run, ``submit_report(link=False)`` for M/4 copies (storing
a report and its audit entry without linking). Precision and recall are
pairwise, over every pair with at least one submitted report (pairs among the
seeded reports are right by construction and left out).
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import resource
import statistics
import sys
import tempfile
import time
import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, select, text
from sqlalchemy.engine import make_url

from truceline.audit.log import Actor
from truceline.content_store import ContentStore
from truceline.db.engine import make_engine, transaction
from truceline.exchange.bulk import bulk_insert
from truceline.incidents.linking_search import candidate_incidents
from truceline.incidents.models import Incident, IncidentReportLink, Report
from truceline.incidents.services import best_match, find_candidates, report_features
from truceline.incidents.synthetic import ACTORS, SyntheticReport, generate_reports
from truceline.intake.models import FactProposal
from truceline.intake.proposals import facts_for_linking
from truceline.intake.schemas import ReportSubmission
from truceline.intake.services import submit_report
from truceline.profile import initialise
from truceline.startup import wire

CODE_PATHS = (
    "truceline.intake.services.submit_report",
    "truceline.incidents.services.auto_link_report",
    "truceline.incidents.services.find_candidates",
    "truceline.incidents.linking_search.candidate_incidents",
)
ACTOR = Actor(name="bench-monitor", role="field_monitor", party=None)
LABELS = dict(ACTORS)
SEED_BATCH = 20_000


@dataclass(frozen=True)
class SizeFigures:
    backend: str
    stored: int
    submitted: int
    seed_s: float
    submit_ms: list[float]
    search_ms: list[float]
    baseline_ms: list[float]
    statements: float
    precision: float
    recall: float
    outcomes: dict[str, int]
    peak_rss_mib: float


#: Hours added to every synthetic time so that the stream ends two days ago (intake refuses
#: reports from the future; a million reports span ten years from 2025).
SHIFT_H = [0.0]


def _instant(hours: float) -> datetime:
    return datetime.fromtimestamp((hours + SHIFT_H[0]) * 3600.0, UTC)


def seed(engine: Engine, reports: list[SyntheticReport]) -> dict[int, int]:
    """Store reports, one incident per true event and the links; returns event → incident id."""
    incident_of: dict[int, int] = {}
    now = datetime.now(UTC)
    for start in range(0, len(reports), SEED_BATCH):
        incidents, rows, links = [], [], []
        for r in reports[start : start + SEED_BATCH]:
            f, report_id = r.features, r.report_id + 1
            if r.true_event not in incident_of:
                incident_of[r.true_event] = len(incident_of) + 1
                incidents.append(_incident_row(len(incident_of), r, now))
            rows.append(_report_row(report_id, r, now))
            links.append({"id": report_id, "incident_id": incident_of[r.true_event],
                          "report_id": report_id, "linked_at": now, "linked_by": "bench",
                          "method": "auto", "score": 0.9, "reasons": []})  # fmt: skip
            assert f.hours is not None
        with transaction(engine) as session:
            bulk_insert(session, Incident.__table__, incidents)  # type: ignore[arg-type]
            bulk_insert(session, Report.__table__, rows)  # type: ignore[arg-type]
            bulk_insert(session, IncidentReportLink.__table__, links)  # type: ignore[arg-type]
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            for table in ("incidents", "reports", "incident_report_links"):
                serial = f"pg_get_serial_sequence('{table}', 'id')"
                conn.execute(text(f"SELECT setval({serial}, (SELECT max(id) FROM {table}))"))  # noqa: S608
            conn.execute(text("ANALYZE"))
    return incident_of


def _incident_row(incident_id: int, r: SyntheticReport, now: datetime) -> dict[str, Any]:
    f = r.features
    assert f.hours is not None
    return {"id": incident_id, "code": f"INC-B{incident_id}", "title": "", "occurred_at": _instant(f.hours),
            "time_precision": f.time_precision, "lat": f.lat, "lon": f.lon,
            "geo_precision": f.geo_precision, "place_name": "", "event_type": f.event_type or "other",
            "perpetrator": f.actor or "unknown", "perpetrator_label": "", "target_label": "",
            "targets": [], "casualties": {}, "attribution": [], "verification_state": "reported",
            "released": False, "notes": "", "origin_record": {}, "created_at": now,
            "updated_at": now}  # fmt: skip


def _report_row(report_id: int, r: SyntheticReport, now: datetime) -> dict[str, Any]:
    f = r.features
    assert f.hours is not None
    return {"id": report_id, "code": f"R-B{report_id}", "version": 1, "channel": "api",
            "source_type": "media", "source_name": "bench", "reliability": "F", "credibility": 6,
            "text": f.texts[0], "received_at": now, "occurred_at": _instant(f.hours),
            "time_precision": f.time_precision, "lat": f.lat, "lon": f.lon,
            "geo_precision": f.geo_precision, "place_text": "", "event_type": f.event_type,
            "claimed_perpetrator": f.actor, "claimed_perpetrator_label": "", "claimed_targets": [],
            "casualties": {}, "content_hash": f"bench-{report_id}", "kind": "account",
            "origin": "unknown", "relayed_from": "", "origin_note": "", "created_at": now}  # fmt: skip


def submission(r: SyntheticReport, token: str | None = None) -> ReportSubmission:
    f = r.features
    assert f.hours is not None
    return ReportSubmission(source_type="media", source_name="bench", text=f.texts[0],
                            occurred_at=_instant(f.hours), time_precision=f.time_precision,
                            lat=f.lat, lon=f.lon, geo_precision=f.geo_precision,
                            event_type=f.event_type, claimed_perpetrator=f.actor,
                            client_token=token)  # fmt: skip


def measure_size(
    backend: str, url: str, stored: int, submitted: int, work: str, show_misses: int = 0
) -> SizeFigures:
    """Seed ``stored`` reports, then submit ``submitted`` more through the service, timing each."""
    wire()  # the audit capture and subscriptions, as the app and CLI have them (a spawned child)
    engine = make_engine(url)
    initialise(engine)
    stream = generate_reports(stored + submitted, seed=2025)
    last = max(r.features.hours or 0.0 for r in stream)
    SHIFT_H[0] = min(0.0, time.time() / 3600.0 - 48.0 - last)
    started = time.perf_counter()
    incident_of = seed(engine, stream[:stored])
    seed_s = time.perf_counter() - started
    store = ContentStore(Path(work) / "evidence")
    statements = [0]
    event.listen(
        engine, "before_cursor_execute", lambda *a: statements.__setitem__(0, statements[0] + 1)
    )
    submit_ms, predicted, outcomes, ids = [], [], Counter[str](), []
    misses: list[str] = []
    for r in stream[stored:]:
        started = time.perf_counter()
        with transaction(engine) as session:
            result = submit_report(session, submission(r), actor=ACTOR, store=store)
        submit_ms.append((time.perf_counter() - started) * 1000)
        link = result.link
        assert link is not None
        outcomes[link.status] += 1
        linked = link.incident_id if link.status in ("auto_linked", "new_incident") else None
        predicted.append(linked if linked is not None else -result.report.id)
        ids.append(result.report.id)
        true_incident = incident_of.get(r.true_event)
        if link.status == "new_incident" and true_incident is None and linked is not None:
            incident_of[r.true_event] = linked  # the event's first account
        elif show_misses and true_incident is not None and linked != true_incident:
            misses.append(explain_miss(engine, result.report.id, true_incident, link.status))
    per_report = statements[0] / submitted
    search_ms = time_search(engine, ids)
    baseline_ms = []
    for r in stream[stored : stored + max(submitted // 4, 1)]:
        started = time.perf_counter()
        with transaction(engine) as session:
            submit_report(
                session, submission(r, token=uuid.uuid4().hex), actor=ACTOR, store=store, link=False
            )
        baseline_ms.append((time.perf_counter() - started) * 1000)
    for line in misses[:show_misses]:
        print(line, flush=True)
    if show_misses:
        print(f"  {len(misses)} submitted reports not linked to their event's incident", flush=True)
    seeded_events = {r.true_event for r in stream[:stored]}
    precision, recall = precision_recall(
        stream, stored, predicted, {e: i for e, i in incident_of.items() if e in seeded_events}
    )
    engine.dispose()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return SizeFigures(backend, stored, submitted, seed_s, submit_ms, search_ms, baseline_ms,
                       per_report, precision, recall, dict(outcomes), rss)  # fmt: skip


def explain_miss(engine: Engine, report_id: int, incident_id: int, status: str) -> str:
    """Why a report did not join its true event's incident: the comparison that scored best,
    with the facts read from its text as linking used them."""
    with transaction(engine) as session:
        report = session.get(Report, report_id)
        assert report is not None
        proposals = session.scalars(select(FactProposal).where(FactProposal.report_id == report_id))
        read = facts_for_linking(list(proposals))
        features = report_features(report, read)
        anchor = read.occurred_at or report.occurred_at or report.received_at
        found = candidate_incidents(session, features, anchor, excluding_report=report_id)
        mine = (f"report type={report.event_type}/read {read.event_type} actor={features.actor}"
                f" tp={features.time_precision} gp={features.geo_precision} {report.text[:50]!r}")  # fmt: skip
        incident = next((c for c in found if c.id == incident_id), None)
        if incident is None:
            return f"  MISS {status:12} not a candidate; {mine}"
        match = best_match(features, incident)
        own = incident.features
        theirs = f"incident type={own.event_type} actor={own.actor} tp={own.time_precision} gp={own.geo_precision}"
        if match is None:
            return f"  MISS {status:12} out of tolerance; {mine}; {theirs}"
        return f"  MISS {status:12} score {match.score:.2f} {match.components}; {mine}; {theirs}"


def time_search(engine: Engine, report_ids: list[int]) -> list[float]:
    """``find_candidates`` alone for each submitted report (read only)."""
    timings = []
    with transaction(engine) as session:
        for report_id in report_ids:
            report = session.get(Report, report_id)
            assert report is not None
            started = time.perf_counter()
            find_candidates(session, report)
            timings.append((time.perf_counter() - started) * 1000)
            session.expunge(report)
    return timings


def precision_recall(
    stream: list[SyntheticReport], stored: int, predicted: list[int], incident_of: dict[int, int]
) -> tuple[float, float]:
    """Pairwise precision and recall over pairs that include at least one submitted report."""
    event_of_incident = {incident: ev for ev, incident in incident_of.items()}
    seeded_per_event = Counter(r.true_event for r in stream[:stored])
    submitted = stream[stored:]
    events = {r.true_event for r in submitted} | {
        event_of_incident[p] for p in predicted if p in event_of_incident
    }
    labels = [(p, r.true_event) for p, r in zip(predicted, submitted, strict=True)]
    for ev in events & incident_of.keys():
        labels += [(incident_of[ev], ev)] * seeded_per_event[ev]

    def pairs(counts: Counter[Any]) -> int:
        return sum(n * (n - 1) // 2 for n in counts.values())

    seeded_pairs = sum(n * (n - 1) // 2 for ev, n in seeded_per_event.items() if ev in events)
    together = pairs(Counter(labels)) - seeded_pairs
    predicted_pairs = pairs(Counter(p for p, _ in labels)) - seeded_pairs
    true_pairs = pairs(Counter(t for _, t in labels)) - seeded_pairs
    return (together / predicted_pairs if predicted_pairs else 1.0,
            together / true_pairs if true_pairs else 1.0)  # fmt: skip


def fresh_database(backend: str, work: Path, pg_url: str | None) -> str:
    if backend == "sqlite":
        return f"sqlite:///{work / f'link-{uuid.uuid4().hex[:8]}.sqlite3'}"
    assert pg_url, "PostgreSQL needs --pg-url or TRUCELINE_TEST_PG_URL"
    name = f"tl_link_{uuid.uuid4().hex[:8]}"
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


def run_size(
    backend: str, stored: int, submitted: int, pg_url: str | None, show_misses: int = 0
) -> SizeFigures:
    """One size in a fresh database and, for its own peak memory, a child process."""
    with tempfile.TemporaryDirectory(prefix="bench-link-") as work:
        url = fresh_database(backend, Path(work), pg_url)
        try:
            context = multiprocessing.get_context("spawn")
            with context.Pool(1) as pool:
                return pool.apply(
                    measure_size, (backend, url, stored, submitted, work, show_misses)
                )
        finally:
            drop_database(url, pg_url)


def print_figures(f: SizeFigures) -> None:
    def ms(values: list[float]) -> str:
        q = statistics.quantiles(values, n=20) if len(values) > 1 else values * 19
        return f"median {statistics.median(values):6.2f}  mean {statistics.fmean(values):6.2f}  p95 {q[18]:6.2f}"

    print(
        f"{f.backend:8} stored {f.stored:>9,}  seeded in {f.seed_s:7.1f} s  peak RSS {f.peak_rss_mib:5.0f} MiB"
    )
    print(f"  submit_report, linking (ms/report, {f.submitted}):   {ms(f.submit_ms)}")
    print(f"  find_candidates alone (ms/report):          {ms(f.search_ms)}")
    print(f"  baseline submit_report(link=False) (ms):    {ms(f.baseline_ms)}")
    print(f"  SQL statements per submitted report: {f.statements:.1f}   outcomes: {f.outcomes}")
    print(f"  precision {f.precision:.4f}  recall {f.recall:.4f}", flush=True)


def main(argv: list[str] | None = None) -> list[SizeFigures]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--submit", type=int, default=1000, help="reports submitted per size")
    parser.add_argument("--backend", choices=("sqlite", "postgres", "both"), default="sqlite")
    parser.add_argument("--pg-url", default=os.environ.get("TRUCELINE_TEST_PG_URL"))
    parser.add_argument("--show-misses", type=int, default=0, help="print N missed links")
    args = parser.parse_args(argv)
    backends = ("sqlite", "postgres") if args.backend == "both" else (args.backend,)
    print(f"code path: {' → '.join(CODE_PATHS)}", flush=True)
    figures = []
    for backend in backends:
        for size in args.sizes:
            figures.append(run_size(backend, size, args.submit, args.pg_url, args.show_misses))
            print_figures(figures[-1])
    return figures


if __name__ == "__main__":
    main(sys.argv[1:])
