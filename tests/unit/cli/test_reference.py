"""docs/cli.md, the command-line reference, lists every command of the real app."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import typer

from truceline.cli.main import build_app

REFERENCE = Path(__file__).resolve().parents[3] / "docs" / "cli.md"


def _commands(command: Any, path: tuple[str, ...] = ()) -> Iterator[str]:
    if hasattr(command, "commands"):
        for name, sub in sorted(command.commands.items()):
            yield from _commands(sub, (*path, name))
    else:
        yield " ".join(path)


def _documented() -> set[str]:
    text = REFERENCE.read_text(encoding="utf-8")
    return set(re.findall(r"^### `truceline ([^`]+)`$", text, flags=re.M))


def test_every_command_has_its_section_in_the_reference() -> None:
    commands = set(_commands(typer.main.get_command(build_app())))
    assert len(commands) > 50
    missing = sorted(commands - _documented())
    assert missing == [], "run scripts/cli_reference.py and paste its output into docs/cli.md"


def test_the_reference_documents_no_command_the_app_lacks() -> None:
    commands = set(_commands(typer.main.get_command(build_app())))
    assert sorted(_documented() - commands) == []


def test_the_fixed_commands_and_formats_are_in_the_reference() -> None:
    text = REFERENCE.read_text(encoding="utf-8")
    for fixed in ("truceline init", "truceline import FILE", "truceline adjudicate FILE",
                  "truceline audit check-state", "truceline warning backtest", "### Findings",
                  "### Incident facts", '"border_distance_km"', '"violating_party"'):  # fmt: skip
        assert fixed in text
