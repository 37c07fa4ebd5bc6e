"""``truceline verification ...``: queue, assign, transitions and refusals as JSON."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from sqlalchemy import Engine
from typer.testing import CliRunner

from truceline.accounts import services as accounts
from truceline.audit.actor import SYSTEM
from truceline.cli.main import build_app
from truceline.db.base import utcnow
from truceline.db.engine import transaction

from .factories import cross_border_fire

runner = CliRunner()
USERS = {
    "mona": ("mediator", None),
    "maya": ("field_monitor", None),
    "farid": ("party_liaison", "AF"),
    "af-nominee": ("team_member", None),
    "pk-nominee": ("team_member", None),
}


@pytest.fixture
def engine(sqlite_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> Engine:
    """Command-line behaviour; the back-end contracts are in test_services and test_record."""
    monkeypatch.setattr(
        accounts, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    )
    with transaction(sqlite_engine) as session:
        for name, (role, party) in USERS.items():
            accounts.create_user(
                session, name=name, role=role, party=party, password="x" * 16, actor=SYSTEM
            )
        cross_border_fire(session, code="INC-CLI-1")
    return sqlite_engine


def invoke(*args: str) -> tuple[int, dict]:  # type: ignore[type-arg]
    result = runner.invoke(build_app(), [*args, "--json"])
    return result.exit_code, json.loads(result.stdout)


def test_assign_a_joint_team_and_start_verification(engine: Engine) -> None:
    assert invoke("verification", "open", "INC-CLI-1", "--as", "mona", "--accused", "AF")[0] == 0
    assert invoke("verification", "transition", "INC-CLI-1", "triage", "--as", "maya")[0] == 0
    code, case = invoke(
        "verification", "assign", "INC-CLI-1", "--as", "mona",
        "--member", "af-nominee:AF", "--member", "pk-nominee:PK", "--member", "maya:NEUTRAL",
    )  # fmt: skip
    assert code == 0
    assert [(m["name"], m["role"], m["nominated_by"]) for m in case["team"]] == [
        ("af-nominee", "team_member", "AF"),
        ("pk-nominee", "team_member", "PK"),
        ("maya", "field_monitor", None),
    ]
    code, case = invoke(
        "verification", "transition", "INC-CLI-1", "start_verification", "--as", "mona"
    )
    assert (code, case["state"]) == (0, "under_verification")


def test_a_refused_transition_exits_1_with_state_attempt_and_reason(engine: Engine) -> None:
    invoke("verification", "open", "INC-CLI-1", "--as", "mona")
    code, out = invoke("verification", "transition", "INC-CLI-1", "reopen", "--as", "mona")
    assert code == 1
    assert out == {
        "error": "transition_refused",
        "state": "reported",
        "attempted": "reopen",
        "reason": "allowed from here: refute, resolve_locally, triage",
    }


def test_a_party_liaison_may_not_assign_a_team(engine: Engine) -> None:
    invoke("verification", "open", "INC-CLI-1", "--as", "mona")
    code, out = invoke(
        "verification", "assign", "INC-CLI-1", "--as", "farid", "--member", "af-nominee:AF"
    )
    assert code == 1 and "party_liaison may not manage verifications" in out["error"]


def test_the_queue_lists_overdue_tasks_with_reasons(engine: Engine) -> None:
    invoke("verification", "open", "INC-CLI-1", "--as", "mona")
    later = (utcnow() + timedelta(days=4)).isoformat()
    code, out = invoke("verification", "queue", "--overdue", "--now", later)
    assert code == 0
    assert [(i["incident_code"], i["kind"], i["reason"]) for i in out["items"]] == [
        ("INC-CLI-1", "first_assessment", "no_team")
    ]
    assert invoke("verification", "queue", "--overdue")[1] == {"items": [], "count": 0}


def test_a_past_deadline_and_a_bad_member_spec_are_refused(engine: Engine) -> None:
    invoke("verification", "open", "INC-CLI-1", "--as", "mona")
    past = (utcnow() - timedelta(hours=1)).isoformat()
    code, out = invoke(
        "verification", "task", "add", "INC-CLI-1", "site_visit", "--as", "mona", "--due", past
    )
    assert code == 1 and out["error"].startswith("due_at:")
    code, out = invoke("verification", "assign", "INC-CLI-1", "--as", "mona", "--member", "x:QA")
    assert code == 1 and "unknown party 'QA'" in out["error"]


def test_determine_reads_the_facts_file(engine: Engine, tmp_path: Path) -> None:
    invoke("verification", "open", "INC-CLI-1", "--as", "mona")
    facts = tmp_path / "facts.json"
    facts.write_text(json.dumps({"perpetrator": "AF", "confidence": "high", "summary": "x"}))
    code, out = invoke(
        "verification", "determine", "INC-CLI-1", "--facts", str(facts), "--as", "mona"
    )
    assert (code, out["attempted"], out["state"]) == (1, "determine", "reported")


def test_evidence_add_redact_and_custody_from_the_command_line(
    engine: Engine, tmp_path: Path
) -> None:
    invoke("verification", "open", "INC-CLI-1", "--as", "mona")
    statement = tmp_path / "statement.txt"
    statement.write_text("Gul Khan saw the shells land.\n")
    code, item = invoke(
        "verification", "evidence", "add", "INC-CLI-1", str(statement), "--as", "maya",
        "--obtained-by", "maya", "--obtained-at", "2025-10-23T08:00:00+05:00",
        "--how", "interview, written down",
    )  # fmt: skip
    assert (code, item["kind"], item["filename"]) == (0, "original", "statement.txt")
    code, derived = invoke(
        "verification", "evidence", "redact", str(item["id"]), "--as", "mona",
        "--note", "witness name", "--term", "Gul Khan",
    )  # fmt: skip
    assert (code, derived["derived_from_id"]) == (0, item["id"])
    code, out = invoke(
        "verification", "evidence", "custody", str(item["id"]), "--as", "maya",
        "--action", "transferred", "--holder", "mona",
    )  # fmt: skip
    assert [c["action"] for c in out["custody"]] == ["received", "redacted", "transferred"]
    code, refused = invoke("verification", "evidence", "show", str(item["id"]), "--as", "farid")
    assert code == 1 and "restricted to the mechanism" in refused["error"]
