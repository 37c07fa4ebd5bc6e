"""Planting an identity and collecting everything the system could leak it through.

Used by ``test_identity_scan.py``; other contexts extend the scan by adding
seeders to ``SEEDERS`` (rows that refer to the planted reporter) and export
invocations to ``EXPORTS``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import typer
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, inspect, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from truceline.accounts.identities import protect_identity
from truceline.accounts.roles import Principal, Role
from truceline.accounts.sealing import IdentityDetails, SealedIdentity
from truceline.config import get_settings
from truceline.db.base import Base
from truceline.db.engine import transaction
from truceline.db.models_registry import import_all_models
from unit.action_requests.scan_seeder import seed_request_rows
from unit.community.scan_seeder import seed_community_rows
from unit.verification.identity_seed import seed_verification

PLANTED = IdentityDetails(
    name="Zarmina Khattak", phone="+93 70 123 4567", village="Spinkai Raghzai Kalay"
)
PLANTED_VALUES = [PLANTED.name, PLANTED.phone, PLANTED.village]

#: Functions adding rows that refer to the planted reporter's pseudonym.
SEEDERS: list[Callable[[Session, SealedIdentity], None]] = [
    seed_verification,
    seed_community_rows,
    seed_request_rows,
]


def _seed_allegation_and_notices(session: Session, sealed: SealedIdentity) -> None:
    """A community report by the planted reporter, then a party allegation that notifies."""
    from truceline.audit.actor import Actor
    from truceline.incidents.models import Report
    from truceline.warning.services import on_report_stored

    common = {
        "channel": "api",
        "event_type": "cross_border_fire",
        "place_text": "near the crossing",
    }
    session.add(
        Report(
            code="R-SCAN-1",
            source_type="community_reporter",
            submitted_by=sealed.pseudonym,
            content_hash="1" * 64,
            **common,
        )
    )
    allegation = Report(
        code="R-SCAN-2",
        source_type="party_liaison",
        source_party="AF",
        content_hash="2" * 64,
        **common,
    )
    session.add(allegation)
    session.flush()
    on_report_stored(session, allegation, Actor("farid", "party_liaison", "AF"))


SEEDERS.append(_seed_allegation_and_notices)

_TODAY = date.today().isoformat()

#: Export commands to run (argv after ``truceline``); ``{out}`` is replaced by a file path.
EXPORTS: list[list[str]] = [
    [
        "reports",
        "build",
        "--kind",
        "restricted",
        "--period-end",
        _TODAY,
        "-o",
        "{out}",
        "--format",
        "json",
        "--json",
    ],
    [
        "reports",
        "build",
        "--kind",
        "public",
        "--period-end",
        _TODAY,
        "-o",
        "{out}",
        "--format",
        "html",
        "--json",
    ],
    ["users", "list", "--json"],
    ["export", "--format", "truceline-json", "-o", "{out}", "--json"],
    ["export", "--format", "geojson", "-o", "{out}", "--json"],
    ["export", "--format", "acled-csv", "-o", "{out}", "--json"],
    ["audit", "export", "-o", "{out}", "--json"],
    ["verification", "queue", "--json"],
    ["requests", "export", "--format", "stix", "-o", "{out}", "--json"],
    ["requests", "list", "--json"],
]


def plant_identity(engine: Engine) -> SealedIdentity:
    """Seal the planted reporter through intake's path and let every seeder refer to it."""
    with transaction(engine) as session:
        intake = Principal("maya", Role.FIELD_MONITOR)
        sealed = protect_identity(
            session,
            PLANTED,
            kind="community_reporter",
            principal=intake,
            keys_dir=get_settings().resolved_keys_dir,
        )
        for seeder in SEEDERS:
            seeder(session, sealed)
    return sealed


def database_rows(engine: Engine) -> Iterator[tuple[str, str]]:
    """(table.column, text) for every non-empty value stored in every table."""
    import_all_models()
    existing = set(inspect(engine).get_table_names())
    with engine.connect() as connection:
        for table in Base.metadata.sorted_tables:
            if table.name not in existing:
                continue
            for column in table.columns:
                for (value,) in connection.execute(select(column)):
                    if isinstance(value, bytes):
                        value = value.decode("utf-8", "replace")
                    if value is not None:
                        yield f"{table.name}.{column.name}", str(value)


def route_templates(app: FastAPI) -> list[str]:
    """Every GET path of the app (including pages left out of the OpenAPI schema)."""
    import fastapi.routing

    iterate = getattr(fastapi.routing, "iter_route_contexts", None)
    routes: list[Any] = list(iterate(app.routes)) if iterate else list(app.routes)
    paths = []
    for route in routes:
        methods = getattr(route, "methods", None) or set()
        path = getattr(route, "path", None)
        if path and "GET" in methods and not path.startswith(("/docs", "/redoc")):
            paths.append(path)
    return sorted(set(paths))


def concrete_urls(template: str, samples: dict[str, list[str]]) -> list[str]:
    """Fill each ``{param}`` with every realistic sample value for it."""
    names = re.findall(r"{([^}:]+)(?::[^}]*)?}", template)
    urls = [template]
    for name in names:
        values = samples.get(name) or samples["*"]
        urls = [
            re.sub(r"{" + re.escape(name) + r"(?::[^}]*)?}", value, url)
            for url in urls
            for value in values
        ]
    return urls


def query_variants(app: FastAPI, path: str, samples: list[str]) -> list[dict[str, str]]:
    """No query at all, then each documented query parameter set to each sample."""
    operation = app.openapi()["paths"].get(path, {}).get("get", {})
    names = [p["name"] for p in operation.get("parameters", []) if p["in"] == "query"]
    return [{}] + [{name: value} for name in names for value in samples]


def collect_responses(
    client: TestClient,
    urls: list[str],
    queries: dict[str, list[dict[str, str]]],
    headers: dict[str, str],
) -> Iterator[tuple[str, bytes]]:
    for url in urls:
        for params in queries.get(url, [{}]):
            response = client.get(url, params=params, headers=headers)
            assert response.status_code < 500, (url, params, response.text)
            label = f"GET {url}?{params} as {headers.get('Authorization', 'public')[:20]}"
            yield label, response.content + repr(dict(response.headers)).encode()


@functools.cache
def cli_app() -> typer.Typer:
    from truceline.cli.main import build_app

    return build_app()


def command_exists(argv: list[str]) -> bool:
    """Whether the command path (words before the first option) is registered."""
    group: Any = typer.main.get_command(cli_app())
    for word in argv:
        if word.startswith("-"):
            return True
        commands = getattr(group, "commands", None)
        if commands is None:
            return True
        if word not in commands:
            return False
        group = commands[word]
    return True


def run_exports(tmp_path: Path) -> Iterator[tuple[str, str]]:
    """Run every registered export; yield its stdout, stderr and written file."""
    runner = CliRunner()
    for number, template in enumerate(EXPORTS):
        if not command_exists(template):
            continue
        out = tmp_path / f"export-{number}"
        argv = [part.replace("{out}", str(out)) for part in template]
        result = runner.invoke(cli_app(), argv)
        label = "truceline " + " ".join(template)
        yield f"{label} (exit {result.exit_code}) stdout", result.stdout
        yield f"{label} stderr", result.stderr
        if out.exists():
            yield f"{label} file", out.read_text(errors="replace")
