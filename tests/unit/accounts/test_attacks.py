"""Attacks on access control that touch the database, each tested on both back ends.

Forged, expired and revoked tokens; CSRF; reaching another party's records by
id (IDOR); SQL injection through every filter parameter of the accounts API;
password guessing. Oversized bodies and floods are in ``test_middleware.py``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Annotated, Any

import pytest
from fastapi import APIRouter, FastAPI, HTTPException
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select

from truceline.accounts.access import Access, Authorized
from truceline.accounts.credentials import digest
from truceline.accounts.models import ApiToken, User
from truceline.accounts.policy import Action, ResourceType
from truceline.app import create_app
from truceline.config import get_settings
from truceline.db.base import utcnow
from truceline.db.engine import transaction
from truceline.http.deps import CurrentPrincipal, SessionDep
from truceline.incidents.models import Report

from .conftest import ACCOUNTS, PASSWORD, Account, bearer, sign_in, token_for

# --- a router shaped like the ones other contexts build on the policy --------------

party_records = APIRouter()


@party_records.get("/api/test/reports/{report_id}")
def read_report(
    report_id: int,
    session: SessionDep,
    access: Annotated[Access, Authorized(Action.READ, ResourceType.REPORT)],
) -> dict[str, Any]:
    report = session.get(Report, report_id)
    if report is None:
        raise HTTPException(404, f"no report {report_id}")
    access.require(report)
    return {"code": report.code, "text": report.text}


@party_records.get("/api/test/reports")
def list_reports(
    session: SessionDep, access: Annotated[Access, Authorized(Action.READ, ResourceType.REPORT)]
) -> list[str]:
    return list(session.scalars(select(Report.code).where(access.filter(Report))))


@party_records.post("/api/intake/test")
def intake(principal: CurrentPrincipal) -> dict[str, str]:
    return {"received_from": principal.name}


def app_with(monkeypatch: pytest.MonkeyPatch, **settings: str) -> FastAPI:
    for name, value in settings.items():
        monkeypatch.setenv(f"TRUCELINE_{name.upper()}", value)
    get_settings.cache_clear()
    app = create_app()
    app.include_router(party_records)
    return app


@pytest.fixture
def attack_client(
    engine: Engine, monkeypatch: pytest.MonkeyPatch, accounts: dict[str, Account]
) -> Iterator[TestClient]:
    with TestClient(app_with(monkeypatch), base_url="https://testserver") as client:
        yield client


# --- tokens ------------------------------------------------------------------------


FORGED_AUTHORIZATIONS = [
    "Bearer tl_" + "A" * 43,  # well-formed but never issued
    "Bearer not-a-token",
    "Bearer ",
    "Basic ZmFyaWQ6cGFzc3dvcmQ=",
    "Bearer tl_" + "' OR '1'='1",
]


def test_a_forged_token_is_refused_not_treated_as_anonymous(attack_client: TestClient) -> None:
    for header in FORGED_AUTHORIZATIONS:
        response = attack_client.get("/api/auth/me", headers={"Authorization": header})
        assert response.status_code == 401, header
        assert response.json()["detail"] == "invalid, expired or revoked API token"
        assert "invalid_token" in response.headers["www-authenticate"]


def test_an_expired_token_is_refused(engine: Engine, attack_client: TestClient) -> None:
    secret = token_for(engine, "farid")
    with transaction(engine) as session:
        token = session.scalars(select(ApiToken).where(ApiToken.token_hash == digest(secret))).one()
        token.expires_at = utcnow() - timedelta(seconds=1)
    assert attack_client.get("/api/auth/me", headers=bearer(secret)).status_code == 401


def test_a_revoked_token_is_refused_at_once(engine: Engine, attack_client: TestClient) -> None:
    secret, admin = token_for(engine, "farid"), token_for(engine, "ada")
    assert attack_client.get("/api/auth/me", headers=bearer(secret)).status_code == 200
    with transaction(engine) as session:
        token_id = session.scalars(
            select(ApiToken.id).where(ApiToken.token_hash == digest(secret))
        ).one()
    attack_client.delete(f"/api/auth/tokens/{token_id}", headers=bearer(admin))
    assert attack_client.get("/api/auth/me", headers=bearer(secret)).status_code == 401


def test_a_token_of_a_disabled_user_is_refused(engine: Engine, attack_client: TestClient) -> None:
    secret = token_for(engine, "farid")
    with transaction(engine) as session:
        session.scalars(select(User).where(User.name == "farid")).one().disabled = True
    assert attack_client.get("/api/auth/me", headers=bearer(secret)).status_code == 401


def test_a_token_without_the_scope_is_refused_with_the_missing_scope(
    engine: Engine, attack_client: TestClient
) -> None:
    secret = token_for(engine, "mona", ["incidents:read"])
    response = attack_client.get("/api/test/reports", headers=bearer(secret))
    assert response.status_code == 403 and "reports:read" in response.json()["detail"]


# --- CSRF --------------------------------------------------------------------------


def test_a_cookie_request_without_the_csrf_token_is_refused(attack_client: TestClient) -> None:
    sign_in(attack_client, "mona")
    response = attack_client.post("/api/auth/logout")
    assert response.status_code == 403 and "CSRF token missing" in response.json()["detail"]
    assert attack_client.get("/api/auth/me").json()["signed_in"] is True


def test_a_cookie_request_with_a_wrong_csrf_token_is_refused(
    attack_client: TestClient, make_client: Callable[[], TestClient]
) -> None:
    sign_in(attack_client, "mona")
    other_sessions_token = sign_in(make_client(), "tariq")
    for token in ("forged", other_sessions_token):
        response = attack_client.post("/api/auth/logout", headers={"X-CSRF-Token": token})
        assert response.status_code == 403 and "CSRF token wrong" in response.json()["detail"]


def test_a_csrf_token_in_a_form_field_is_accepted(attack_client: TestClient) -> None:
    csrf = sign_in(attack_client, "mona")
    response = attack_client.post("/logout", data={"csrf_token": csrf}, follow_redirects=False)
    assert response.status_code == 303
    assert attack_client.get("/api/auth/me").json()["signed_in"] is False


def test_a_forged_sign_in_form_is_refused(attack_client: TestClient) -> None:
    form = {"name": "mona", "password": PASSWORD}
    response = attack_client.post("/login", data=form, follow_redirects=False)
    assert response.status_code == 403
    forged = attack_client.post("/login", data={**form, "csrf_token": "x" * 40})
    assert forged.status_code == 403


def test_token_requests_need_no_csrf_token(engine: Engine, attack_client: TestClient) -> None:
    admin = bearer(token_for(engine, "ada"))
    response = attack_client.post(
        "/api/auth/tokens", json={"user": "maya", "scopes": ["intake:write"]}, headers=admin
    )
    assert response.status_code == 201


# --- reaching another party's records by id ---------------------------------------


def _seed_reports(engine: Engine) -> dict[str, int]:
    with transaction(engine) as session:
        rows = {
            party: Report(
                code=f"REP-{party}",
                channel="party",
                source_type="party",
                source_party=party,
                text=f"{party} internal account",
                content_hash=party * 32,
            )
            for party in ("AF", "PK")
        }
        session.add_all(rows.values())
        session.flush()
        return {party: row.id for party, row in rows.items()}


ALLEGATION = {
    "source_type": "party_liaison",
    "reliability": "B",
    "credibility": 3,
    "occurred_at": "2025-10-17T21:30:00+05:00",
    "time_precision": 0,
    "lat": 32.93,
    "lon": 69.17,
    "event_type": "air_drone_strike",
    "targets": ["civilians"],
    "casualties": {"civilians": 10},
}


def _file_allegations(engine: Engine, client: TestClient) -> dict[str, dict[str, Any]]:
    """Each party's liaison files its allegation through the real intake route."""
    filed = {}
    for party, name in (("AF", "farid"), ("PK", "sana")):
        body = ALLEGATION | {
            "source_party": party,
            "source_name": f"{party} liaison office",
            "text": f"{party} confidential allegation about the strike",
        }
        response = client.post(
            "/api/intake/reports", json=body, headers=bearer(token_for(engine, name))
        )
        assert response.status_code == 201, response.text
        filed[party] = response.json()["report"]
    return filed


