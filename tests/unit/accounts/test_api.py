"""The accounts HTTP routes: sign-in and out (JSON and form), who am I, token management."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from .conftest import PASSWORD, Account, bearer, sign_in, token_for


@pytest.fixture
def engine(sqlite_engine: Engine) -> Engine:
    """These tests exercise HTTP and CLI behaviour; the back-end contracts are elsewhere."""
    return sqlite_engine


def test_json_sign_in_sets_an_httponly_lax_session_cookie(
    client: TestClient, accounts: dict[str, Account]
) -> None:
    response = client.post("/api/auth/login", json={"name": "farid", "password": PASSWORD})
    assert response.status_code == 200
    cookie = response.headers["set-cookie"]
    assert "truceline_session=" in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie
    assert response.json()["user"]["party"] == "AF"
    me = client.get("/api/auth/me").json()
    assert me["name"] == "farid" and me["auth_method"] == "session" and me["signed_in"]
    assert me["csrf_token"] == response.json()["csrf_token"]


def test_a_failed_sign_in_does_not_say_whether_the_user_exists(
    client: TestClient, accounts: dict[str, Account]
) -> None:
    wrong = client.post("/api/auth/login", json={"name": "farid", "password": "x" * 12})
    missing = client.post("/api/auth/login", json={"name": "nobody", "password": "x" * 12})
    assert wrong.status_code == missing.status_code == 401
    assert wrong.json() == missing.json()


def test_the_public_is_who_asks_without_credentials(client: TestClient) -> None:
    me = client.get("/api/auth/me").json()
    assert me == {
        "name": "public",
        "role": "public",
        "party": None,
        "custodian": False,
        "signed_in": False,
        "auth_method": None,
        "scopes": None,
        "csrf_token": None,
    }


def test_sign_out_ends_the_session(client: TestClient, accounts: dict[str, Account]) -> None:
    csrf = sign_in(client, "mona")
    assert client.post("/api/auth/logout", headers={"X-CSRF-Token": csrf}).status_code == 200
    assert client.get("/api/auth/me").json()["signed_in"] is False


def test_the_sign_in_page_posts_back_with_a_csrf_field_and_redirects(
    client: TestClient, accounts: dict[str, Account]
) -> None:
    page = client.get("/login?next=/incidents")
    assert page.status_code == 200 and 'name="csrf_token"' in page.text
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert csrf is not None
    form = {
        "name": "tariq",
        "password": PASSWORD,
        "csrf_token": csrf.group(1),
        "next": "/incidents",
    }
    response = client.post("/login", data=form, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/incidents"
    assert client.get("/api/auth/me").json()["name"] == "tariq"


def test_the_sign_in_page_shows_errors_next_to_the_field(
    client: TestClient, accounts: dict[str, Account]
) -> None:
    page = client.get("/login")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert csrf is not None
    empty = client.post("/login", data={"name": "", "password": "", "csrf_token": csrf.group(1)})
    assert empty.status_code == 400
    assert 'id="name-error"' in empty.text and "Enter your user name." in empty.text
    wrong = client.post(
        "/login", data={"name": "tariq", "password": "x" * 12, "csrf_token": csrf.group(1)}
    )
    assert wrong.status_code == 401 and 'id="password-error"' in wrong.text
    assert 'value="tariq"' in wrong.text


def test_the_sign_in_page_never_redirects_to_another_site(
    client: TestClient, accounts: dict[str, Account]
) -> None:
    page = client.get("/login")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert csrf is not None
    form = {
        "name": "tariq",
        "password": PASSWORD,
        "csrf_token": csrf.group(1),
        "next": "//evil.example/",
    }
    response = client.post("/login", data=form, follow_redirects=False)
    assert response.headers["location"] == "/"


def test_the_admin_issues_lists_and_revokes_tokens(
    engine: Engine, client: TestClient, accounts: dict[str, Account]
) -> None:
    admin = bearer(token_for(engine, "ada", ["accounts:read", "accounts:write"]))
    issued = client.post(
        "/api/auth/tokens", json={"user": "maya", "scopes": ["intake:write"]}, headers=admin
    )
    assert issued.status_code == 201
    secret, token_id = issued.json()["secret"], issued.json()["token"]["id"]
    assert client.get("/api/auth/me", headers=bearer(secret)).json()["name"] == "maya"
    listed = client.get("/api/auth/tokens?user=maya", headers=admin).json()
    assert [t["id"] for t in listed] == [token_id] and "secret" not in listed[0]
    revoked = client.delete(f"/api/auth/tokens/{token_id}", headers=admin)
    assert revoked.status_code == 200 and revoked.json()["revoked_at"]
    assert client.get("/api/auth/me", headers=bearer(secret)).status_code == 401


def test_unknown_scopes_get_a_clear_422(
    engine: Engine, client: TestClient, accounts: dict[str, Account]
) -> None:
    admin = bearer(token_for(engine, "ada"))
    response = client.post(
        "/api/auth/tokens", json={"user": "maya", "scopes": ["root"]}, headers=admin
    )
    assert response.status_code == 422 and "unknown root" in response.json()["detail"]


def test_everyone_sees_only_their_own_tokens(
    engine: Engine, make_client: Callable[[], TestClient], accounts: dict[str, Account]
) -> None:
    token_for(engine, "sana")
    farid = token_for(engine, "farid")
    listed = make_client().get("/api/auth/tokens", headers=bearer(farid)).json()
    assert {t["user"] for t in listed} == {"farid"}


def test_the_policy_endpoint_tells_a_role_what_it_may_do(
    engine: Engine, client: TestClient, accounts: dict[str, Account]
) -> None:
    public = client.get("/api/auth/policy").json()
    assert public["party_note"] == [] and "verify" in public["audit_log"]
    liaison = client.get("/api/auth/policy", headers=bearer(token_for(engine, "farid"))).json()
    assert "read" in liaison["party_note"] and "reveal" not in liaison["reporter_identity"]
