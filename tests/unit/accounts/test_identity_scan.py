"""No API response, page, export or database column reveals a planted reporter identity.

Every GET route of the app (walked from ``app.routes``) is called with
realistic parameters as the public and as every role, by token and by session
cookie. New routes and exports of other contexts are scanned automatically;
contexts that store rows about reporters add a seeder in ``identity_scan.SEEDERS``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from support_leakcheck import assert_no_identity_leak, find_identity_leaks
from truceline.accounts.sealing import SealedIdentity
from truceline.app import create_app
from truceline.db.engine import transaction
from truceline.incidents.models import Incident, Report

from .conftest import Account, bearer, sign_in, token_for
from .identity_scan import (
    PLANTED,
    PLANTED_VALUES,
    collect_responses,
    concrete_urls,
    database_rows,
    plant_identity,
    query_variants,
    route_templates,
    run_exports,
)


def seed_community_report(session: Session, sealed: SealedIdentity) -> None:
    """A community report and released incident that refer to the reporter by pseudonym."""
    when = datetime(2025, 10, 22, 9, 0, tzinfo=UTC)
    incident = Incident(
        code="INC-SCAN",
        occurred_at=when,
        event_type="shelling_artillery_missile_attack",
        verification_state="determined",
        released=True,
        title="Shelling near the border",
    )
    report = Report(
        code="REP-SCAN",
        channel="community",
        source_type="community",
        source_name=sealed.pseudonym,
        submitted_by=sealed.pseudonym,
        text="Mortar rounds landed near the school.",
        content_hash="5" * 64,
    )
    session.add_all([incident, report])


def scan_app(
    app: FastAPI,
    engine: Engine,
    accounts: dict[str, Account],
    sealed: SealedIdentity,
    *,
    every_role: bool = True,
) -> list[tuple[str, bytes]]:
    samples = {"*": ["1", sealed.pseudonym, "INC-SCAN"]}
    query_samples = [sealed.pseudonym, "AF", "1"]
    urls: list[str] = []
    queries: dict[str, list[dict[str, str]]] = {}
    for path in route_templates(app):
        for url in concrete_urls(path, samples):
            urls.append(url)
            queries[url] = query_variants(app, path, query_samples)
    chosen = list(accounts.values()) if every_role else []
    identities = [{}] + [bearer(token_for(engine, a.name)) for a in chosen]
    payloads: list[tuple[str, bytes]] = []
    client = TestClient(app, base_url="https://testserver")
    for headers in identities:
        payloads += collect_responses(client, urls, queries, headers)
    for name in ("carla", "farid") if every_role else ():
        browser = TestClient(app, base_url="https://testserver")
        sign_in(browser, name)
        payloads += collect_responses(browser, urls, queries, {})
    return payloads


def test_no_api_response_or_page_reveals_a_planted_identity(
    engine: Engine,
    accounts: dict[str, Account],
    custodian_keys: Path,
) -> None:
    sealed = plant_identity(engine)
    with transaction(engine) as session:
        seed_community_report(session, sealed)
    app = create_app()
    payloads = scan_app(app, engine, accounts, sealed)
    assert len(payloads) > 100  # the scan really walked the routes as every role
    assert any(sealed.pseudonym.encode() in body for _, body in payloads)
    assert_no_identity_leak(PLANTED_VALUES, payloads)


def test_the_route_scan_catches_a_route_that_leaks(
    engine: Engine,
    accounts: dict[str, Account],
    custodian_keys: Path,
) -> None:
    sealed = plant_identity(engine)
    app = create_app()

    @app.get("/api/careless/{pseudonym}")
    def careless(pseudonym: str) -> dict[str, str]:
        return {"pseudonym": pseudonym, "village": PLANTED.village}

    payloads = scan_app(app, engine, accounts, sealed, every_role=False)
    leaks = find_identity_leaks(PLANTED_VALUES, payloads)
    assert leaks and all("/api/careless/" in leak for leak in leaks)


def test_no_export_reveals_a_planted_identity(
    engine: Engine, accounts: dict[str, Account], custodian_keys: Path, tmp_path: Path
) -> None:
    sealed = plant_identity(engine)
    with transaction(engine) as session:
        seed_community_report(session, sealed)
    outputs = list(run_exports(tmp_path))
    assert any(label.startswith("truceline users list") for label, _ in outputs)
    assert_no_identity_leak(PLANTED_VALUES, outputs)


def test_no_database_column_holds_a_planted_identity_in_clear(
    engine: Engine, accounts: dict[str, Account], custodian_keys: Path
) -> None:
    sealed = plant_identity(engine)
    rows = list(database_rows(engine))
    assert ("protected_identities.pseudonym", sealed.pseudonym) in rows
    assert_no_identity_leak(PLANTED_VALUES, rows)