def _as(engine: Engine, make_client: Callable[[], TestClient], name: str, how: str) -> Any:
    """A GET function acting as ``name`` with a scoped API token or a signed-in session."""
    browser = make_client()
    if how == "token":
        headers = bearer(token_for(engine, name, ["reports:read", "incidents:read"]))
        return lambda url: browser.get(url, headers=headers)
    sign_in(browser, name)
    return browser.get


@pytest.mark.parametrize("how", ["token", "session"])
@pytest.mark.parametrize(("name", "own", "other"), [("farid", "AF", "PK"), ("sana", "PK", "AF")])
def test_a_liaison_cannot_read_the_other_partys_report_by_id(
    engine: Engine,
    attack_client: TestClient,
    make_client: Callable[[], TestClient],
    name: str,
    own: str,
    other: str,
    how: str,
) -> None:
    filed = _file_allegations(engine, attack_client)
    get = _as(engine, make_client, name, how)
    mine = get(f"/api/intake/reports/{filed[own]['id']}")
    assert mine.status_code == 200 and mine.json()["source_party"] == own
    theirs = get(f"/api/intake/reports/{filed[other]['id']}")
    assert theirs.status_code == 403, theirs.text
    assert f"{other} confidential" not in theirs.text and "own reports" in theirs.text


