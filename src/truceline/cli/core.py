"""Core commands: ``init`` and ``serve``."""

from __future__ import annotations

import errno
import socket
from typing import Any

import typer

from truceline.audit.bootstrap import baseline_state, prepare_log_key
from truceline.audit.keys import KeyFileError
from truceline.cli.output import EXIT_REJECTED, JsonOption, emit, stderr, usage_error
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
        log_key = prepare_log_key(engine, get_settings())
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

    problem = port_problem(host, port)
    if problem:
        stderr.print(f"[red]error:[/red] {problem}", soft_wrap=True)
        raise typer.Exit(EXIT_REJECTED)
    settings = get_settings()
    stderr.print(
        f"serving {settings.resolved_database_url} on http://{host}:{port} "
        f"with {workers} worker{'s' if workers > 1 else ''}"
    )
    # Forwarding headers are the app's business (trusted_proxies), not uvicorn's, whose
    # default would believe any X-Forwarded-For sent from this machine.
    uvicorn.run(
        "truceline.app:create_served_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        proxy_headers=False,
        # libuv's event loop and the C HTTP parser: the event loop of a worker hands every
        # request on to threads and back several times, and with the pure-Python ones that
        # hand-over, not the work, limited how many reports a second two workers could take.
        loop="uvloop",
        http="httptools",
        log_level="info",
        timeout_graceful_shutdown=10,
        # uvicorn kills a worker that does not answer its supervisor's ping within this
        # many seconds (default 5), dropping every connection it holds. On a busy machine
        # a loaded worker can miss 5 s while still serving; killing it loses answers.
        timeout_worker_healthcheck=WORKER_HEALTHCHECK_SECONDS,
    )


def port_problem(host: str, port: int) -> str | None:
    """Why the server could not listen on ``host:port`` (None when it can).

    Checked before saying "serving": otherwise the server announces itself, then
    fails with a traceback when another program already holds the port."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as error:
        return f"--host {host}: not an address of this machine ({error.strerror})"
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server does
        try:
            probe.bind(address)
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                return (
                    f"port {port} on {host} is already in use by another program; stop it, "
                    f"or choose another port: truceline serve --port {port + 1} "
                    f"(make run PORT={port + 1})"
                )
            return f"cannot listen on {host}:{port}: {error.strerror}"
    return None
