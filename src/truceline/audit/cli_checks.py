"""``truceline audit check-state`` and ``audit reproduce``: checks a party runs on its own.

``check-state`` only reads (on PostgreSQL inside a READ ONLY transaction), so
it runs on a replica or a copy of the database. ``reproduce`` needs no
database at all: it reads an export file.
"""

from __future__ import annotations

from typing import Any

import typer
from sqlalchemy import text

from truceline.audit.check import check_state
from truceline.audit.cli import audit_app
from truceline.cli.output import EXIT_REJECTED, JsonOption, emit, stderr
from truceline.db.engine import default_engine


@audit_app.command("check-state")
def check_state_command(as_json: bool = JsonOption) -> None:
    """Compare every audited record with the digest the signed log says it must have now.

    Exit 1 when a record was changed, added or deleted outside the application.
    """
    with default_engine().connect() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SET TRANSACTION READ ONLY"))
        report = check_state(connection)
        connection.rollback()
    payload = report.as_json()
    emit(payload, as_json=as_json, human=lambda: _print(payload))
    if not payload["valid"]:
        raise typer.Exit(EXIT_REJECTED)


def _print(payload: dict[str, Any]) -> None:
    verdict = "valid" if payload["valid"] else "INVALID"
    stderr.print(f"{verdict}: {payload['checked']} records checked", markup=False)
    for error in payload["errors"]:
        stderr.print(f"  - {error}", markup=False, highlight=False)
