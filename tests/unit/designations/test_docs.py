"""docs/designations.md shows real output: its replay and matrix examples are re-run here."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine

from .test_cli import _app, runner
from .test_replay import FIXTURE

DOCS = Path(__file__).resolve().parents[3] / "docs" / "designations.md"
FACTS = str(FIXTURE.relative_to(Path(__file__).resolve().parents[3]))


@pytest.mark.parametrize(
    "args",
    [
        ["designations", "compare", "--facts", FACTS],
        ["designations", "replay", "--list", "PK", "--facts", FACTS],
        ["designations", "replay", "--list", "AF", "--baseline", "PK", "--facts", FACTS],
        ["groups", "show", "JUA"],
        ["groups", "resolve", "Khawarij"],
    ],
)
def test_documented_output_is_what_the_command_prints(
    sqlite_engine: Engine, args: list[str]
) -> None:
    text = DOCS.read_text(encoding="utf-8")
    result = runner.invoke(_app(), [a if a != FACTS else str(FIXTURE) for a in args])
    assert result.exit_code == 0
    assert f"$ truceline {' '.join(args)}" in text
    for line in result.stdout.splitlines():
        assert line in text, f"documented output is stale: {line!r}"
