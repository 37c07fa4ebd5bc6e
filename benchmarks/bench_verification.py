"""Cost of the verification queue and of moving cases through the state machine.

Run: ``.venv/bin/python benchmarks/bench_verification.py [CASES]`` (default 5,000).
Seeds a throw-away SQLite database with CASES incidents, each with an open
case, its first-assessment task and a site visit (one in three with a joint
team, one in five blocked by denial of access), then measures, each next to a
baseline from the same run:

- the full queue (``work_queue``) and the overdue-only queue, against a raw
  SQL query selecting the same open task rows without reasons;
- a transition (policy check, row lock, compare-and-set, history, audit),
  against inserting one audit entry alone.
"""

from __future__ import annotations

import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from sqlalchemy import text

from truceline.accounts.roles import Principal, Role
from truceline.audit.actor import SYSTEM
from truceline.audit.log import append_entry
from truceline.db.base import utcnow
from truceline.db.engine import make_engine, session_factory, transaction
from truceline.incidents.models import Incident
from truceline.profile import initialise
from truceline.startup import wire
from truceline.verification import queue, services
from truceline.verification.services import MemberSpec

#: The code this benchmark times (tests/unit/benchmarks/test_code_paths.py imports each).
CODE_PATHS = (
    "truceline.verification.queue.work_queue",
    "truceline.verification.services.transition",
)

MEDIATOR = Principal("mona", Role.MEDIATOR)
TEAM = [MemberSpec("af-1", "AF"), MemberSpec("pk-1", "PK"), MemberSpec("maya", None)]


def seed(engine: object, cases: int) -> None:
    start = utcnow() - timedelta(days=10)
    with transaction(engine) as session:  # type: ignore[arg-type]
        for n in range(cases):
            incident = Incident(
                code=f"BENCH-{n}",
                occurred_at=start + timedelta(minutes=n),
                event_type="cross_border_fire",
                lat=33.0,
                lon=70.0,
            )
            session.add(incident)
            session.flush()
            case = services.open_case(
                session, incident, principal=MEDIATOR, now=start + timedelta(minutes=n)
            )
            if n % 3 == 0:
                services.assign_team(session, case, TEAM, principal=MEDIATOR)
            visit = services.add_task(session, case, "site_visit", principal=MEDIATOR)
            if n % 5 == 0:
                visit.blocked_reason = "access_denied"


def best_ms(work: object, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        work()  # type: ignore[operator]
        times.append(time.perf_counter() - began)
    return min(times) * 1000


def main() -> None:
    cases = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(f"sqlite:///{Path(folder) / 'bench.sqlite3'}")
        initialise(engine)
        began = time.perf_counter()
        seed(engine, cases)
        print(f"seeded {cases} cases in {time.perf_counter() - began:.1f} s")
        factory = session_factory(engine)
        with factory() as session:
            raw = "SELECT t.id, t.kind, t.due_at FROM verification_tasks t WHERE t.done_at IS NULL"
            baseline = best_ms(lambda: session.execute(text(raw)).all())
            full = best_ms(lambda: queue.work_queue(session, principal=MEDIATOR))
            late = best_ms(lambda: queue.work_queue(session, principal=MEDIATOR, overdue_only=True))
            print(f"{'queue, all open tasks':36} {full:9.1f} ms   raw SQL rows {baseline:9.1f} ms")
            print(f"{'queue, overdue only':36} {late:9.1f} ms   raw SQL rows {baseline:9.1f} ms")
        transition_ms, audit_ms = time_transitions(engine, min(cases, 200))
        print(
            f"{'transition (triage)':36} {transition_ms:9.2f} ms   audit entry  {audit_ms:9.2f} ms"
        )


def time_transitions(engine: object, count: int) -> tuple[float, float]:
    with transaction(engine) as session:  # type: ignore[arg-type]
        ids = session.scalars(
            text("SELECT incident_id FROM verification_cases ORDER BY id LIMIT :n"), {"n": count}
        ).all()
        began = time.perf_counter()
        for incident_id in ids:
            services.transition(session, incident_id, "triage", principal=MEDIATOR)
        transition_ms = (time.perf_counter() - began) * 1000 / count
        began = time.perf_counter()
        for n in range(count):
            append_entry(
                session, actor=SYSTEM, action="bench", object_type="bench", object_id=n, after={}
            )
        audit_ms = (time.perf_counter() - began) * 1000 / count
    return transition_ms, audit_ms


if __name__ == "__main__":
    wire()  # the audit capture and event subscriptions, as the app and CLI do
    main()
