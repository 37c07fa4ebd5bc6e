from __future__ import annotations

import json
from pathlib import Path

import stix2
from sqlalchemy import Engine
from typer.testing import CliRunner

from truceline.action_requests.domain import Step
from truceline.cli.main import build_app
from truceline.db.engine import transaction

from .support import run_to, submit

runner = CliRunner()


def _run(*args: str) -> tuple[int, dict]:  # type: ignore[type-arg]
    result = runner.invoke(build_app(), [*args, "--json"])
    return result.exit_code, json.loads(result.stdout)


def test_requests_export_writes_a_valid_stix_bundle(engine: Engine, tmp_path: Path) -> None:
    with transaction(engine) as session:
        run_to(session, submit(session), Step.DELIVER)
    out = tmp_path / "bundle.json"
    status, payload = _run("requests", "export", "--format", "stix", "-o", str(out))
    assert status == 0
    assert payload == {"exported": 1, "path": str(out)}
    stix2.parse(out.read_text(), allow_custom=True)


def test_a_write_without_as_is_refused_with_exit_1(engine: Engine) -> None:
    status, payload = _run("requests", "submit", "--group", "TTP", "--action", "arrest",
                           "--clause", "no-support-to-groups-attacking-pakistan",
                           "--summary", "x")  # fmt: skip
    assert status == 1
    assert "--as" in payload["error"]


def test_an_unknown_format_is_a_usage_error(engine: Engine, tmp_path: Path) -> None:
    result = runner.invoke(build_app(), ["requests", "export", "--format", "csv", "-o",
                                         str(tmp_path / "x")])  # fmt: skip
    assert result.exit_code == 2


def test_requests_appear_in_the_top_level_help() -> None:
    result = runner.invoke(build_app(), ["--help"])
    assert "requests" in result.stdout
