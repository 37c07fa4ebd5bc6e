"""Core commands: ``init`` and ``serve``."""

from __future__ import annotations

import typer

from truceline.cli.output import JsonOption, emit, stderr
from truceline.config import get_settings
from truceline.db.engine import default_engine
from truceline.profile import initialise


def register(app: typer.Typer) -> None:
    app.command("init")(init_command)
    app.command("serve")(serve_command)


def init_command(as_json: bool = JsonOption) -> None:
    """Create or migrate the database and load the built-in Afghanistan–Pakistan profile (idempotent)."""
    engine = default_engine()
    summary = initialise(engine)
    payload = {"database": engine.url.render_as_string(hide_password=True), **summary}
    emit(
        payload,
        as_json=as_json,
        human=lambda: stderr.print(
            f"database ready at {payload['database']}; profile {payload['profile']} loaded"
        ),
    )


#: How long a worker may take to answer uvicorn's liveness ping before it is restarted.
WORKER_HEALTHCHECK_SECONDS = 60


def serve_command(
    host: str = typer.Option("127.0.0.1", help="Interface to listen on."),
    port: int = typer.Option(8000, help="TCP port."),
    workers: int = typer.Option(
        1, "--workers", min=1, max=64, help="Worker processes (each with its own connections)."
    ),
) -> None:
    """Run the web application and API, with the background jobs (run by one worker)."""
    import uvicorn

    settings = get_settings()
    stderr.print(
        f"serving {settings.resolved_database_url} on http://{host}:{port} "
        f"with {workers} worker{'s' if workers > 1 else ''}"
    )
    # Forwarding headers are the app's business (trusted_proxies), not uvicorn's, whose
    # default would believe any X-Forwarded-For sent from this machine.
    uvicorn.run(
        "truceline.web.app:create_served_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        proxy_headers=False,
        log_level="info",
        timeout_graceful_shutdown=10,
        # uvicorn kills a worker that does not answer its supervisor's ping within this
        # many seconds (default 5), dropping every connection it holds. On a busy machine
        # a loaded worker can miss 5 s while still serving; killing it loses answers.
        timeout_worker_healthcheck=WORKER_HEALTHCHECK_SECONDS,
    )
