from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import typer
from sqlalchemy import Engine
from typer.testing import CliRunner

from support_audit import append_entries, current_size
from truceline.audit.cli import register
from truceline.config import get_settings


@pytest.fixture
def cli(engine: Engine) -> Any:
    app = typer.Typer()
    register(app)
    runner = CliRunner()

    def run(*args: str, expect: int = 0) -> dict[str, Any]:
        result = runner.invoke(app, ["audit", *args])
        assert result.exit_code == expect, (result.stdout, result.stderr, result.exception)
        return json.loads(result.stdout) if result.stdout.strip() else {}

    return run


def test_export_then_verify_offline_with_published_keys(
    cli: Any, engine: Engine, tmp_path: Path
) -> None:
    cli("keys", "generate", "--json")
    append_entries(engine, 12)
    size = current_size(engine)
    exported = cli("export", "-o", str(tmp_path / "log.jsonl"), "--json")
    assert exported == {"entries": size, "path": str(tmp_path / "log.jsonl")}
    keys = cli("keys", "show")
    (tmp_path / "keys.json").write_text(json.dumps(keys))
    report = cli(
        "verify", str(tmp_path / "log.jsonl"), "--key", str(tmp_path / "keys.json"), "--json"
    )
    assert report == {"valid": True, "entries": size, "errors": []}


def test_verify_exits_1_and_names_the_entry_when_the_export_was_changed(
    cli: Any, engine: Engine, tmp_path: Path
) -> None:
    cli("keys", "generate", "--json")
    first = current_size(engine)
    append_entries(engine, 4)
    path = tmp_path / "log.jsonl"
    cli("export", "-o", str(path), "--json")
    path.write_text(path.read_text().replace("INC-2", "INC-3", 1))
    report = cli("verify", str(path), "--json", expect=1)
    assert report["valid"] is False and report["entries"] == first + 4
    changed = first + 2  # the entry about INC-2
    assert (
        f"entry seq {changed}: leaf hash does not match its canonical content" in (report["errors"])
    )


def test_a_key_file_readable_by_others_stops_the_command(cli: Any, tmp_path: Path) -> None:
    generated = cli("keys", "generate", "--json")
    Path(generated["path"]).chmod(0o640)
    result = cli("checkpoint", "--json", expect=2)
    assert generated["path"] in result["error"] and "chmod 600" in result["error"]


def test_periodic_checkpoint_signs_only_when_due(cli: Any, engine: Engine) -> None:
    cli("keys", "generate", "--json")
    first = cli("checkpoint", "--if-due", "--json")
    assert first["signed"] is True and first["tree_size"] == current_size(engine)
    assert cli("checkpoint", "--if-due", "--json") == {"signed": False}
    append_entries(engine, 3)
    later = cli("checkpoint", "--if-due", "--max-pending", "3", "--json")
    assert later["tree_size"] == first["tree_size"] + 3


def test_proofs_are_printed_already_checked(cli: Any, engine: Engine) -> None:
    cli("keys", "generate", "--json")
    append_entries(engine, 9)
    old = cli("checkpoint", "--json")
    append_entries(engine, 20)
    new = cli("checkpoint", "--json")
    inclusion = cli("prove-inclusion", "7", "--json")
    assert inclusion["verified"] is True and inclusion["root_hash"] == new["root_hash"]
    consistency = cli("prove-consistency", str(old["tree_size"]), "--json")
    assert consistency["verified"] is True
    assert consistency["old_root"] == old["root_hash"]
    assert cli("prove-inclusion", "500", "--json", expect=2)["error"].startswith("entry seq 500")


def test_witness_cosigns_from_the_command_line(cli: Any, engine: Engine, tmp_path: Path) -> None:
    cli("keys", "generate", "--json")
    witness = tmp_path / "mediator" / "witness.key"
    cli("keys", "generate", "--role", "witness", "--name", "witness-QA", "-o", str(witness))
    log_keys = tmp_path / "log-keys.json"
    log_keys.write_text(json.dumps(cli("keys", "show")))
    cli("checkpoint", "--json")
    result = cli("cosign", "--key", str(witness), "--log-key", str(log_keys), "--json")
    assert result["cosigned"] is True and result["witness"] == "witness-QA"
    assert (tmp_path / "mediator" / "witness.key.state.json").exists()


def test_sign_and_verify_a_findings_export(cli: Any, tmp_path: Path) -> None:
    cli("keys", "generate", "--json")
    findings = tmp_path / "findings.json"
    findings.write_text('{"incident": "INC-1", "finding": "not attributable"}\n')
    signed = cli("sign", str(findings), "--json")
    assert signed["signature"] == str(findings) + ".sig"
    public = tmp_path / "mechanism.vkey"
    public.write_text(signed["keys"][0] + "\n")
    ok = cli("verify-signature", str(findings), signed["signature"], "--key", str(public), "--json")
    assert ok["valid"] is True and ok["errors"] == []
    findings.write_text('{"incident": "INC-1", "finding": "violation"}\n')
    bad = cli(
        "verify-signature",
        str(findings),
        signed["signature"],
        "--key",
        str(public),
        "--json",
        expect=1,
    )
    assert bad["valid"] is False


def test_keys_rotate_keeps_the_old_key_during_the_overlap(cli: Any) -> None:
    first = cli("keys", "generate", "--json")
    rotated = cli("keys", "rotate", "--overlap-days", "2", "--json")
    assert [item["vkey"] for item in rotated["retiring"]] == [first["vkey"]]
    checkpoint = cli("checkpoint", "--json")
    assert checkpoint["note"].count("\u2014 ") == 2  # signed by both keys during the overlap
    assert len(list(get_settings().resolved_keys_dir.glob("*.key"))) == 2
