"""``truceline serve`` refuses a port it cannot listen on, before saying it is serving."""

from __future__ import annotations

import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from truceline.cli.core import port_problem
from truceline.cli.main import app, build_app

ROOT = Path(__file__).resolve().parents[3]
runner = CliRunner()


@pytest.fixture
def busy_port() -> Iterator[int]:
    """A loopback port another program is listening on."""
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        yield holder.getsockname()[1]


def test_serve_on_a_busy_port_says_so_in_one_line_and_exits_non_zero(busy_port: int) -> None:
    build_app()
    result = runner.invoke(app, ["serve", "--port", str(busy_port)])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    assert f"port {busy_port} on 127.0.0.1 is already in use" in lines[0]
    assert f"PORT={busy_port + 1}" in lines[0]
    assert "serving" not in result.output and "Traceback" not in result.output


def test_a_free_port_has_no_problem() -> None:
    with socket.socket() as finder:
        finder.bind(("127.0.0.1", 0))
        free = finder.getsockname()[1]
    assert port_problem("127.0.0.1", free) is None


def test_an_unknown_host_is_named() -> None:
    assert "--host no-such-host.invalid" in (port_problem("no-such-host.invalid", 8000) or "")


def test_make_run_takes_port_and_host() -> None:
    plan = subprocess.run(
        ["make", "-n", "run", "PORT=8123", "HOST=0.0.0.0"],
        cwd=ROOT, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert "truceline serve --host 0.0.0.0 --port 8123" in plan