@pytest.mark.parametrize("how", ["token", "session"])
def test_a_liaison_lists_only_its_own_partys_reports(
    engine: Engine,
    attack_client: TestClient,
    make_client: Callable[[], TestClient],
    how: str,
) -> None:
    _file_allegations(engine, attack_client)
    for name, party in (("farid", "AF"), ("sana", "PK")):
        for query in ("", "?unlinked=true"):
            listed = _as(engine, make_client, name, how)(f"/api/intake/reports{query}")
            assert listed.status_code == 200
            assert {r["source_party"] for r in listed.json()} <= {party}
        assert [r["source_party"] for r in listed.json()] in ([], [party])
    everything = _as(engine, make_client, "farid", how)("/api/intake/reports").json()
    assert [r["source_party"] for r in everything] == ["AF"]


@pytest.mark.parametrize("name", ["ada", "elder-gul"])
def test_the_admin_and_the_community_liaison_read_no_party_allegation(
    engine: Engine, attack_client: TestClient, make_client: Callable[[], TestClient], name: str
) -> None:
    filed = _file_allegations(engine, attack_client)
    get = _as(engine, make_client, name, "session")
    for report in filed.values():
        response = get(f"/api/intake/reports/{report['id']}")
        assert response.status_code == 403 and "confidential" not in response.text
    listed = get("/api/intake/reports")
    assert "confidential" not in listed.text
    assert listed.status_code == 403 or listed.json() == []


def test_the_community_liaison_gets_no_analysis_of_an_unreleased_incident(
    engine: Engine, attack_client: TestClient, make_client: Callable[[], TestClient]
) -> None:
    filed = _file_allegations(engine, attack_client)
    incident_id = filed["AF"]["incident_ids"][0]
    elder = bearer(token_for(engine, "elder-gul"))
    own = attack_client.post(
        "/api/intake/reports",
        json=ALLEGATION | {"source_type": "community_reporter", "text": "Homes hit in Urgun"},
        headers=elder,
    )
    assert own.status_code == 201, own.text
    for url in (
        f"/api/incidents/{incident_id}/corroboration",
        f"/api/intake/reports/{own.json()['report']['id']}/candidates",
    ):
        response = attack_client.get(url, headers=elder)
        assert response.status_code == 403, (url, response.text)
    mediator = bearer(token_for(engine, "mona"))
    analysed = attack_client.get(f"/api/incidents/{incident_id}/corroboration", headers=mediator)
    assert analysed.status_code == 200 and analysed.json()["alleging_parties"] == ["AF", "PK"]


