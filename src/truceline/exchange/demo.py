"""The demonstration data set behind ``truceline demo`` (and so ``make run``).

It initialises the database with the built-in profile, imports the shipped
UCDP GED events for Pakistan (1989–2014) and the October 2025 events on the
Afghanistan–Pakistan border from ``data/demo_october_2025.json``. Incidents
that arrive already determined (the exercise scenarios) are then judged against
the agreement in force, as a determination in the workflow would do, so their
findings show from the start. Every step is idempotent: a second run finds
everything stored and adds nothing. To extend the demo, add incidents (with
their sources) to that JSON file.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from datetime import UTC, date, datetime, timedelta
from importlib import resources
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, func, select

from truceline.action_requests.demo import load_demo_requests
from truceline.agreements.services import refresh_findings
from truceline.audit.actor import SYSTEM
from truceline.db.engine import session_factory, transaction
from truceline.exchange.importer import ImportSummary, import_file
from truceline.incidents.models import Incident
from truceline.profile import initialise
from truceline.warning.risk_service import backtest_report
from truceline.warning.risk_store import latest_forecast, store_forecast

GED_FILE = "ucdp_ged_pakistan_1989_2014.csv.gz"
OCTOBER_FILE = "demo_october_2025.json"
ATTRIBUTION_FILE = "ATTRIBUTION.txt"

#: The shipped data sets, in import order: (label, file, format).
DEMO_SETS: tuple[tuple[str, str, str], ...] = (
    ("ucdp_ged_pakistan", GED_FILE, "ucdp-ged"),
    ("october_2025", OCTOBER_FILE, "truceline-json"),
)


@contextmanager
def data_file(name: str) -> Iterator[Path]:
    """A real file path for a data file shipped in ``truceline.exchange.data``."""
    with ExitStack() as stack:
        yield stack.enter_context(
            resources.as_file(resources.files("truceline.exchange.data") / name)
        )


def attribution() -> str:
    """The credits for the shipped data (shown by ``truceline demo``)."""
    return (resources.files("truceline.exchange.data") / ATTRIBUTION_FILE).read_text(
        encoding="utf-8"
    )


def run_demo(
    engine: Engine,
    *,
    keys_dir: Path,
    on_progress: Callable[[str], Callable[[int], None] | None] | None = None,
) -> dict[str, Any]:
    """Initialise, then import every demo set; returns a summary per set and the incident count.

    ``keys_dir`` (``Settings.resolved_keys_dir``, passed by the caller) holds the keys the
    demo's sealed intelligence packages are made with.
    """
    summary: dict[str, Any] = dict(initialise(engine))
    summary["imports"] = {}
    rejected = 0
    for label, name, file_format in DEMO_SETS:
        with data_file(name) as path:
            progress = on_progress(label) if on_progress else None
            result: ImportSummary = import_file(engine, path, file_format, on_progress=progress)
        summary["imports"][label] = {
            k: v for k, v in result.to_json().items() if k in ("imported", "duplicates", "rejected")
        }
        rejected += len(result.rejected)
    summary["findings"] = judge_determined_incidents(engine)
    summary["risk_forecast"] = store_demo_forecast(engine)
    summary["requests"] = load_demo_requests(engine, keys_dir=keys_dir)
    with session_factory(engine)() as session:
        summary["incidents"] = session.scalar(select(func.count()).select_from(Incident))
    summary["rejected"] = rejected
    return summary


#: The demo's backtest: two years of the GED history, so that ``make run`` stays quick.
DEMO_BACKTEST = (date(2012, 2, 1), date(2014, 1, 1))


def store_demo_forecast(engine: Engine) -> int | None:
    """A district risk forecast from the day after the latest event, with a backtest score,
    so the dashboard's risk layer has something to show; kept once (idempotent)."""
    with transaction(engine) as session:
        if latest_forecast(session) is not None:
            return None
        latest = session.scalar(select(func.max(Incident.occurred_at)))
        if latest is None:
            return None
        start, end = DEMO_BACKTEST
        backtest = backtest_report(session, date_from=start, date_to=end)[0]
        at = datetime.combine(latest.date() + timedelta(days=1), datetime.min.time(), tzinfo=UTC)
        forecast, _ = store_forecast(session, at=at, actor=SYSTEM, backtest=backtest)
        return forecast.id


def judge_determined_incidents(engine: Engine) -> int:
    """Adjudicate every determined incident (unchanged findings are kept, not duplicated)."""
    with transaction(engine) as session:
        determined = session.scalars(
            select(Incident.id).where(Incident.verification_state == "determined")
        ).all()
        return sum(len(refresh_findings(session, i, actor=SYSTEM)) for i in determined)
