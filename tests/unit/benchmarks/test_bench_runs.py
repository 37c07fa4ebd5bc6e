"""The benchmarks of the audit log and of linking run, at a small size, on the code they name.

They are scripts, run by hand for their figures; these runs keep them from
breaking silently when the code under them changes (``bench_audit.py`` once
crashed because ``init`` had started writing audit entries). Nothing is timed here.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

BENCHMARKS = Path(__file__).resolve().parents[3] / "benchmarks"


def load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"benchmarks_{name}", BENCHMARKS / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_audit_benchmark_runs_on_a_database_that_init_already_wrote_to(
    capsys: pytest.CaptureFixture[str],
) -> None:
    bench = load("bench_audit")
    bench.main(["--appends", "3", "--db-entries", "300", "--sizes", "64",
                "--samples", "4", "--export-entries", "100"])  # fmt: skip
    out = capsys.readouterr().out
    assert "append adds" in out
    assert "first checkpoint (integrates all 300)" in out
    assert "verify an export of 100 entries" in out
    size, *_ = bench.first_checkpoint_memory(200)
    assert size > 200  # the entries init wrote, then the 200 filled after them


def test_linking_benchmark_links_through_intake_with_precision_and_recall_reported(
    tmp_path: Path,
) -> None:
    bench = load("bench_linking")
    url = f"sqlite:///{tmp_path / 'link.sqlite3'}"
    figures = bench.measure_size("sqlite", url, 1500, 80, str(tmp_path))
    assert len(figures.submit_ms) == 80 and len(figures.search_ms) == 80
    assert sum(figures.outcomes.values()) == 80
    assert figures.precision >= 0.9 and figures.recall >= 0.9


def test_the_dashboard_benchmark_issues_its_mediator_token_and_times_both_summaries(
    sqlite_engine: object,
) -> None:
    """``mediator_token`` once failed (``issue_token`` had gained its ``settings`` argument)."""
    from truceline.config import get_settings

    bench = load("bench_dashboard")
    url = get_settings().resolved_database_url
    secret = bench.mediator_token(url)
    old, new = bench.old_summary_seconds(url, secret)
    assert secret and old >= 0 and new >= 0
