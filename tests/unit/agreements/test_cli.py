from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import Engine
from typer.testing import CliRunner

from truceline.cli.main import build_app

from .factories import fact

runner = CliRunner()
PROFILE = Path(__file__).resolve().parents[3] / "src/truceline/agreements/profile"


def write(tmp_path: Path, data: object, name: str = "facts.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_adjudicate_prints_a_json_list_of_findings(engine: Engine, tmp_path: Path) -> None:
    result = runner.invoke(build_app(), ["adjudicate", str(write(tmp_path, [fact()])), "--json"])
    assert result.exit_code == 0, result.output
    findings = json.loads(result.stdout)
    assert findings[0]["agreement"] == "truce-extension-2025-10-17"
    assert findings[0]["finding"] == "violation"


def test_adjudicate_rejects_bad_facts_with_exit_1_and_keeps_the_rest(
    engine: Engine, tmp_path: Path
) -> None:
    facts = [fact(id="ok"), fact(id="naive", occurred_at="2025-10-17T21:30:00")]
    result = runner.invoke(build_app(), ["adjudicate", str(write(tmp_path, facts)), "--json"])
    assert result.exit_code == 1
    assert [f["incident"] for f in json.loads(result.stdout)] == ["ok"]
    assert "incident 1 ('naive'), field occurred_at" in result.stderr


def test_adjudicate_report_lists_rejections_in_json(engine: Engine, tmp_path: Path) -> None:
    path = write(tmp_path, [fact(id="x", perpetrator="XYZ")])
    result = runner.invoke(build_app(), ["adjudicate", str(path), "--report"])
    assert result.exit_code == 1
    assert json.loads(result.stdout)["rejected"][0]["field"] == "perpetrator"


def test_adjudicate_with_a_what_if_definition_file(engine: Engine, tmp_path: Path) -> None:
    harbouring = fact(
        perpetrator="TTP",
        event_type="headquarters_or_base_established",
        targets=[],
        occurred_at="2025-10-25T10:00:00+05:00",
        attribution=[{"party": "AF", "link": "facilitated", "established": True}],
    )
    definition = write(tmp_path, {"name": "what-if: TTP listed", "groups": ["TTP"]}, "def.json")
    args = ["adjudicate", str(write(tmp_path, [harbouring])), "--definition", str(definition)]
    result = runner.invoke(build_app(), args)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)[0]["finding"] == "violation"


