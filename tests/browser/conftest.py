"""Browser fixtures: a live server on a loopback port and Debian's headless Chromium.

The server runs the real app (plus the tests' stand-in login header) on a fresh
SQLite database seeded with the web test incidents. Every page a test opens
records each request for a non-loopback address and aborts it; the test then
asserts that none was attempted, which proves the pages work offline.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from playwright.sync_api import Browser, sync_playwright
from sqlalchemy.orm import Session

from browser_support import OfflinePage
from support_web import app_with_test_principals, seed_incidents
from truceline.db.engine import make_engine, session_factory, transaction
from truceline.web.deps import get_session

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def live_server(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL of the app served by uvicorn in a thread, on a seeded SQLite copy.

    The app's session dependency is bound to that database, so tests running
    in the same process with other databases cannot redirect the server.
    """
    path = tmp_path_factory.mktemp("browser") / "truceline.sqlite3"
    shutil.copyfile(sqlite_template, path)
    engine = make_engine(f"sqlite:///{path}")
    with transaction(engine) as session:
        seed_incidents(session)

    def session_on_test_database() -> Iterator[Session]:
        with session_factory(engine)() as session, session.begin():
            yield session

    app = app_with_test_principals()
    app.dependency_overrides[get_session] = session_on_test_database
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)
    engine.dispose()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: run scripts/test-services.sh")
        pytest.skip(f"{CHROMIUM} is not installed")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        yield chromium
        chromium.close()


def _open(
    browser: Browser, headers: dict[str, str] | None, **options: object
) -> Iterator[OfflinePage]:
    context = browser.new_context(extra_http_headers=headers or {}, **options)  # type: ignore[arg-type]
    offline = OfflinePage(context)
    yield offline
    context.close()
    assert offline.blocked == [], f"requests left the machine: {offline.blocked}"


@pytest.fixture
def public_page(browser: Browser) -> Iterator[OfflinePage]:
    """A browser tab of an anonymous visitor."""
    yield from _open(browser, None, viewport={"width": 1280, "height": 900})


@pytest.fixture
def mediator_page(browser: Browser) -> Iterator[OfflinePage]:
    """A browser tab acting as a mediator (through the tests' stand-in login header)."""
    yield from _open(browser, {"X-Test-Role": "mediator"}, viewport={"width": 1280, "height": 900})


@pytest.fixture
def phone_page(browser: Browser) -> Iterator[OfflinePage]:
    """A phone-sized tab of an anonymous visitor."""
    yield from _open(
        browser, None, viewport={"width": 390, "height": 844}, device_scale_factor=1, is_mobile=True
    )
