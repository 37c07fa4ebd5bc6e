from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select

from truceline.accounts.roles import Principal, Role
from truceline.config import get_settings
from truceline.db.engine import make_engine, transaction
from truceline.exchange.demo import data_file
from truceline.exchange.exporter import export_file
from truceline.exchange.importer import import_file
from truceline.exchange.records import ImportRecord, Rejection
from truceline.exchange.truceline_json import IncidentDoc, read_records
from truceline.incidents.models import IncidentReportLink, Report
from truceline.intake.schemas import ReportCorrection
from truceline.intake.services import correct_report
from truceline.profile import initialise

WriteGed = Callable[..., Path]
GedRow = Callable[..., dict[str, str]]

INCIDENT: dict[str, Any] = {
    "code": "t-1",
    "occurred_at": "2025-10-17T21:30:00+05:00",
    "event_type": "air_drone_strike",
    "lat": 32.93,
    "lon": 69.17,
    "perpetrator": "PK",
    "targets": ["civilians"],
    "casualties": {"civilians": {"low": 8, "best": 8, "high": 10}},
    "reports": [{"code": "t-1-r1", "text": "A media account.", "source_type": "media"}],
}


def _write(tmp_path: Path, incidents: list[Any], **header: Any) -> Path:
    path = tmp_path / "incidents.json"
    path.write_text(
        json.dumps({"format": "truceline-json", **header, "incidents": incidents}), encoding="utf-8"
    )
    return path


def _incidents(path: Path) -> list[dict[str, Any]]:
    return sorted(
        json.loads(path.read_text(encoding="utf-8"))["incidents"], key=lambda i: i["code"]
    )


def test_export_then_import_into_a_fresh_database_gives_the_same_incidents(
    engine: Engine, tmp_path: Path, write_ged: WriteGed, ged_row: GedRow, sqlite_template: Path
) -> None:
    import_file(
        engine, write_ged([ged_row(id="1"), ged_row(id="2", side_b="Civilians")]), "ucdp-ged"
    )
    with data_file("demo_october_2025.json") as october:
        import_file(engine, october, "truceline-json")
    first = export_file(engine, tmp_path / "first.json", "truceline-json", settings=get_settings())
    fresh = make_engine(f"sqlite:///{tmp_path / 'fresh.sqlite3'}")
    initialise(fresh)
    summary = import_file(fresh, tmp_path / "first.json", "truceline-json")
    export_file(fresh, tmp_path / "second.json", "truceline-json", settings=get_settings())
    fresh.dispose()
    assert summary.rejected == [] and summary.imported == first.exported == 11
    assert _incidents(tmp_path / "first.json") == _incidents(tmp_path / "second.json")


def test_reimporting_an_export_into_the_same_database_finds_only_duplicates(
    engine: Engine, tmp_path: Path
) -> None:
    assert import_file(engine, _write(tmp_path, [INCIDENT]), "truceline-json").imported == 1
    export_file(engine, tmp_path / "out.json", "truceline-json", settings=get_settings())
    again = import_file(engine, tmp_path / "out.json", "truceline-json")
    assert (again.imported, again.duplicates, again.rejected) == (0, 1, [])


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"colour": "red"}, "field 'colour': Extra inputs are not permitted"),
        (
            {"event_type": "skirmish"},
            "field 'event_type': Value error, unknown event type 'skirmish'",
        ),
        (
            {"occurred_at": "2025-10-17T21:30:00"},
            "field 'occurred_at': Input should have timezone info",
        ),
        ({"lat": 132.9}, "field 'lat': Input should be less than or equal to 90"),
        ({"occurred_at": "2999-01-01T00:00:00Z"}, "occurred_at: 2999-01-01 is in the future"),
        ({"casualties": {"civilians": {"low": 9, "best": 8, "high": 10}}}, "low <= best <= high"),
        ({"targets": ["houses"]}, "field 'targets.0'"),
    ],
)
def test_invalid_incidents_are_rejected_naming_the_field(
    tmp_path: Path, change: dict[str, Any], reason: str
) -> None:
    items = list(read_records(_write(tmp_path, [INCIDENT, {**INCIDENT, "code": "t-2", **change}])))
    assert isinstance(items[0], ImportRecord)
    assert isinstance(items[1], Rejection) and items[1].row == 2
    assert items[1].reason.startswith("incident 2 (line 1): ")
    assert reason in items[1].reason


def test_malformed_json_keeps_the_incidents_before_it(tmp_path: Path) -> None:
    good = json.dumps(INCIDENT)
    path = tmp_path / "broken.json"
    path.write_text('{"incidents": [\n' + good + ",\n" + '{"code": "t-2",,}\n]}', encoding="utf-8")
    items = list(read_records(path))
    assert isinstance(items[0], ImportRecord)
    assert isinstance(items[1], Rejection) and items[1].row == 2
    assert "malformed JSON: malformed element 2" in items[1].reason and "line 3" in items[1].reason


