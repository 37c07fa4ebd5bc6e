"""``truceline warning``: subscribe, clocks, scan, deliver and escalation print one JSON document."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import Engine
from typer.testing import CliRunner

from truceline.audit.actor import Actor
from truceline.cli.main import build_app
from truceline.db.engine import transaction
from truceline.warning.services import on_report_stored

from .conftest import FILED_AT, add_incident, add_report


@pytest.fixture
def engine(sqlite_engine: Engine) -> Engine:
    return sqlite_engine


def run(*args: str) -> tuple[int, Any]:
    result = CliRunner().invoke(build_app(), ["warning", *args])
    return result.exit_code, json.loads(result.stdout) if result.stdout.strip() else None


def test_clocks_lists_ended_clocks_with_all_and_their_flags(
    engine: Engine, users: dict[str, object]
) -> None:
    with transaction(engine) as session:
        report = add_report(session)
        on_report_stored(session, report, Actor("sana", "party_liaison", "PK"))
        add_incident(session, occurred_at=FILED_AT + timedelta(hours=6))
    assert run("clocks", "--json") == (0, {"clocks": []})  # 2025's clock has run out
    code, scanned = run("scan", "--json")
    assert code == 0 and len(scanned["new_flags"]) == 1
    code, listed = run("clocks", "--all", "--json")
    assert listed["clocks"][0]["report"] == report.code
    assert listed["clocks"][0]["flags"][0]["explanation"].startswith("Incident I-TEST-")


def test_subscribe_refuses_a_bad_target_with_exit_2(engine: Engine) -> None:
    code, body = run("subscribe", "webhook", "ftp://x", "--audience", "AF", "--json")
    assert code == 2 and "http(s) URL" in body["error"]
    code, body = run("subscribe", "email", "af@example.org", "--audience", "AF", "--json")
    assert code == 0 and body["channel"] == "email"


def test_deliver_with_nothing_due_reports_empty_lists(engine: Engine) -> None:
    assert run("deliver", "--json") == (0, {"delivered": [], "retrying": [], "failed": []})


def test_escalation_json_and_a_bad_since(engine: Engine) -> None:
    code, body = run("escalation", "--since", "90d", "--json")
    assert code == 0 and body["fit"] is None and set(body["events"]) == {"AF", "PK"}
    assert "prior" in body
    code, body = run("escalation", "--since", "last week", "--json")
    assert code == 2 and "--since" in body["error"]
