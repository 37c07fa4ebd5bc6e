"""Shared fixtures: databases on both back ends, migrated once per test session.

``engine`` is parametrised over SQLite and PostgreSQL/PostGIS, so a test that
asks for it is a contract test run on both. ``sqlite_engine`` is for tests that
only need a database. PostgreSQL comes from ``TRUCELINE_TEST_PG_URL`` (set by
``make test``); without it the PostgreSQL half is skipped, except under CI,
where a missing server is an error.
"""

from __future__ import annotations

import gzip
import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from truceline.config import get_settings
from truceline.db.engine import make_engine
from truceline.geo.build_gazetteer import DEFAULT_GED
from truceline.profile import initialise
from truceline.startup import wire

PG_URL = os.environ.get("TRUCELINE_TEST_PG_URL")

wire()  # as the app and the CLI do at start-up: audit capture and event subscriptions


@pytest.fixture(scope="session")
def ged_pakistan_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The UCDP GED Pakistan extract (1989-2014, 5,296 events) as a plain CSV, unpacked from
    the copy the repository ships for the demo (so no test depends on data beside it)."""
    path = tmp_path_factory.mktemp("ged") / "ucdp_ged_pakistan_1989_2014.csv"
    path.write_bytes(gzip.decompress(DEFAULT_GED.read_bytes()))
    return path


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An SQLite file with the schema and the profile, copied for each test."""
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    initialise(engine)
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def pg_template() -> Iterator[str]:
    """A PostgreSQL database with the schema and the profile, used as a CREATE DATABASE template."""
    if not PG_URL:
        if os.environ.get("CI"):
            pytest.fail("TRUCELINE_TEST_PG_URL is not set under CI: run `make test`")
        pytest.skip("no PostgreSQL configured (TRUCELINE_TEST_PG_URL)")
    name = f"tl_tmpl_{uuid.uuid4().hex[:10]}"
    _admin(f'CREATE DATABASE "{name}"')
    url = _database_url(name)
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text("CREATE EXTENSION IF NOT EXISTS postgis"))
    initialise(engine)
    engine.dispose()
    yield name
    _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _database_url(name: str) -> str:
    assert PG_URL
    return make_url(PG_URL).set(database=name).render_as_string(hide_password=False)


def _admin(statement: str) -> None:
    assert PG_URL
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(statement))
    admin.dispose()


def _fresh_sqlite(template: Path, tmp_path: Path) -> str:
    path = tmp_path / "truceline.sqlite3"
    shutil.copyfile(template, path)
    return f"sqlite:///{path}"


def _fresh_postgres(template: str) -> str:
    name = f"tl_test_{uuid.uuid4().hex[:12]}"
    _admin(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    return _database_url(name)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(
    request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path
) -> Iterator[str]:
    """A fresh, migrated database with the profile loaded, on each back end."""
    if request.param == "sqlite":
        yield _fresh_sqlite(sqlite_template, tmp_path)
        return
    template = request.getfixturevalue("pg_template")
    url = _fresh_postgres(template)
    yield url
    _admin(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)')


@pytest.fixture
def engine(database_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Engine]:
    """An engine on a fresh database; also the process default for code under test."""
    monkeypatch.setenv("TRUCELINE_DATABASE_URL", database_url)
    monkeypatch.setenv("TRUCELINE_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    eng = make_engine(database_url)
    yield eng
    eng.dispose()
    get_settings.cache_clear()


@pytest.fixture
def sqlite_engine(
    sqlite_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Engine]:
    """An engine on a fresh SQLite database only (for tests that are not back-end contracts)."""
    url = _fresh_sqlite(sqlite_template, tmp_path)
    monkeypatch.setenv("TRUCELINE_DATABASE_URL", url)
    monkeypatch.setenv("TRUCELINE_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    eng = make_engine(url)
    yield eng
    eng.dispose()
    get_settings.cache_clear()
