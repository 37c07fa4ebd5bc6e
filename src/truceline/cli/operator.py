"""What every context's commands share: acting as an operator, and refusing input.

A console command acts as an operator with the administrator role, named in the
audit log by ``--actor``; input that was understood but refused exits with 1
and says why (as JSON with ``--json``).
"""

from __future__ import annotations

import typer

from truceline.audit.actor import Actor
from truceline.cli.output import EXIT_REJECTED, emit, stderr

ActorOption = typer.Option("operator", "--actor", help="Name recorded in the audit log.")


def operator(name: str) -> Actor:
    """Console commands act as an operator with the administrator role."""
    return Actor(name=name, role="admin")


def fail(message: str, *, as_json: bool, field: str | None = None) -> None:
    """Report input that was understood but refused (exit 1)."""
    emit(
        {"error": message, "field": field},
        as_json=as_json,
        human=lambda: stderr.print(f"[red]refused:[/red] {message}"),
    )
    raise typer.Exit(EXIT_REJECTED)
