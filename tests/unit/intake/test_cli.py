from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import Engine
from typer.testing import CliRunner

from truceline.cli.main import build_app

runner = CliRunner()

CSV = """source_type,source_name,reliability,credibility,text,occurred_at,time_precision,lat,lon,geo_precision,place_text,event_type,claimed_perpetrator,targets,casualties_civilians,agreement_id
media,Dawn,B,3,"Shells fired across the border hit Chaman bazaar, 3 dead",2025-10-15T00:10:00+00:00,0,30.92,66.45,1,Chaman,shelling_artillery_missile_attack,Afghan forces,civilians,2-3-4,
community_reporter,elder,F,6,په چمن کې درې کسان ووژل شول,2025-10-15T00:00:00+00:00,1,30.92,66.44,2,چمن,,,,3,
media,X,Z,3,bad grade,,,,,,,,,,,
media,Y,B,3,unknown agreement,,,,,,,,,,,doha-1999
media,Z,B,3,bad casualties,,,,,,,,,,three,
"""


def invoke(*args: str) -> tuple[int, dict]:
    result = runner.invoke(build_app(), [*args, "--json"])
    return result.exit_code, json.loads(result.stdout)


def test_csv_import_rejects_bad_rows_by_row_and_column_and_keeps_the_rest(
    engine: Engine, tmp_path: Path
) -> None:
    path = tmp_path / "reports.csv"
    path.write_text(CSV, encoding="utf-8")
    code, first = invoke("intake", "import-csv", str(path))
    assert code == 1
    assert (first["imported"], first["duplicates"]) == (2, 0)
    assert [(r["row"], r["field"]) for r in first["rejected"]] == [
        (3, "reliability"),
        (4, "agreement_id"),
        (5, "casualties_civilians"),
    ]
    assert "unknown agreement 'doha-1999'" in first["rejected"][1]["reason"]
    code, again = invoke("intake", "import-csv", str(path))
    assert (again["imported"], again["duplicates"]) == (0, 2)
    assert again["report_ids"] == first["report_ids"]


def test_csv_with_a_missing_required_column_is_a_usage_error(
    engine: Engine, tmp_path: Path
) -> None:
    path = tmp_path / "reports.csv"
    path.write_text("source_type,source_name\nmedia,Dawn\n", encoding="utf-8")
    code, payload = invoke("intake", "import-csv", str(path))
    assert code == 2
    assert "missing column(s) text" in payload["error"]


def test_submit_then_merge_split_and_undo_from_the_command_line(engine: Engine) -> None:
    common = ["--source-type", "media", "--occurred-at", "2025-10-12T02:00:00+05:00",
              "--time-precision", "0", "--event-type", "armed_clash"]  # fmt: skip
    _, first = invoke("intake", "submit", "--text", "Clash at Angoor Adda post", "--lat", "32.6",
                      "--lon", "69.2", "--source-name", "Dawn", *common)  # fmt: skip
    _, second = invoke("intake", "submit", "--text", "Firing near Kurram border post", "--lat", "33.9",
                       "--lon", "70.1", "--source-name", "Tolo", *common)  # fmt: skip
    a, b = first["link"]["incident_id"], second["link"]["incident_id"]
    assert first["report"]["language"] == "en" and a != b

    code, merged = invoke("incidents", "merge", str(a), str(b), "--reason", "same clash")
    assert code == 0 and merged["kind"] == "merge"
    code, refused = invoke("incidents", "merge", str(a), str(b))
    assert code == 1 and "already merged" in refused["error"]
    _, view = invoke("incidents", "corroboration", str(b))
    assert view["independent_sources"] == 2

    code, undone = invoke("incidents", "undo", str(merged["operation"]))
    assert code == 0 and undone["undoes"] == merged["operation"]
    _, candidates = invoke("incidents", "link-candidates", str(first["report"]["id"]))
    assert candidates["candidates"][0]["incident_id"] == a


def test_labels_exports_each_reviewed_fact_with_the_reports_text(
    engine: Engine, tmp_path: Path
) -> None:
    from truceline.audit.log import Actor
    from truceline.db.engine import transaction
    from truceline.intake.proposals import proposals_of, review_fact
    from truceline.intake.schemas import ReportSubmission
    from truceline.intake.services import submit_report

    text = "Afghan officials said Pakistani airstrikes on 17 October 2025 killed 10 civilians in Barmal."
    analyst = Actor(name="mona", role="mediator")
    with transaction(engine) as session:
        submission = ReportSubmission.model_validate(
            {"source_type": "media", "source_name": "wire", "text": text}
        )
        report_id = submit_report(session, submission, actor=analyst).report.id
        killed = next(p for p in proposals_of(session, report_id) if p.field == "killed")
        review_fact(session, killed.id, decision="corrected", correction="9", actor=analyst,
                    role="mediator")  # fmt: skip
    path = tmp_path / "labels.jsonl"
    code, out = invoke("intake", "labels", "-o", str(path))
    assert code == 0 and out == {"exported": 1, "path": str(path)}
    (row,) = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert (row["field"], row["proposed"], row["label"], row["text"]) == ("killed", 10, 9, text)


def test_labels_to_an_unwritable_path_is_a_usage_error(engine: Engine, tmp_path: Path) -> None:
    code, out = invoke("intake", "labels", "-o", str(tmp_path / "missing" / "labels.jsonl"))
    assert code == 2 and "--output" in out["error"]
