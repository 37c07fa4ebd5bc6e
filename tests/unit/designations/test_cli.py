"""The ``groups`` and ``designations`` commands: one JSON document on stdout, exit codes 0/1/2."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer
from sqlalchemy import Engine
from typer.testing import CliRunner

from truceline.designations.cli import register

from .test_replay import FIXTURE, store_demo_incidents

runner = CliRunner()


def _app() -> typer.Typer:
    app = typer.Typer()
    register(app)
    return app


def _run(*args: str) -> tuple[int, Any]:
    result = runner.invoke(_app(), list(args))
    return result.exit_code, json.loads(result.stdout) if result.stdout.strip() else None


def test_groups_resolve_finds_the_ttp_from_its_urdu_label(sqlite_engine: Engine) -> None:
    code, payload = _run("groups", "resolve", "فتنة الخوارج", "--json")
    assert code == 0
    assert payload["resolution"]["group_id"] == "TTP"
    assert payload["resolution"]["origin"] == "PK government (2024)"


def test_groups_resolve_of_an_unknown_name_exits_1(sqlite_engine: Engine) -> None:
    code, payload = _run("groups", "resolve", "Nobody Brigade", "--json")
    assert (code, payload) == (1, {"query": "Nobody Brigade", "resolution": None})


def test_groups_list_as_of_a_date(sqlite_engine: Engine) -> None:
    code, payload = _run("groups", "list", "--as-of", "2025-10-20", "--json")
    assert code == 0 and payload["as_of"] == "2025-10-20"
    ttp = next(g for g in payload["groups"] if g["id"] == "TTP")
    assert ttp["positions"]["PK"]["stance"] == "designated"
    assert ttp["positions"]["AF"]["stance"] == "not_designated"
    assert any(x["listed_by"] == "UN" and x["year"] == 2011 for x in ttp["listings"])


def test_groups_list_with_a_bad_date_is_a_usage_error(sqlite_engine: Engine) -> None:
    code, payload = _run("groups", "list", "--as-of", "20/10/2025", "--json")
    assert code == 2 and "expected a date as YYYY-MM-DD" in payload["error"]


def test_designations_matrix_shows_the_ttp_disagreement(sqlite_engine: Engine) -> None:
    code, payload = _run("designations", "matrix", "--as-of", "2025-10-20", "--json")
    assert code == 0
    ttp = next(g for g in payload["groups"] if g["group"] == "TTP")
    assert ttp["stance_divergent"]
    assert ttp["criteria"]["cross_border_operations"]["divergence"] == "disagreement"


def test_designations_replay_with_a_named_list_over_stored_incidents(sqlite_engine: Engine) -> None:
    store_demo_incidents(sqlite_engine)
    code, payload = _run("designations", "replay", "--list", "PK", "--json")
    assert code == 0 and payload["changed"] == 2
    assert payload["by_party"]["AF"] == {"exposed": 2, "cleared": 0}


def test_designations_replay_with_a_what_if_file_and_facts_file(
    sqlite_engine: Engine, tmp_path: Path
) -> None:
    what_if = tmp_path / "list.json"
    what_if.write_text('["ISKP"]', encoding="utf-8")
    code, payload = _run(
        "designations",
        "replay",
        "--list",
        str(what_if),
        "--baseline",
        "PK",
        "--facts",
        str(FIXTURE),
        "--json",
    )
    assert code == 0 and payload["by_party"]["AF"] == {"exposed": 0, "cleared": 2}


def test_designations_replay_with_unknown_ids_is_a_usage_error(
    sqlite_engine: Engine, tmp_path: Path
) -> None:
    what_if = tmp_path / "list.yaml"
    what_if.write_text("- TTP\n- XTP\n", encoding="utf-8")
    code, payload = _run("designations", "replay", "--list", str(what_if), "--json")
    assert code == 2 and "unknown group id(s) in what-if list: XTP" in payload["error"]


def test_designations_import_keeps_good_rows_and_names_each_bad_one(
    sqlite_engine: Engine, tmp_path: Path
) -> None:
    rows = [
        {
            "record": "position",
            "holder": "AF",
            "group": "HGB",
            "stance": "not_designated",
            "effective_from": "2025-11-01",
            "rationale": "local elders mediate",
            "source": "AF liaison",
        },
        {
            "record": "position",
            "holder": "PK",
            "group": "TTP",
            "stance": "designated",
            "effective_from": "2008-08-25",
            "rationale": "again, differently",
            "source": "x",
        },
        {
            "record": "position",
            "holder": "PK",
            "group": "ABC",
            "stance": "designated",
            "effective_from": "2025-11-01",
            "rationale": "r",
            "source": "s",
        },
        {
            "record": "relation",
            "subject": "BLA",
            "kind": "faction_of",
            "object": "BLA_MB",
            "source": "s",
        },
        {
            "record": "position",
            "holder": "AF",
            "group": "BLF",
            "stance": "designated",
            "effective_from": "2025-11-01",
            "rationale": "",
            "source": "s",
        },
    ]
    path = tmp_path / "records.json"
    path.write_text(json.dumps(rows), encoding="utf-8")
    code, payload = _run("designations", "import", str(path), "--json")
    assert code == 1
    assert payload["imported"] == 1
    reasons = {r["row"]: r["reason"] for r in payload["rejected"]}
    assert "conflicting effective date" in reasons[2]
    assert "unknown group id 'ABC'" in reasons[3]
    assert "cycle in faction_of" in reasons[4]
    assert "a rationale is required" in reasons[5]
    again_code, again = _run("designations", "import", str(path), "--json")
    assert again["imported"] == 0 and again["duplicates"] == 1 and again_code == 1


def test_designations_joint_lists_the_undecided_groups(sqlite_engine: Engine) -> None:
    code, payload = _run("designations", "joint", "--as-of", "2025-10-20", "--json")
    assert code == 0
    assert "TTP" in [e["group"] for e in payload["undecided"]]
    assert [e["group"] for e in payload["not_designated"]] == ["TTA"]


def test_groups_show_lists_the_append_only_record(sqlite_engine: Engine) -> None:
    code, payload = _run("groups", "show", "jua", "--json")
    assert code == 0
    assert [(p["holder"], p["stance"], p["since"]) for p in payload["positions"]] == [
        ("PK", "unknown", "2014-08"),
        ("AF", "unknown", "2021-08-15"),
    ]
    assert {(r["kind"], r["object"]) for r in payload["relations"]} == {
        ("splinter_of", "TTP"),
        ("faction_of", "TTP"),
    }
    missing_code, missing = _run("groups", "show", "NOPE", "--json")
    assert missing_code == 2 and "unknown group id 'NOPE'" in missing["error"]
