"""``truceline warning backtest`` and ``warning risk`` on stored incidents (both back ends)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from sqlalchemy import Engine
from typer.testing import CliRunner

from support_risk import seed_history as seed
from truceline.cli.main import build_app


def run(*args: str) -> tuple[int, Any]:
    result = CliRunner().invoke(build_app(), ["warning", *args])
    return result.exit_code, json.loads(result.stdout) if result.stdout.strip() else None


def test_backtest_reports_the_model_against_both_baselines(engine: Engine, tmp_path: Path) -> None:
    seed(engine)
    svg = tmp_path / "reliability.svg"
    code, report = run(
        "backtest", "--from", "2010-01-01", "--to", "2011-12-01", "--horizon-days", "30",
        "--svg", str(svg), "--json",
    )  # fmt: skip
    assert code == 0, report
    assert report["units"] >= 39  # at least the border districts on both sides
    assert report["periods"] == 24
    for name in ("model", "persistence", "climatology"):
        assert 0 <= report[name]["brier"] <= 1 and report[name]["log_loss"] > 0
        assert set(report["fatal"][name]) == {"brier", "log_loss"}
    assert report["events"]["unplaced"] == 0
    assert {row["name"] for row in report["by_unit"]} >= {"North Waziristan", "Urgun"}
    assert sum(row["count"] for row in report["reliability"]) == report["periods"] * report["units"]
    assert ET.parse(svg).getroot().tag.endswith("svg")


def test_backtest_refuses_an_impossible_period_naming_the_option(engine: Engine) -> None:
    seed(engine, days=400)
    assert run("backtest", "--from", "2009-01-01", "--to", "2008-06-01", "--json")[0] == 2
    code, error = run("backtest", "--from", "2008-02-01", "--json")
    assert code == 2 and "--from" in error["error"] and "a year" in error["error"]
    code, error = run("backtest", "--from", "next week", "--json")
    assert code == 2 and "--from" in error["error"]


def test_backtest_on_an_empty_database_says_there_is_nothing_to_test(engine: Engine) -> None:
    code, error = run("backtest", "--json")
    assert code == 2 and "no events" in error["error"]


def test_risk_lists_every_district_with_probabilities(engine: Engine) -> None:
    seed(engine)
    code, report = run("risk", "--at", "2011-06-01", "--json")
    assert code == 0
    assert report["forecast_date"] == "2011-06-01" and report["horizon_days"] == 30
    rows = report["districts"]
    assert all(0 < row["p_fatal"] <= row["p_event"] < 1 for row in rows[:5])
    assert rows[0]["p_event"] >= rows[-1]["p_event"]


def test_backtest_and_risk_of_one_event_type(engine: Engine) -> None:
    seed(engine)
    code, report = run(
        "backtest", "--from", "2010-01-01", "--to", "2010-12-01", "--event-type", "armed_clash",
        "--json",
    )  # fmt: skip
    assert code == 0 and report["event_type"] == "armed_clash" and report["periods"] == 12
    code, forecast = run("risk", "--at", "2011-06-01", "--event-type", "armed_clash", "--json")
    assert code == 0 and forecast["event_type"] == "armed_clash"
    code, error = run("backtest", "--event-type", "grenade", "--json")
    assert code == 2 and "at least 50" in error["error"] and "armed_clash" in error["error"]
    code, error = run("backtest", "--event-type", "picnic", "--json")
    assert code == 2 and "unknown event type" in error["error"]
    assert run("risk", "--store", "--event-type", "armed_clash", "--json")[0] == 2
