"""Benchmark of re-judging after an agreement amendment, on the demo data set (5,305 incidents).

Run: ``.venv/bin/python benchmarks/bench_amend.py``. An amendment used to
re-judge every stored incident (``recompute_all``): that is the baseline. Now
an amendment re-judges only the incidents whose governing agreement versions
changed (``services.amend``), found by comparing the versions in force at each
incident's time from the amendment's effective date on. Each run starts from a
fresh copy of the same demo database.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from truceline.agreements import services
from truceline.agreements.documents import load_document_file
from truceline.audit.log import Actor
from truceline.config import get_settings
from truceline.db.engine import make_engine, transaction
from truceline.exchange.demo import run_demo
from truceline.profile import initialise
from truceline.startup import wire

#: The code this benchmark times (tests/unit/benchmarks/test_code_paths.py imports each).
CODE_PATHS = ("truceline.agreements.services.amend",)

AMENDMENT = Path(__file__).resolve().parents[1] / "docs/examples/doha-amendment.yaml"
MEDIATOR = Actor(name="bench", role="mediator")


def on_copy(template: Path, work: Callable[[Any], dict[str, Any]]) -> tuple[float, dict[str, Any]]:
    """Time ``work(session)`` in one transaction on a fresh copy of the demo database."""
    copy = template.with_name(f"copy-{time.monotonic_ns()}.sqlite3")
    shutil.copyfile(template, copy)
    engine = make_engine(f"sqlite:///{copy}")
    start = time.perf_counter()
    with transaction(engine) as session:
        counts = work(session)
    elapsed = time.perf_counter() - start
    engine.dispose()
    copy.unlink()
    return elapsed, counts


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        template = Path(folder) / "demo.sqlite3"
        engine = make_engine(f"sqlite:///{template}")
        initialise(engine)
        run_demo(engine, keys_dir=get_settings().resolved_keys_dir)
        engine.dispose()
        dated = load_document_file(AMENDMENT)
        from_start = dated.model_copy(update={"effective_from": dated.in_force_from})
        undated = dated.model_copy(update={"effective_from": None})
        runs = {
            "baseline: recompute every incident": lambda s: services.recompute_all(s),
            "amend, effective 2025-10-27": lambda s: services.amend(s, dated, actor=MEDIATOR),
            "amend, effective from Doha's start": lambda s: services.amend(
                s, from_start, actor=MEDIATOR
            ),
            "amend, no date (governs from now)": lambda s: services.amend(
                s, undated, actor=MEDIATOR
            ),
        }
        print(f"demo database: {template.stat().st_size:,} bytes; {datetime.now():%Y-%m-%d}")
        for label, work in runs.items():
            elapsed, counts = on_copy(template, work)
            print(
                f"{label:<38} {elapsed:>7.2f}s   re-judged {counts['incidents']:>5}"
                f"   findings changed {counts['changed']:>5}"
            )


if __name__ == "__main__":
    wire()  # the audit capture and event subscriptions, as the app and CLI do
    main()
