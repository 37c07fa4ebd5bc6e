"""``truceline init`` on a fresh installation: a log signed from the first export."""

from __future__ import annotations

import json
import stat
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine
from typer.testing import CliRunner

from support_state import ged_extract
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
def test_the_demo_leaves_a_signed_log(sqlite_engine: Engine, tmp_path: Path) -> None:
    demo = runner.invoke(build_app(), ["demo", "--json"])
    assert demo.exit_code == 0, demo.stderr
    assert json.loads(demo.stdout)["checkpoint_size"] > 0
    exported = run("audit", "export", "-o", str(tmp_path / "audit.jsonl"))
    report = run("audit", "verify", str(tmp_path / "audit.jsonl"))
    assert report == {"valid": True, "entries": exported["entries"], "errors": []}