def test_non_utf8_bytes_reject_only_that_incident(tmp_path: Path) -> None:
    path = tmp_path / "latin1.json"
    second = json.dumps({**INCIDENT, "code": "t-2", "title": "PLACEHOLDER"}).encode()
    path.write_bytes(
        b'{"incidents": ['
        + json.dumps(INCIDENT).encode()
        + b",\n"
        + second.replace(b"PLACEHOLDER", b"Pe\xf1a")
        + b"]}"
    )
    items = list(read_records(path))
    assert isinstance(items[0], ImportRecord)
    assert isinstance(items[1], Rejection) and items[1].row == 2
    assert "invalid UTF-8 byte 0xF1" in items[1].reason


def test_unknown_top_level_keys_and_other_formats_are_reported(tmp_path: Path) -> None:
    items = list(read_records(_write(tmp_path, [INCIDENT], format="geojson", colour="red")))
    reasons = [i.reason for i in items if isinstance(i, Rejection)]
    assert reasons == [
        "unknown top-level key(s): 'colour'",
        "format: 'geojson' is not 'truceline-json'",
    ]


def test_a_new_report_version_links_to_the_one_it_supersedes(
    engine: Engine, tmp_path: Path
) -> None:
    reports = [
        {"code": "t-1-r1", "text": "first account"},
        {"code": "t-1-r1-v2", "version": 2, "supersedes": "t-1-r1", "text": "corrected account"},
    ]
    import_file(engine, _write(tmp_path, [{**INCIDENT, "reports": reports}]), "truceline-json")
    export_file(engine, tmp_path / "out.json", "truceline-json", settings=get_settings())
    (incident,) = _incidents(tmp_path / "out.json")
    assert [(r["code"], r["supersedes"]) for r in incident["reports"]] == [
        ("t-1-r1", None),
        ("t-1-r1-v2", "t-1-r1"),
    ]


def _correct(engine: Engine, code: str, text: str) -> str:
    """Correct the latest version of report ``code`` through intake, as a mediator would."""
    with transaction(engine) as session:
        report = session.scalars(select(Report).where(Report.code == code)).one()
        corrected = correct_report(
            session,
            report.id,
            ReportCorrection(reason="the source corrected its count", changes={"text": text}),
            principal=Principal("analyst-1", Role.MEDIATOR),  # imported: the mechanism corrects
        )
        return corrected.code


def _versions(engine: Engine) -> list[tuple[str, int, str | None, bool]]:
    """Each report: code, version, the code it supersedes, whether it is linked now."""
    with transaction(engine) as session:
        codes = {
            report_id: code for report_id, code in session.execute(select(Report.id, Report.code))
        }
        active = set(
            session.scalars(
                select(IncidentReportLink.report_id).where(IncidentReportLink.unlinked_at.is_(None))
            )
        )
        return [
            (r.code, r.version, codes.get(r.supersedes_id or -1), r.id in active)
            for r in session.scalars(select(Report).order_by(Report.code))
        ]


def test_a_corrected_report_survives_export_and_import_into_a_fresh_database(
    engine: Engine, fresh_engine: Engine, tmp_path: Path
) -> None:
    """It used to be refused: "report … supersedes a report that does not exist"."""
    import_file(engine, _write(tmp_path, [INCIDENT]), "truceline-json")
    second = _correct(engine, "t-1-r1", "Eight civilians killed, ten by another count.")
    third = _correct(engine, second, "Eight civilians killed.")
    first = export_file(engine, tmp_path / "first.json", "truceline-json", settings=get_settings())
    summary = import_file(fresh_engine, tmp_path / "first.json", "truceline-json")
    assert (summary.imported, summary.rejected) == (first.exported, []) == (1, [])
    assert (
        _versions(fresh_engine)
        == _versions(engine)
        == [
            ("t-1-r1", 1, None, False),
            (second, 2, "t-1-r1", False),
            (third, 3, second, True),
        ]
    )
    export_file(fresh_engine, tmp_path / "second.json", "truceline-json", settings=get_settings())
    assert _incidents(tmp_path / "first.json") == _incidents(tmp_path / "second.json")
    again = import_file(fresh_engine, tmp_path / "first.json", "truceline-json")
    assert (again.imported, again.duplicates, again.rejected) == (0, 1, [])


def test_two_exports_of_the_same_data_are_byte_identical_with_sorted_free_form_keys(
    engine: Engine, tmp_path: Path, write_ged: WriteGed, ged_row: GedRow
) -> None:
    import_file(engine, write_ged([ged_row(id="1"), ged_row(id="2")]), "ucdp-ged")
    import_file(engine, _write(tmp_path, [INCIDENT]), "truceline-json")
    _correct(engine, "t-1-r1", "A corrected media account.")
    export_file(engine, tmp_path / "one.json", "truceline-json", settings=get_settings())
    export_file(engine, tmp_path / "two.json", "truceline-json", settings=get_settings())
    assert (tmp_path / "one.json").read_bytes() == (tmp_path / "two.json").read_bytes()
    incidents = _incidents(tmp_path / "one.json")
    record = next(i for i in incidents if i.get("origin"))["origin"]["record"]
    assert list(record) == sorted(record)
    assert list(incidents[0]) == [name for name in IncidentDoc.model_fields if name in incidents[0]]
