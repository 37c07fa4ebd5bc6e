"""A stray or out-of-sequence row in ``audit_entries`` is reported, never a traceback.

Before, one row INSERTed outside the application (a sequence number past the end,
a negative one, a wrong leaf hash) made ``audit checkpoint`` and ``audit export``
fail with a traceback. Now both name the entry and exit 1 (JSON under ``--json``),
and the API answers 409.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import typer
from sqlalchemy import Engine, text
from typer.testing import CliRunner

from support_audit import append_entries, current_size
from truceline.audit.cli import register
from truceline.audit.keys import PrivateKey
from truceline.audit.sequence import sequence_problems
from truceline.db.engine import transaction


@pytest.fixture
def cli(engine: Engine) -> Any:
    app = typer.Typer()
    register(app)
    runner = CliRunner()

    def run(*args: str, expect: int) -> dict[str, Any]:
        result = runner.invoke(app, ["audit", *args, "--json"])
        assert result.exit_code == expect, (result.stdout, result.stderr, result.exception)
        return dict(json.loads(result.stdout))

    return run


def _insert_stray(engine: Engine, seq: int, *, leaf_hash: str = "0" * 64) -> None:
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO audit_entries (seq, recorded_at, actor, role, action, object_type, "
                "object_id, canonical, leaf_hash) VALUES (:seq, CURRENT_TIMESTAMP, 'intruder', "
                "'admin', 'incident.delete', 'incident', 'TL-9', '{}', :leaf)"
            ),
            {"seq": seq, "leaf": leaf_hash},
        )


def test_an_entry_far_past_the_end_is_named_by_checkpoint_and_export(
    cli: Any, engine: Engine, log_key: PrivateKey, tmp_path: Path
) -> None:
    append_entries(engine, 5)
    size = current_size(engine)
    _insert_stray(engine, size + 1000)
    for args in (("checkpoint",), ("export", "-o", str(tmp_path / "log.jsonl"))):
        payload = cli(*args, expect=1)
        assert payload["error"] == "the audit log has entries out of sequence"
        [problem] = payload["problems"]
        assert problem.startswith(f"audit entry seq {size + 1000} (incident.delete on incident")
        assert f"entries {size}..{size + 999} are missing" in problem


def test_a_negative_sequence_number_is_named(engine: Engine) -> None:
    append_entries(engine, 3)
    _insert_stray(engine, -7)
    with transaction(engine) as session:
        problems = sequence_problems(session)
    assert any(p.startswith("audit entry seq -7 (incident.delete") for p in problems)


def test_a_next_entry_with_a_wrong_leaf_hash_is_named_by_checkpoint(
    cli: Any, engine: Engine, log_key: PrivateKey
) -> None:
    append_entries(engine, 4)
    size = current_size(engine)
    _insert_stray(engine, size)
    payload = cli("checkpoint", expect=1)
    assert payload["problems"] == [
        f"audit entry seq {size}: stored leaf hash does not match its content"
    ]


def test_a_whole_log_has_no_sequence_problems(engine: Engine) -> None:
    append_entries(engine, 20)
    with transaction(engine) as session:
        assert sequence_problems(session) == []
