"""``truceline extract``: one text, or JSON Lines in order; bad lines named, the rest read."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from truceline.cli.main import build_app

KEYS = {"occurred_on", "event_type", "perpetrator", "location", "targets", "killed", "injured",
        "captured", "confidence", "evidence"}  # fmt: skip


def run(*args: str) -> tuple[int, Any]:
    result = CliRunner().invoke(build_app(), ["extract", *args])
    return result.exit_code, json.loads(result.stdout) if result.stdout.strip() else None


def test_one_text_gives_one_document_with_every_interface_key() -> None:
    code, body = run(
        "Gunmen shot dead a tribal elder in Bajaur district on Friday evening.",
        "--published", "2025-10-25", "--json",
    )  # fmt: skip
    assert code == 0 and body["id"] == "text"
    (event,) = body["events"]
    assert set(event) == KEYS and event["occurred_on"] == "2025-10-24" and event["killed"] == 1


def test_a_file_is_read_in_order_and_bad_lines_are_named(tmp_path: Path) -> None:
    path = tmp_path / "texts.jsonl"
    path.write_text(
        "\n".join(
            [
                json.dumps(
                    {
                        "id": "a",
                        "text": "Two killed in a blast in Peshawar.",
                        "published": "2025-10-20",
                    }
                ),
                "not json",
                json.dumps({"id": "c", "text": ""}),
                json.dumps({"id": "d", "text": "Clashes in Kurram.", "published": "20/10/2025"}),
                json.dumps({"id": "e", "text": "Police arrested four men in Chaman."}),
            ]
        ),
        encoding="utf-8",
    )
    code, body = run("--file", str(path), "--json")
    assert code == 1
    assert [item["id"] for item in body] == ["a", None, "c", "d", "e"]
    assert body[0]["events"][0]["killed"] == 2
    assert "line 2" in body[1]["error"] and "text" in body[2]["error"]
    assert "published" in body[3]["error"]
    assert body[4]["events"][0]["captured"] == 4 and body[4]["events"][0]["occurred_on"] is None


def test_usage_errors_exit_2() -> None:
    assert run("--json")[0] == 2
    assert run("text", "--file", "x.jsonl", "--json")[0] == 2
    assert run("--file", "/nonexistent.jsonl", "--json")[0] == 2
    assert run("text", "--published", "tomorrow", "--json")[0] == 2
