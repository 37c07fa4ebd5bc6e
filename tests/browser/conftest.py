"""Browser fixtures: a live server on a loopback port and Debian's headless Chromium.

The server runs the real app on a fresh database seeded with the web test
incidents and one account per role: SQLite for ``live_server`` and
``private_server``, each back end in turn (SQLite, PostgreSQL/PostGIS) for
``backend_server``. ``page_as("mediator")`` opens a tab signed in through the
real sign-in API (its session cookie). Every page a test opens records each
request for a non-loopback address and aborts it; the test then asserts that
none was attempted, which proves the pages work offline.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from playwright.sync_api import Browser, sync_playwright
from sqlalchemy.orm import Session

from browser_support import OfflinePage
from support_web import (
    FAST_HASHER,
    PASSWORD,
    USERS,
    crowd_rows,
    seed_findings,
    seed_incidents,
    seed_users,
)
from truceline.accounts import services
from truceline.app import create_app
from truceline.config import get_settings
from truceline.db.engine import make_engine, session_factory, transaction
from truceline.exchange.bulk import bulk_insert
from truceline.http.deps import get_session
from truceline.incidents.models import Incident
from truceline.warning.notify import WEB_REQUEST
from truceline.web.map_clusters import POINTS_MAX

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


#: Base URL of each running test server -> its back end ("sqlite" or "postgresql").
SERVER_BACKENDS: dict[str, str] = {}


@contextmanager
def serve_seeded(database_url: str, folder: Path) -> Iterator[str]:
    """Seed the migrated database at ``database_url`` and serve the app on it with uvicorn
    in a thread; yields the base URL.

    The app's session dependency is bound to that database, so tests running
    in the same process with other databases cannot redirect the server.
    """
    engine = make_engine(database_url)
    patch = pytest.MonkeyPatch()
    patch.setattr(services, "_hasher", FAST_HASHER)
    # The access middleware opens its own sessions on the default engine: point it here too
    # (a unit test's ``engine`` fixture on the same worker restores this value when it ends).
    patch.setenv("TRUCELINE_DATABASE_URL", database_url)
    patch.setenv("TRUCELINE_DATA_DIR", str(folder / "data"))
    # Every test signs in afresh from 127.0.0.1; the limiter itself is tested in accounts.
    patch.setenv("TRUCELINE_LOGIN_RATE_PER_MINUTE", "10000")
    get_settings.cache_clear()
    with transaction(engine) as session:
        seed_incidents(session)
        seed_findings(session)
        seed_users(session)

    def session_on_test_database() -> Iterator[Session]:
        with session_factory(engine)() as session, session.begin():
            session.info[WEB_REQUEST] = True  # as ``get_session`` does
            session.info["settings"] = get_settings()
            yield session

    app = create_app()
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
    base_url = f"http://127.0.0.1:{port}"
    SERVER_BACKENDS[base_url] = engine.dialect.name
    try:
        yield base_url
    finally:
        SERVER_BACKENDS.pop(base_url, None)
        server.should_exit = True
        thread.join(timeout=10)
        engine.dispose()
        patch.undo()
        get_settings.cache_clear()


@contextmanager
def serve_seeded_copy(sqlite_template: Path, folder: Path) -> Iterator[str]:
    """Serve the app on a seeded copy of the SQLite template (see ``serve_seeded``)."""
    path = folder / "truceline.sqlite3"
    shutil.copyfile(sqlite_template, path)
    with serve_seeded(f"sqlite:///{path}", folder) as url:
        yield url


@pytest.fixture(scope="session")
def live_server(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL of the shared, read-only test server (tests must not change its data)."""
    with serve_seeded_copy(sqlite_template, tmp_path_factory.mktemp("browser")) as url:
        yield url


@pytest.fixture
def private_server(sqlite_template: Path, tmp_path: Path) -> Iterator[str]:
    """A server of its own on SQLite, for a test that files or changes records."""
    with serve_seeded_copy(sqlite_template, tmp_path) as url:
        yield url


@pytest.fixture
def crowded_server(sqlite_template: Path, tmp_path: Path) -> Iterator[str]:
    """A server of its own whose database also holds more incidents than a wide map view
    shows as points (``support_web.crowd_rows``)."""
    path = tmp_path / "truceline.sqlite3"
    shutil.copyfile(sqlite_template, path)
    engine = make_engine(f"sqlite:///{path}")
    with transaction(engine) as session:
        table: Any = Incident.__table__
        bulk_insert(session, table, crowd_rows(2 * POINTS_MAX + 100))
    engine.dispose()
    with serve_seeded(f"sqlite:///{path}", tmp_path) as url:
        yield url


@pytest.fixture
def backend_server(database_url: str, tmp_path: Path) -> Iterator[str]:
    """A server of its own on each back end, for a test that files or changes records.

    Parametrised through ``database_url`` (``tests/conftest.py``): ``sqlite`` and
    ``postgres`` (marked ``postgres``: skipped without ``TRUCELINE_TEST_PG_URL``,
    an error under CI). A test that seeds more records asks for ``database_url``
    too and writes through an engine on it; screenshots taken on PostgreSQL get
    a ``-postgresql`` suffix (see ``page_as``).
    """
    with serve_seeded(database_url, tmp_path) as url:
        yield url


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


def _open(browser: Browser, **options: object) -> Iterator[OfflinePage]:
    context = browser.new_context(**options)  # type: ignore[arg-type]
    offline = OfflinePage(context)
    yield offline
    context.close()
    assert offline.blocked == [], f"requests left the machine: {offline.blocked}"


def sign_in(offline: OfflinePage, base_url: str, key: str) -> None:
    """Sign the tab's browser context in as ``USERS[key]`` (its cookies hold the session)."""
    response = offline.context.request.post(
        f"{base_url}/api/auth/login", data={"name": USERS[key][0], "password": PASSWORD}
    )
    assert response.ok, response.text()


@pytest.fixture
def public_page(browser: Browser) -> Iterator[OfflinePage]:
    """A browser tab of an anonymous visitor."""
    yield from _open(browser, viewport={"width": 1280, "height": 900})


@pytest.fixture
def page_as(browser: Browser, live_server: str) -> Iterator[Callable[..., OfflinePage]]:
    """Open tabs signed in as a role's account: ``page_as("liaison_af")`` (or ``key=None``:
    anonymous), on ``live_server`` unless another ``base_url`` is given (e.g. ``backend_server``)."""
    opened: list[Iterator[OfflinePage]] = []

    def open_as(key: str | None, base_url: str = live_server, **options: object) -> OfflinePage:
        tab = _open(browser, **(options or {"viewport": {"width": 1280, "height": 900}}))
        opened.append(tab)
        offline = next(tab)
        # Tests run on both back ends keep one screenshot each; SQLite's keep their names.
        backend = SERVER_BACKENDS.get(base_url, "sqlite")
        offline.screenshot_suffix = "" if backend == "sqlite" else f"-{backend}"
        if key is not None:
            sign_in(offline, base_url, key)
        return offline

    yield open_as
    for tab in opened:
        next(tab, None)


@pytest.fixture
def mediator_page(page_as: Callable[[str], OfflinePage]) -> OfflinePage:
    """A browser tab signed in as the mediator."""
    return page_as("mediator")


@pytest.fixture
def phone_page(browser: Browser) -> Iterator[OfflinePage]:
    """A phone-sized tab of an anonymous visitor."""
    yield from _open(
        browser, viewport={"width": 390, "height": 844}, device_scale_factor=1, is_mobile=True
    )
