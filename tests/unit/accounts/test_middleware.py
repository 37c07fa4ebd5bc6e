"""The in-process guards: body size limit (413) and rate limits (429 with Retry-After).

They keep no database state, so they run on SQLite only.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from truceline.app import create_app
from truceline.config import get_settings

from .conftest import Account, bearer, sign_in, token_for
from .test_attacks import app_with


@pytest.fixture
def engine(sqlite_engine: Engine) -> Engine:
    return sqlite_engine


def test_an_oversized_body_is_refused_with_413(
    engine: Engine, monkeypatch: pytest.MonkeyPatch, accounts: dict[str, Account]
) -> None:
    with TestClient(app_with(monkeypatch, max_body_bytes="4096")) as client:
        big = {"name": "mona", "password": "x" * 10_000}
        response = client.post("/api/auth/login", json=big)
        assert response.status_code == 413 and "4096 bytes" in response.json()["detail"]


def test_an_oversized_streamed_body_is_refused_with_413(
    engine: Engine, monkeypatch: pytest.MonkeyPatch, accounts: dict[str, Account]
) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"name": "mona", "password": "'
        for _ in range(10):
            yield b"x" * 1000
        yield b'"}'

    with TestClient(app_with(monkeypatch, max_body_bytes="4096")) as client:
        response = client.post(
            "/api/auth/login", content=chunks(), headers={"Content-Type": "application/json"}
        )
        assert response.status_code == 413


def test_sign_in_is_rate_limited_per_client_with_retry_after(
    engine: Engine, monkeypatch: pytest.MonkeyPatch, accounts: dict[str, Account]
) -> None:
    with TestClient(app_with(monkeypatch, login_rate_per_minute="3")) as client:
        attempts = [
            client.post("/api/auth/login", json={"name": "mona", "password": "x" * 12})
            for _ in range(4)
        ]
    assert [r.status_code for r in attempts] == [401, 401, 401, 429]
    assert int(attempts[-1].headers["retry-after"]) >= 1


def test_intake_is_rate_limited_per_user(
    engine: Engine, monkeypatch: pytest.MonkeyPatch, accounts: dict[str, Account]
) -> None:
    maya, tariq = bearer(token_for(engine, "maya")), bearer(token_for(engine, "tariq"))
    with TestClient(app_with(monkeypatch, intake_rate_per_minute="2")) as client:
        codes = [client.post("/api/intake/test", headers=maya).status_code for _ in range(3)]
        assert codes == [200, 200, 429]
        assert client.post("/api/intake/test", headers=tariq).status_code == 200


def test_an_anonymous_browser_gets_a_csrf_cookie_for_its_forms(engine: Engine) -> None:
    from truceline.app import create_app

    with TestClient(create_app(), base_url="https://testserver") as client:
        page = client.get("/login")
        cookie = client.cookies.get("truceline_csrf")
        assert cookie and f'value="{cookie}"' in page.text
        assert "truceline_csrf" not in client.get("/login").headers.get("set-cookie", "")


def test_a_large_multipart_form_with_its_csrf_field_passes_the_check(
    engine: Engine, monkeypatch: pytest.MonkeyPatch, accounts: dict[str, Account]
) -> None:
    with TestClient(app_with(monkeypatch), base_url="https://testserver") as client:
        csrf = sign_in(client, "tariq")
        broken = client.post(
            "/api/auth/logout",
            content=b"--x\r\nnot a form",
            headers={"Content-Type": "multipart/form-data; boundary=x"},
        )
        assert broken.status_code == 403
        upload = {"evidence": ("photo.jpg", b"\xff" * 3_000_000, "image/jpeg")}
        response = client.post(
            "/logout", data={"csrf_token": csrf}, files=upload, follow_redirects=False
        )
        assert response.status_code == 303


def _sign_in_codes(client: TestClient, forwarded_for: list[str]) -> list[int]:
    return [
        client.post(
            "/api/auth/login",
            json={"name": "mona", "password": "x" * 12},
            headers={"X-Forwarded-For": address},
        ).status_code
        for address in forwarded_for
    ]


def test_x_forwarded_for_is_ignored_when_no_proxy_is_trusted(
    engine: Engine, monkeypatch: pytest.MonkeyPatch, accounts: dict[str, Account]
) -> None:
    app = app_with(monkeypatch, login_rate_per_minute="2")
    with TestClient(app, client=("127.0.0.1", 40000)) as client:
        codes = _sign_in_codes(client, ["198.51.100.1", "198.51.100.2", "198.51.100.3"])
    assert codes == [401, 401, 429]  # one client from localhost, whatever it claims


def test_x_forwarded_for_names_the_client_behind_a_trusted_proxy(
    engine: Engine, monkeypatch: pytest.MonkeyPatch, accounts: dict[str, Account]
) -> None:
    app = app_with(monkeypatch, login_rate_per_minute="2", trusted_proxies='["10.0.0.0/8"]')
    with TestClient(app, client=("10.1.2.3", 40000)) as client:
        first = _sign_in_codes(client, ["198.51.100.1"] * 3)
        # A client cannot pick its address: only the hop the proxy appended counts.
        spoofed = _sign_in_codes(client, ["203.0.113.9, 198.51.100.1"])
        other = _sign_in_codes(client, ["198.51.100.2"])
    assert first == [401, 401, 429]
    assert spoofed == [429]
    assert other == [401]


def test_an_untrusted_peer_cannot_claim_https_for_secure_cookies(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    with TestClient(app_with(monkeypatch), client=("127.0.0.1", 40000)) as client:
        plain = client.get("/", headers={"X-Forwarded-Proto": "https"})
    assert "secure" not in plain.headers["set-cookie"].lower()


def test_tokens_sessions_pages_and_badges_use_the_apps_engine_not_the_configured_one(
    engine: Engine, monkeypatch: pytest.MonkeyPatch, accounts: dict[str, Account], tmp_path: Path
) -> None:
    """The access guards, the request session and the navigation badge all ask the app for its
    engine (``app.state.engine``). Once the app is built, pointing the configured database at
    an empty file changes nothing for it; before, the guards and the badge opened the
    configured default engine and failed there ("no such table")."""
    app = create_app()
    app.state.engine = lambda: engine
    secret = token_for(engine, "farid")
    monkeypatch.setenv("TRUCELINE_DATABASE_URL", f"sqlite:///{tmp_path / 'elsewhere.sqlite3'}")
    get_settings.cache_clear()
    with TestClient(app) as client:
        me = client.get("/api/auth/me", headers=bearer(secret)).json()
        assert me["name"] == "farid" and me["auth_method"] == "token"
        sign_in(client, "farid")
        page = client.get("/notifications")
        assert page.status_code == 200 and 'href="/notifications"' in page.text
