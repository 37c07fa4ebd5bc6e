"""``truceline reports build`` and ``/api/periodic-reports``: formats, errors, access."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from typer.testing import CliRunner

from truceline.accounts import services as accounts
from truceline.accounts.credentials import issue_token
from truceline.accounts.policy import KNOWN_SCOPES
from truceline.app import create_app
from truceline.audit.actor import SYSTEM
from truceline.audit.models import AuditEntry
from truceline.cli.main import build_app
from truceline.config import get_settings
from truceline.db.engine import transaction

from .conftest import WEEK_END


@pytest.fixture
def engine(sqlite_engine: Engine) -> Engine:
    return sqlite_engine


def build(*args: str) -> tuple[int, Any]:
    argv = ["reports", "build", "--period-end", WEEK_END, *args, "--json"]
    result = CliRunner().invoke(build_app(), argv)
    return result.exit_code, json.loads(result.stdout)


def test_build_writes_each_format_and_logs_its_digest(
    engine: Engine, week: dict[str, Any], tmp_path: Path
) -> None:
    for fmt in ("json", "html", "pdf"):
        out = tmp_path / f"week.{fmt}"
        code, body = build("--kind", "public", "-o", str(out), "--format", fmt)
        assert code == 0 and body["bytes"] == out.stat().st_size > 0
    assert (tmp_path / "week.pdf").read_bytes().startswith(b"%PDF")
    with transaction(engine) as session:
        issued = session.scalars(
            select(AuditEntry.object_id).where(AuditEntry.action == "reports.issue")
        ).all()
    assert issued == ["public:2025-10-25:2025-11-01"] * 3


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--kind", "secret"], "--kind public|restricted"),
        (["--kind", "public", "--format", "docx"], "--format pdf|html|json"),
        (["--kind", "public", "--days", "0"], "1 to 366 days"),
        (["--kind", "public", "--lang", "de"], "lang: 'de' is not a report language"),
    ],
)
def test_bad_options_exit_2_naming_the_option(
    engine: Engine, tmp_path: Path, args: list[str], message: str
) -> None:
    code, body = build(*args, "-o", str(tmp_path / "x"))
    assert code == 2 and message in body["error"]
    assert not (tmp_path / "x").exists()


@pytest.fixture
def client(engine: Engine) -> Iterator[TestClient]:
    with TestClient(create_app(), base_url="https://testserver") as test_client:
        yield test_client


def _bearer(engine: Engine, name: str, role: str, party: str | None) -> dict[str, str]:
    with transaction(engine) as session:
        user = accounts.create_user(session, name=name, role=role, party=party, actor=SYSTEM)
        _, secret = issue_token(
            session, settings=get_settings(), user=user, scopes=sorted(KNOWN_SCOPES), actor=SYSTEM
        )
    return {"Authorization": f"Bearer {secret}"}


def test_the_public_report_is_public_and_the_restricted_one_is_not(
    client: TestClient, engine: Engine, week: dict[str, Any]
) -> None:
    url = f"/api/periodic-reports/{{}}?period_end={WEEK_END}"
    public = client.get(url.format("public"))
    assert public.status_code == 200 and public.json()["kind"] == "public"
    assert client.get(url.format("restricted")).status_code == 401
    monitor = _bearer(engine, "maya", "field_monitor", None)
    assert client.get(url.format("restricted"), headers=monitor).status_code == 403
    liaison = _bearer(engine, "sana", "party_liaison", "PK")
    restricted = client.get(url.format("restricted") + "&format=pdf", headers=liaison)
    assert restricted.status_code == 200
    assert restricted.headers["content-type"] == "application/pdf"


def test_a_period_in_the_future_is_refused(client: TestClient, engine: Engine) -> None:
    response = client.get("/api/periodic-reports/public?period_end=2099-01-01")
    assert response.status_code == 422 and "has not begun" in response.text


def test_a_signed_report_verifies_offline_and_a_changed_one_does_not(
    engine: Engine, week: dict[str, Any], tmp_path: Path
) -> None:
    runner = CliRunner()
    assert runner.invoke(build_app(), ["audit", "keys", "generate", "--json"]).exit_code == 0
    keys = tmp_path / "keys.json"
    keys.write_text(runner.invoke(build_app(), ["audit", "keys", "show"]).stdout)
    out = tmp_path / "week.json"
    code, body = build("--kind", "public", "-o", str(out), "--format", "json", "--sign")
    assert code == 0 and body["signature"] == f"{out}.sig"

    def verify() -> Any:
        argv = ["audit", "verify-signature", str(out), f"{out}.sig", "--key", str(keys), "--json"]
        return json.loads(runner.invoke(build_app(), argv).stdout)

    assert verify()["valid"] is True
    out.write_text(out.read_text().replace("I-2025-0101", "I-2025-0999"))
    assert verify()["valid"] is False


def test_signing_without_a_key_exits_2_and_says_what_to_do(
    engine: Engine, week: dict[str, Any], tmp_path: Path
) -> None:
    code, body = build("--kind", "public", "-o", str(tmp_path / "w.json"), "--sign")
    assert code == 2 and "truceline audit keys generate" in body["error"]
    assert not (tmp_path / "w.json").exists()  # checked before anything is written


def test_build_writes_a_report_in_urdu_and_says_so(
    engine: Engine, week: dict[str, Any], tmp_path: Path
) -> None:
    out = tmp_path / "week.html"
    code, body = build("--kind", "public", "-o", str(out), "--format", "html", "--lang", "ur")
    assert code == 0 and body["language"] == "ur"
    html = out.read_text("utf-8")
    assert '<html lang="ur" dir="rtl">' in html and "نتائج کی وضاحت" in html


def test_the_api_gives_a_report_in_pashto_and_refuses_an_unknown_language(
    client: TestClient, engine: Engine, week: dict[str, Any]
) -> None:
    url = f"/api/periodic-reports/public?period_end={WEEK_END}"
    pashto = client.get(url + "&lang=ps&format=html")
    assert pashto.status_code == 200 and "د موندنو توضیح" in pashto.text
    refused = client.get(url + "&lang=xx")
    assert refused.status_code == 422
    assert refused.json()["detail"]["field"] == "lang"