def test_a_liaison_sees_corroboration_naming_only_its_own_partys_sources(
    engine: Engine, attack_client: TestClient
) -> None:
    filed = _file_allegations(engine, attack_client)
    incident_id = filed["AF"]["incident_ids"][0]
    farid = bearer(token_for(engine, "farid"))
    seen = attack_client.get(f"/api/incidents/{incident_id}/corroboration", headers=farid).json()
    assert seen["reports"] == 2 and seen["alleging_parties"] == ["AF", "PK"]
    assert [s["source_name"] for s in seen["sources"]] == ["AF liaison office"]


def test_the_public_cannot_read_a_report_by_id(engine: Engine, attack_client: TestClient) -> None:
    ids = _seed_reports(engine)
    response = attack_client.get(f"/api/test/reports/{ids['AF']}")
    assert response.status_code == 401 and "sign in required" in response.json()["detail"]


def test_a_liaison_cannot_see_or_revoke_the_other_partys_tokens(
    engine: Engine, attack_client: TestClient
) -> None:
    token_for(engine, "sana")
    farid = bearer(token_for(engine, "farid"))
    listed = attack_client.get("/api/auth/tokens?user=sana", headers=farid)
    assert listed.status_code == 403
    with transaction(engine) as session:
        sana_token = session.scalars(
            select(ApiToken.id).join(User).where(User.name == "sana")
        ).one()
    assert attack_client.delete(f"/api/auth/tokens/{sana_token}", headers=farid).status_code == 403
    with transaction(engine) as session:
        assert session.get(ApiToken, sana_token).revoked_at is None  # type: ignore[union-attr]


def test_a_liaison_cannot_list_accounts(engine: Engine, attack_client: TestClient) -> None:
    response = attack_client.get("/api/auth/users", headers=bearer(token_for(engine, "farid")))
    assert response.status_code == 403
    assert "administrator" in response.json()["detail"]


# --- SQL injection through every filter --------------------------------------------

INJECTIONS = [
    "' OR '1'='1",
    "AF' OR 1=1 --",
    "'; DROP TABLE users; --",
    '" OR ""="',
    "AF' UNION SELECT password_hash FROM users --",
    "%' OR party LIKE '%",
]


def _query_filters(app: FastAPI) -> list[tuple[str, str]]:
    """(path, parameter) for every query parameter of every GET route of the accounts API."""
    found = []
    for path, operations in app.openapi()["paths"].items():
        for parameter in operations.get("get", {}).get("parameters", []):
            if parameter["in"] == "query" and path.startswith("/api/auth"):
                found.append((path, parameter["name"]))
    return found


def test_sql_injection_through_any_filter_changes_nothing(
    engine: Engine, attack_client: TestClient
) -> None:
    admin = bearer(token_for(engine, "ada"))
    filters = _query_filters(attack_client.app)  # type: ignore[arg-type]
    assert ("/api/auth/users", "party") in filters and ("/api/auth/tokens", "user") in filters
    for path, parameter in filters:
        for payload in INJECTIONS:
            response = attack_client.get(path, params={parameter: payload}, headers=admin)
            assert response.status_code in (200, 403, 404, 422), (path, parameter, payload)
            if response.status_code == 200:
                assert response.json() == [], (path, parameter, payload)
    with transaction(engine) as session:
        assert session.scalar(select(func.count()).select_from(User)) == len(ACCOUNTS)


# --- guessing ---------------------------------------------------------------------


def test_password_guessing_locks_the_account(
    engine: Engine, monkeypatch: pytest.MonkeyPatch, accounts: dict[str, Account]
) -> None:
    app = app_with(monkeypatch, login_max_failures="3", login_rate_per_minute="100")
    with TestClient(app) as client:
        for _ in range(3):
            guess = client.post("/api/auth/login", json={"name": "mona", "password": "g" * 12})
            assert guess.status_code == 401
        right = client.post("/api/auth/login", json={"name": "mona", "password": PASSWORD})
        assert right.status_code == 401
    with transaction(engine) as session:
        mona = session.scalars(select(User).where(User.name == "mona")).one()
        assert mona.locked_until is not None and mona.locked_until > utcnow()
