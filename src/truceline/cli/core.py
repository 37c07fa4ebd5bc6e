"""Core commands: ``init`` and ``serve``."""

from __future__ import annotations

from typing import Any

import typer

from truceline.audit.bootstrap import baseline_state, prepare_log_key
from truceline.audit.keys import KeyFileError
from truceline.cli.output import JsonOption, emit, stderr, usage_error
from truceline.config import get_settings
from truceline.db.engine import default_engine
from truceline.profile import initialise


def register(app: typer.Typer) -> None:
    app.command("init")(init_command)
    app.command("serve")(serve_command)


def init_command(as_json: bool = JsonOption) -> None:
    """Create or migrate the database and load the built-in Afghanistan–Pakistan profile (idempotent).

    On a fresh installation it also creates the mechanism's log signing key
    (mode 0600, in the keys directory, never in the database) and publishes
    its public half, so that the log is signed from the first export.
    """
    engine = default_engine()
    summary = initialise(engine)
    try:
        log_key = prepare_log_key(engine)
    except KeyFileError as exc:
        usage_error(str(exc), as_json=as_json)
    payload = {
        "database": engine.url.render_as_string(hide_password=True),
        **summary,
        "log_key": log_key,
        "state_baseline": baseline_state(engine),
    }
    emit(payload, as_json=as_json, human=lambda: _print_init(payload))


def _print_init(payload: dict[str, Any]) -> None:
    stderr.print(f"database ready at {payload['database']}; profile {payload['profile']} loaded")
    if payload["state_baseline"]:
        stderr.print(
            f"state digests recorded for {payload['state_baseline']} existing records "
            "(audit.state_baseline): check-state starts from this state"
        )
    key = payload["log_key"]
    if key["created"]:
        stderr.print(f"log signing key created at {key['path']} (mode 0600; back it up offline)")
        stderr.print(f"give the parties its public key, out of band: {key['vkey']}")


def serve_command(
    host: str = typer.Option("127.0.0.1", help="Interface to listen on."),
    port: int = typer.Option(8000, help="TCP port."),
) -> None:
    """Run the web application and API."""
    import uvicorn

    from truceline.web.app import create_app

    settings = get_settings()
    stderr.print(f"serving {settings.resolved_database_url} on http://{host}:{port}")
    uvicorn.run(create_app(), host=host, port=port, log_level="info")
