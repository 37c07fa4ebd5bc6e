"""``audit reproduce``: every finding of an export re-adjudicated offline, with no database."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine
from typer.testing import CliRunner

from support_state import determined_case
from truceline.cli.main import build_app
from truceline.config import get_settings

runner = CliRunner()


def run(*args: str, expect: int = 0) -> dict[str, Any]:
    result = runner.invoke(build_app(), [*args, "--json"])
    assert result.exit_code == expect, (result.stdout, result.stderr, result.exception)
    return json.loads(result.stdout)


@pytest.fixture
def export(engine: Engine, tmp_path: Path) -> Path:
    determined_case(engine)
    run("init")  # the log key
    path = tmp_path / "audit.jsonl"
    run("audit", "export", "-o", str(path))
    return path


@pytest.fixture
def no_database(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    missing = tmp_path / "nowhere" / "none.sqlite3"
    monkeypatch.setenv("TRUCELINE_DATABASE_URL", f"sqlite:///{missing}")
    get_settings.cache_clear()


def test_every_finding_of_a_determination_is_reproduced_without_a_database(
    export: Path, no_database: None, tmp_path: Path
) -> None:
    report = run("audit", "reproduce", str(export))
    assert report["differ"] == [] and report["errors"] == []
    assert report["reproduced"] >= 1
    assert not (tmp_path / "nowhere").exists()


def test_a_finding_changed_in_the_export_is_reported_with_its_field(
    export: Path, no_database: None
) -> None:
    lines = export.read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines):
        record = json.loads(line)
        if record["type"] == "findings":
            target = record["findings"][0]
            assert target["finding"] == "violation"
            target["finding"] = "no_violation"
            lines[number] = json.dumps(record, ensure_ascii=False)
            break
    export.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = run("audit", "reproduce", str(export), expect=1)
    assert report["differ"] == [
        {
            "incident": "INC-STATE-1",
            "finding": target["id"],
            "agreement": target["agreement"],
            "field": "finding",
            "stored": "no_violation",
            "reproduced": "violation",
        }
    ]
    assert report["errors"] == [
        "incident INC-STATE-1: its findings are not those the log recorded (findings.recomputed)"
    ]


def test_an_export_still_verifies_with_what_findings_were_computed_from(
    export: Path, no_database: None
) -> None:
    kinds = {json.loads(line)["type"] for line in export.read_text().splitlines()}
    assert {"agreement", "findings"} <= kinds
    assert run("audit", "verify", str(export))["valid"] is True
