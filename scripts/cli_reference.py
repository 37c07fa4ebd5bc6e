"""Print the command reference of docs/cli.md from the real Typer app.

Run: .venv/bin/python scripts/cli_reference.py > /tmp/commands.md, then paste it
between the "commands" markers of docs/cli.md. tests/unit/cli/test_reference.py
fails when a command of the app is missing from docs/cli.md.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import typer

from truceline.cli.main import build_app


def commands() -> Iterator[tuple[str, Any]]:
    """Every leaf command of the app as (``"geo locate"``, its click command), sorted."""

    def walk(command: Any, path: list[str]) -> Iterator[tuple[str, Any]]:
        if hasattr(command, "commands"):
            for name, sub in sorted(command.commands.items()):
                yield from walk(sub, [*path, name])
        else:
            yield " ".join(path), command

    yield from walk(typer.main.get_command(build_app()), [])


def _option(param: Any) -> str:
    if param.param_type_name == "argument":
        return f"`{(param.metavar or param.name).upper()}`"
    names = " / ".join(f"`{o}`" for o in [*param.opts, *param.secondary_opts])
    return names


def reference() -> str:
    out: list[str] = []
    for path, command in commands():
        out.append(f"### `truceline {path}`\n")
        text = (command.help or "").strip()
        out.append(text.replace("\b\n", "") + "\n")
        params = [p for p in command.params if p.name != "help"]
        if params:
            out.append("| argument or option | meaning |\n|---|---|")
            for param in params:
                meaning = " ".join((getattr(param, "help", None) or "").split())
                escaped = meaning.replace("|", "\\|")
                out.append(f"| {_option(param)} | {escaped} |")
            out.append("")
    return "\n".join(out)


if __name__ == "__main__":
    print(reference())
