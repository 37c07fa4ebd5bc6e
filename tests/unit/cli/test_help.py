"""``--help`` of every command: flags show no value type."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import typer
from typer.testing import CliRunner

from truceline.cli.main import app, build_app

runner = CliRunner()


def _command_paths(command: object, path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    yield path
    for name, sub in sorted(getattr(command, "commands", {}).items()):
        yield from _command_paths(sub, (*path, name))


build_app()
EVERY_COMMAND = list(_command_paths(typer.main.get_command(app)))


def test_every_command_is_walked() -> None:
    assert len(EVERY_COMMAND) > 50 and ("users", "create") in EVERY_COMMAND


@pytest.mark.parametrize("path", EVERY_COMMAND, ids=lambda p: " ".join(p) or "truceline")
def test_help_shows_no_bool_type_on_flags(path: tuple[str, ...]) -> None:
    result = runner.invoke(app, [*path, "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "<bool>" not in result.output


def test_options_that_take_a_value_keep_their_type() -> None:
    result = runner.invoke(app, ["users", "create", "--help"], env={"COLUMNS": "200"})
    party = next(line for line in result.output.splitlines() if "--party" in line)
    json_flag = next(line for line in result.output.splitlines() if "--json" in line)
    assert "<str>" in party and "<" not in json_flag
