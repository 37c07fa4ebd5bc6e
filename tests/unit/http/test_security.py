"""Security headers on every answer, and Secure cookies over HTTPS."""

from __future__ import annotations

import shutil
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from support_load import running_server
from truceline.app import create_app
from truceline.config import get_settings
from truceline.http.security import CSP


@pytest.fixture
def client(sqlite_engine: Engine) -> TestClient:
    return TestClient(create_app())


@pytest.mark.parametrize("path", ["/", "/incidents", "/intake/report", "/health", "/nowhere"])
def test_every_answer_carries_the_security_headers(client: TestClient, path: str) -> None:
    answer = client.get(path)
    policy = answer.headers["content-security-policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "script-src 'self';" in policy and "'unsafe-inline'" not in policy.split("style-src")[0]
    assert answer.headers["x-frame-options"] == "DENY"
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert answer.headers["referrer-policy"] == "same-origin"


def test_refusals_from_the_guards_carry_them_too(client: TestClient) -> None:
    answer = client.post("/api/intake/reports", headers={"Authorization": "Bearer nope"})
    assert answer.status_code == 401
    assert answer.headers["content-security-policy"] == CSP


def test_no_page_has_an_inline_script(client: TestClient) -> None:
    for path in ["/", "/incidents", "/public", "/agreements", "/docs", "/redoc"]:
        html = client.get(path).text
        assert "<script>" not in html and "<script type" not in html, path
        assert " onclick=" not in html and " onload=" not in html, path


def test_the_api_docs_allow_inline_styles_but_not_inline_scripts(client: TestClient) -> None:
    policy = client.get("/docs").headers["content-security-policy"]
    assert "style-src 'self' 'unsafe-inline'" in policy
    assert "script-src 'self';" in policy


def test_cookies_are_secure_over_https(sqlite_engine: Engine) -> None:
    with TestClient(create_app(), base_url="https://testserver") as client:
        cookie = client.get("/").headers["set-cookie"]
    assert "; Secure" in cookie


def test_cookies_are_secure_when_configured_even_behind_plain_http(
    sqlite_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRUCELINE_SESSION_COOKIE_SECURE", "true")
    get_settings.cache_clear()
    with TestClient(create_app()) as client:
        assert "; Secure" in client.get("/").headers["set-cookie"]


def test_a_trusted_proxy_says_the_request_came_over_https(
    sqlite_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRUCELINE_TRUSTED_PROXIES", '["127.0.0.1"]')
    get_settings.cache_clear()
    with TestClient(create_app(), client=("127.0.0.1", 40000)) as client:
        cookie = client.get("/", headers={"X-Forwarded-Proto": "https"}).headers["set-cookie"]
    assert "; Secure" in cookie


def test_the_served_app_does_not_believe_x_forwarded_for_from_localhost(
    sqlite_template: Path, tmp_path: Path
) -> None:
    """uvicorn's default trusts forwarding headers from 127.0.0.1; ``serve`` must not."""
    database = tmp_path / "truceline.sqlite3"
    shutil.copyfile(sqlite_template, database)
    url = f"sqlite:///{database}"
    env = {"TRUCELINE_LOGIN_RATE_PER_MINUTE": "2"}
    with running_server(
        url, tmp_path / "data", workers=1, log=tmp_path / "serve.log", env=env
    ) as base:
        codes = [
            httpx.post(
                f"{base}/api/auth/login",
                json={"name": "nobody", "password": "x" * 12},
                headers={"X-Forwarded-For": f"198.51.100.{n}"},
            ).status_code
            for n in range(3)
        ]
    assert codes == [401, 401, 429]
