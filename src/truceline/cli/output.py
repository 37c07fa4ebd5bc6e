"""Output conventions shared by every command (see docs/cli.md).

With ``--json`` a command prints exactly one JSON document on stdout and
nothing else; logs and progress go to stderr. Exit codes: 0 success, 1 input
understood but partly rejected, 2 usage error.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import Any, NoReturn

import typer
from rich.console import Console

stderr = Console(stderr=True)

EXIT_OK = 0
EXIT_REJECTED = 1
EXIT_USAGE = 2

JsonOption = typer.Option(False, "--json", help="Print exactly one JSON document on stdout.")


def emit(payload: Any, *, as_json: bool, human: Callable[[], None] | None = None) -> None:
    """Print ``payload`` as JSON, or call ``human`` to print it for people."""
    if as_json or human is None:
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2, default=str) + "\n")
        sys.stdout.flush()
    else:
        human()


def usage_error(message: str, *, as_json: bool = False) -> NoReturn:
    """Stop with exit status 2 and a message naming what is wrong."""
    if as_json:
        emit({"error": message}, as_json=True)
    else:
        stderr.print(f"[red]error:[/red] {message}")
    raise typer.Exit(EXIT_USAGE)
