"""``truceline audit check-state`` and ``audit reproduce``: checks a party runs on its own.

``check-state`` only reads (on PostgreSQL inside a READ ONLY transaction), so
it runs on a replica or a copy of the database. ``reproduce`` needs no
database at all: it reads an export file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from sqlalchemy import text
from sqlalchemy.exc import OperationalError, ProgrammingError

from truceline.audit.check import check_state
from truceline.audit.cli import _read_public_keys, audit_app
from truceline.cli.output import EXIT_REJECTED, JsonOption, emit, stderr, usage_error
from truceline.config import get_settings
from truceline.db.engine import default_engine


@audit_app.command("check-state")
def check_state_command(
    key: Annotated[
        list[Path] | None,
        typer.Option("--key", help="The log's public keys as you received them (vkey or JSON)."),
    ] = None,
    as_json: bool = JsonOption,
) -> None:
    """Compare every audited record with the digest the signed log says it must have now.

    Exit 1 when a record was changed, added or deleted outside the application.
    """
    keys = _read_public_keys(key, as_json) if key else None
    if keys is None:
        stderr.print("no --key given: trusting the log keys the database publishes")
    with default_engine().connect() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SET TRANSACTION READ ONLY"))
        try:
            report = check_state(connection, keys=keys, origin=get_settings().checkpoint_origin)
        except (OperationalError, ProgrammingError) as exc:
            reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
            usage_error(
                f"the database cannot be checked ({reason}); is it migrated? (`truceline init`)",
                as_json=as_json,
            )
        connection.rollback()
    payload = report.as_json()
    emit(payload, as_json=as_json, human=lambda: _print(payload))
    if not payload["valid"]:
        raise typer.Exit(EXIT_REJECTED)


def _print(payload: dict[str, Any]) -> None:
    verdict = "valid" if payload["valid"] else "INVALID"
    stderr.print(f"{verdict}: {payload['checked']} records checked", markup=False)
    if payload["uncovered"]:
        stderr.print(
            f"{payload['uncovered']} log entries are not yet under a signed checkpoint "
            "(run `truceline audit checkpoint`, or wait for the next one)",
            markup=False,
        )
    for error in payload["errors"]:
        stderr.print(f"  - {error}", markup=False, highlight=False)


@audit_app.command("reproduce")
def reproduce_command(
    file: Annotated[Path, typer.Argument(help="An export written by `truceline audit export`.")],
    as_json: bool = JsonOption,
) -> None:
    """Re-adjudicate every finding of an export, offline (no database); exit 1 if any differ."""
    from truceline.agreements.reproduce import reproduce_export

    if not file.is_file():
        usage_error(f"export file {file} does not exist", as_json=as_json)
    report = reproduce_export(file)
    payload = report.as_json()
    emit(payload, as_json=as_json, human=lambda: _print_reproduced(payload))
    if payload["differ"] or payload["errors"]:
        raise typer.Exit(EXIT_REJECTED)


def _print_reproduced(payload: dict[str, Any]) -> None:
    stderr.print(f"{payload['reproduced']} findings reproduced", markup=False)
    for item in payload["differ"]:
        stderr.print(
            f"  - incident {item['incident']}, finding {item['finding']}: {item['field']} "
            f"stored {item['stored']!r}, reproduced {item['reproduced']!r}",
            markup=False,
            highlight=False,
        )
    for error in payload["errors"]:
        stderr.print(f"  - {error}", markup=False, highlight=False)
