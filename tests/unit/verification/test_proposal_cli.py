"""``truceline verification actions|propose|correct|history`` as JSON."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import Engine

from .test_cli import engine, invoke  # noqa: F401 (the fixture)


def test_actions_propose_correct_and_history_from_the_command_line(
    engine: Engine,  # noqa: F811
    tmp_path: Path,
) -> None:
    code, answers = invoke("verification", "actions", "INC-CLI-1", "--as", "af-nominee")
    assert code == 0 and answers["available"] == ["open"]
    invoke("verification", "open", "INC-CLI-1", "--as", "mona", "--accused", "AF")
    for step in ("triage",):
        invoke("verification", "transition", "INC-CLI-1", step, "--as", "mona")
    team = ["--member", "af-nominee:AF", "--member", "pk-nominee:PK", "--member", "maya:NEUTRAL"]
    invoke("verification", "assign", "INC-CLI-1", *team, "--as", "mona")
    invoke("verification", "transition", "INC-CLI-1", "start_verification", "--as", "mona")
    refused_code, refused = invoke(
        "verification", "reply-window", "INC-CLI-1", "--as", "af-nominee"
    )
    assert refused_code == 1 and "that is for mediator" in refused["error"]
    facts = tmp_path / "facts.json"
    facts.write_text(json.dumps({"perpetrator": "AF", "confidence": "medium",
                                 "targets": ["security_forces"], "summary": "Afghan-side fire."}))  # fmt: skip
    code, case = invoke(
        "verification", "propose", "INC-CLI-1", "--facts", str(facts), "--as", "pk-nominee"
    )
    assert code == 0 and case["proposal"]["facts"]["perpetrator"] == "AF", case
    code, answers = invoke("verification", "actions", "INC-CLI-1", "--as", "mona")
    assert "reply_window" in answers["available"] and "determine" in answers["available"]
    code, versions = invoke("verification", "history", "INC-CLI-1", "--as", "farid")
    assert code == 0 and versions["versions"] == []
    changes = tmp_path / "changes.json"
    changes.write_text(json.dumps({"perpetrator": "PK"}))
    code, refused = invoke(
        "verification",
        "correct",
        "INC-CLI-1",
        "--facts",
        str(changes),
        "--reason",
        "x",
        "--as",
        "mona",
    )
    assert code == 1 and "in state findings_proposed" in json.dumps(refused)
