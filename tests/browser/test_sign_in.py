"""Signing in and out in a real browser: cookies, CSRF field, errors next to the field."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from argon2 import PasswordHasher
from playwright.sync_api import Browser
from sqlalchemy import Engine

from truceline.accounts import services
from truceline.app import create_app
from truceline.audit.actor import SYSTEM
from truceline.db.engine import transaction

playwright_api = pytest.importorskip("playwright.sync_api")
CHROMIUM = Path("/usr/bin/chromium")
PASSWORD = "correct horse battery staple"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Chromium not installed"),
]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def live_server(sqlite_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setattr(
        services, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    )
    with transaction(sqlite_engine) as session:
        services.create_user(
            session, name="sana", role="party_liaison", party="PK", password=PASSWORD, actor=SYSTEM
        )
    port = _free_port()
    config = uvicorn.Config(create_app(), host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=5)


def test_a_liaison_signs_in_and_out_in_the_browser(live_server: str, browser: Browser) -> None:
    # The shared Chromium of tests/browser/conftest.py: a second sync Playwright in the
    # same process (xdist worker) would refuse to start inside the first one's loop.
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(f"{live_server}/login?next=/api/auth/me")
        page.fill("#name", "sana")
        page.fill("#password", "not the password")
        page.click("button[type=submit]")
        assert "Sign-in failed" in page.inner_text("#password-error")
        assert page.input_value("#name") == "sana"
        page.fill("#password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url("**/api/auth/me")
        assert '"party":"PK"' in page.content()
        session_cookie = next(c for c in page.context.cookies() if c["name"] == "truceline_session")
        assert session_cookie["httpOnly"] and session_cookie["sameSite"] == "Lax"
    finally:
        context.close()
