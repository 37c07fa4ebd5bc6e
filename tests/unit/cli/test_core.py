"""``truceline init`` on a fresh installation: a log signed from the first export."""

from __future__ import annotations

import json
import stat
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine
from typer.testing import CliRunner

from support_state import behind_the_back, ged_extract
from truceline.cli.main import build_app
from truceline.config import get_settings

runner = CliRunner()


def run(*args: str, expect: int = 0) -> dict[str, Any]:
    result = runner.invoke(build_app(), [*args, "--json"])
    assert result.exit_code == expect, (result.stdout, result.stderr, result.exception)
    return json.loads(result.stdout) if result.stdout.strip() else {}


def test_init_import_export_verify_is_valid_with_no_other_step(
    engine: Engine, tmp_path: Path
) -> None:
    initialised = run("init")
    key = Path(initialised["log_key"]["path"])
    assert initialised["log_key"]["created"] is True
    assert key.parent == get_settings().resolved_keys_dir
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    imported = run("import", str(ged_extract(tmp_path / "ged.csv")), "--format", "ucdp-ged")
    assert imported["imported"] == 25
    exported = run("audit", "export", "-o", str(tmp_path / "audit.jsonl"))
    report = run("audit", "verify", str(tmp_path / "audit.jsonl"))
    assert report == {"valid": True, "entries": exported["entries"], "errors": []}


def test_a_second_init_keeps_the_key_it_created(engine: Engine) -> None:
    first = run("init")["log_key"]
    second = run("init")["log_key"]
    assert second == {**first, "created": False}


def test_init_refuses_a_log_key_readable_by_others_and_says_how_to_fix_it(
    sqlite_engine: Engine,
) -> None:
    key = Path(run("init")["log_key"]["path"])
    key.chmod(0o644)
    refused = run("init", expect=2)
    assert str(key) in refused["error"] and f"chmod 600 {key}" in refused["error"]


@pytest.mark.slow
def test_the_demo_leaves_a_signed_log_whose_state_and_findings_check(
    sqlite_engine: Engine, tmp_path: Path
) -> None:
    demo = runner.invoke(build_app(), ["demo", "--json"])
    assert demo.exit_code == 0, demo.stderr
    assert json.loads(demo.stdout)["checkpoint_size"] > 0
    exported = run("audit", "export", "-o", str(tmp_path / "audit.jsonl"))
    report = run("audit", "verify", str(tmp_path / "audit.jsonl"))
    assert report == {"valid": True, "entries": exported["entries"], "errors": []}
    state = run("audit", "check-state")
    assert (state["valid"], state["uncovered"]) == (True, 0)
    reproduced = run("audit", "reproduce", str(tmp_path / "audit.jsonl"))
    assert reproduced["reproduced"] >= 1 and reproduced["differ"] == reproduced["errors"] == []


def test_init_after_an_upgrade_records_the_state_of_existing_records_once(engine: Engine) -> None:
    behind_the_back(
        engine,
        "INSERT INTO incidents (code, title, occurred_at, time_precision, geo_precision, place_name,"
        " event_type, perpetrator, perpetrator_label, target_label, targets, casualties,"
        " attribution, verification_state, released, notes, origin_record, created_at, updated_at)"
        " VALUES ('OLD-1', 'Written before state digests', '2020-01-01 00:00:00', 1, 1, '',"
        " 'armed_clash', 'unknown', '', '', '[]', '{}', '[]', 'reported', false, '', '{}',"
        " '2020-01-01 00:00:00', '2020-01-01 00:00:00')",
    )
    assert run("init")["state_baseline"] == 1
    assert run("audit", "check-state")["valid"] is True
    assert run("init")["state_baseline"] is None
    behind_the_back(engine, "UPDATE incidents SET title = 'Rewritten' WHERE code = 'OLD-1'")
    errors = run("audit", "check-state", expect=1)["errors"]
    assert len(errors) == 1 and errors[0].startswith("incidents id ")
    assert "changed outside the application" in errors[0]


def test_check_state_on_a_database_that_was_never_migrated_is_a_usage_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("TRUCELINE_DATABASE_URL", f"sqlite:///{tmp_path / 'empty.sqlite3'}")
    get_settings.cache_clear()
    refused = run("audit", "check-state", expect=2)
    assert "is it migrated?" in refused["error"]
    get_settings.cache_clear()
