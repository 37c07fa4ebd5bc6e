"""The committee commands: create, members, jirgas, resolve and escalate, as JSON (both back ends)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import Engine
from typer.testing import CliRunner

from truceline.accounts import services as accounts
from truceline.accounts.roles import SYSTEM_ADMIN
from truceline.cli.main import app, build_app
from truceline.db.engine import transaction
from truceline.incidents.models import Incident

runner = CliRunner()
WHEN = datetime(2025, 10, 22, 9, 0, tzinfo=UTC)


def _run(*args: str, code: int = 0) -> Any:
    result = runner.invoke(app, ["community", *args, "--json"])
    assert result.exit_code == code, result.output
    return json.loads(result.stdout)


@pytest.fixture
def world(engine: Engine, custodian: None) -> dict[str, str]:
    """A committee with an elder who signs in as haji, and two incidents."""
    build_app()
    with transaction(engine) as session:
        accounts.create_user(session, name="haji", role="elder", actor=SYSTEM_ADMIN.as_actor())
        for code in ("INC-A", "INC-B"):
            session.add(Incident(code=code, occurred_at=WHEN, event_type="cross_border_fire"))
    made = _run("create", "--district", "AF:spin-boldak", "--name", "Spin Boldak committee")
    member = _run("add-member", made["code"], "--name", "Haji Abdul Wali", "--phone", "+93790001111",
                  "--from", "2025-01-01", "--to", "2027-01-01", "--account", "haji")  # fmt: skip
    return {"committee": made["code"], "member": member["pseudonym"]}


def test_an_elder_records_a_jirga_and_resolves_a_case(world: dict[str, str]) -> None:
    code = world["committee"]
    jirga = _run("record-meeting", code, "--held-at", "2025-10-22T09:00+04:30", "--place", "Wesh",
                 "--attendee", world["member"], "--others", "12", "--issue", "firing at the gate",
                 "--outcome", "shepherds keep back", "--follow-up", "tell both posts|elder|2025-10-25",
                 "--incident", "INC-A", "--as", "haji")  # fmt: skip
    assert jirga["kind"] == "jirga" and jirga["attendance"] == 13 and jirga["follow_ups"] == 1
    done = _run("resolve", "INC-A", "--committee", code, "--outcome", "settled by the jirga",
                "--meeting", str(jirga["id"]), "--as", "haji")  # fmt: skip
    assert done == {"incident": "INC-A", "committee": code, "decision": "resolved_locally",
                    "verification_state": "resolved_locally"}  # fmt: skip
    shown = _run("show", code, "--as", "haji")
    assert shown["meetings"][0]["outcome"] == ["shepherds keep back"]
    assert shown["cases"][0]["state"] == "resolved_locally"
    assert "Haji Abdul Wali" not in json.dumps(shown) and "+93790001111" not in json.dumps(shown)


def test_escalation_from_the_command_line_opens_the_case(world: dict[str, str]) -> None:
    sent = _run("escalate", "INC-B", "--committee", world["committee"], "--reason", "beyond us",
                "--as", "haji")  # fmt: skip
    assert sent["decision"] == "escalated" and sent["verification_state"] == "reported"
    again = _run("escalate", "INC-B", "--committee", world["committee"], "--reason", "again",
                 code=1)  # fmt: skip
    assert again["error"] == "already_escalated" and again["field"] == "incident"


def test_refusals_name_the_field(world: dict[str, str]) -> None:
    unknown = _run("resolve", "INC-NOPE", "--committee", world["committee"], "--outcome", "x",
                   code=1)  # fmt: skip
    assert unknown["field"] == "incident" and "INC-NOPE" in unknown["reason"]
    refused = _run("create", "--district", "AF:barmal", "--name", "x", "--as", "haji", code=1)
    assert refused["error"] == "refused" and "elder" in refused["reason"]
    bad = runner.invoke(app, ["community", "record-meeting", world["committee"], "--held-at",
                              "2025-10-22T09:00+04:30", "--place", "W", "--follow-up", "no date",
                              "--json"])  # fmt: skip
    assert bad.exit_code == 2 and "--follow-up #1" in bad.stdout