def test_adjudicate_unreadable_file_is_a_usage_error(engine: Engine, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("[{", encoding="utf-8")
    assert runner.invoke(build_app(), ["adjudicate", str(bad)]).exit_code == 2


def test_validate_accepts_the_profile_and_names_errors_in_a_bad_document(
    engine: Engine, tmp_path: Path
) -> None:
    good = runner.invoke(
        build_app(), ["agreements", "validate", str(PROFILE / "doha-2025-10-19.yaml"), "--json"]
    )
    assert good.exit_code == 0 and json.loads(good.stdout)["valid"] is True
    text = (PROFILE / "doha-2025-10-19.yaml").read_text().replace("[QA, TR]", "[QA, TR]\nfoo: 1")
    bad_path = tmp_path / "bad.yaml"
    bad_path.write_text(text, encoding="utf-8")
    bad = runner.invoke(build_app(), ["agreements", "validate", str(bad_path), "--json"])
    assert bad.exit_code == 1
    assert json.loads(bad.stdout)["errors"][0].startswith("foo")


def test_list_and_show_agreements(engine: Engine) -> None:
    listed = runner.invoke(build_app(), ["agreements", "list", "--json"])
    assert listed.exit_code == 0
    assert len(json.loads(listed.stdout)["agreements"]) == 4
    shown = runner.invoke(build_app(), ["agreements", "show", "istanbul-2025-10-30", "--json"])
    assert json.loads(shown.stdout)["document"]["consequences"]["penalty_levels"] == "unknown"
    missing = runner.invoke(build_app(), ["agreements", "show", "nope", "--json"])
    assert missing.exit_code == 2


def test_the_worked_examples_in_the_docs_match_real_output(engine: Engine) -> None:
    docs = PROFILE.parents[3] / "docs"
    result = runner.invoke(build_app(), ["adjudicate", str(docs / "examples/article-cases.json")])
    assert result.exit_code == 0, result.output
    condensed = [
        f"{f['incident']} {f['agreement']} {f['finding']} {f['violating_party']} {f['basis']} "
        f"{f['clauses']}"
        for f in json.loads(result.stdout)
    ]
    page = (docs / "agreements.md").read_text(encoding="utf-8")
    for line in condensed:
        assert line in page, line


def test_amend_stores_a_new_version_and_keeps_the_old(engine: Engine, tmp_path: Path) -> None:
    text = (PROFILE / "istanbul-2025-10-30.yaml").read_text(encoding="utf-8")
    amended = tmp_path / "istanbul.yaml"
    amended.write_text(text.replace("penalty_levels: unknown", "penalty_levels: [{name: warning}]"))
    args = ["agreements", "amend", str(amended), "--note", "levels agreed", "--json"]
    result = runner.invoke(build_app(), args)
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert {k: payload[k] for k in ("id", "version", "changed")} == {
        "id": "istanbul-2025-10-30",
        "version": 2,
        "changed": True,
    }
    assert payload["effective_from"] is not None and payload["rejudged"] == 0
    old = runner.invoke(
        build_app(), ["agreements", "show", "istanbul-2025-10-30", "--version", "1", "--json"]
    )
    assert json.loads(old.stdout)["document"]["consequences"]["penalty_levels"] == "unknown"
    assert [v["version"] for v in json.loads(old.stdout)["versions"]] == [1, 2]


def test_adjudicate_a_file_of_the_wrong_shape_says_what_it_should_look_like(
    engine: Engine, tmp_path: Path
) -> None:
    """It used to print [] and "rejected: incident -1, field (document)", exit 1."""
    wrapped = write(tmp_path, {"incidents": [fact()]})
    result = runner.invoke(build_app(), ["adjudicate", str(wrapped), "--json"])
    assert result.exit_code == 2
    error = json.loads(result.stdout)["error"]  # one JSON document, nothing else
    assert "expected a JSON list of incident objects" in error
    for key in ("id", "occurred_at", "location", "event_type", "perpetrator", "targets"):
        assert key in error
    assert "got a JSON object with the keys incidents" in error
    assert "if the incidents are under 'incidents', give that list alone" in error
    plain = runner.invoke(build_app(), ["adjudicate", str(write(tmp_path, "facts", "s.json"))])
    assert plain.exit_code == 2 and plain.stdout == ""
    assert "expected a JSON list of incident objects" in plain.stderr
    assert "got a string" in plain.stderr


def test_adjudicate_names_the_expected_keys_for_an_entry_that_is_not_an_object(
    engine: Engine, tmp_path: Path
) -> None:
    path = write(tmp_path, [fact(id="ok"), "not an incident"])
    result = runner.invoke(build_app(), ["adjudicate", str(path), "--json"])
    assert result.exit_code == 1
    assert [f["incident"] for f in json.loads(result.stdout)] == ["ok"]
    assert (
        "incident 1, field (incident): expected an incident object with the keys id, "
        "occurred_at, location, event_type, perpetrator, targets; got a string"
    ) in result.stderr


def test_adjudicate_invalid_json_says_what_the_file_should_look_like(
    engine: Engine, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("[{", encoding="utf-8")
    result = runner.invoke(build_app(), ["adjudicate", str(bad), "--json"])
    assert result.exit_code == 2
    error = json.loads(result.stdout)["error"]
    assert "not valid JSON" in error and "expected a JSON list of incident objects" in error


def test_amend_with_an_effective_date_re_judges_only_later_incidents_and_show_lists_it(
    engine: Engine, tmp_path: Path
) -> None:
    text = (PROFILE / "istanbul-2025-10-30.yaml").read_text(encoding="utf-8")
    amended = tmp_path / "istanbul.yaml"
    amended.write_text(
        text.replace("penalty_levels: unknown", "penalty_levels: [{name: warning}]")
        + '\neffective_from: "2025-11-15T00:00:00+05:00"\n',
        encoding="utf-8",
    )
    result = runner.invoke(build_app(), ["agreements", "amend", str(amended), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["effective_from"] == "2025-11-15T00:00:00+05:00"
    shown = runner.invoke(build_app(), ["agreements", "show", "istanbul-2025-10-30", "--json"])
    starts = [v["effective_from"] for v in json.loads(shown.stdout)["versions"]]
    assert starts == [None, "2025-11-15T00:00:00+05:00"]
    earlier = tmp_path / "earlier.yaml"
    earlier.write_text(
        amended.read_text(encoding="utf-8")
        .replace("2025-11-15", "2025-11-01")
        .replace("[{name: warning}]", "[{name: warning}, {name: fine}]"),
        encoding="utf-8",
    )
    refused = runner.invoke(build_app(), ["agreements", "amend", str(earlier), "--json"])
    assert refused.exit_code == 2
    assert "is not after 2025-11-15T00:00:00+05:00" in json.loads(refused.stdout)["error"]


def test_the_documented_example_amendment_is_valid_and_dated(engine: Engine) -> None:
    example = PROFILE.parents[3] / "docs/examples/doha-amendment.yaml"
    result = runner.invoke(build_app(), ["agreements", "validate", str(example), "--json"])
    assert result.exit_code == 0 and json.loads(result.stdout)["valid"] is True
    assert 'effective_from: "2025-10-27T00:00:00+05:00"' in example.read_text(encoding="utf-8")
