"""Contract tests of the importer, on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Engine, func, select

from truceline.audit.models import AuditEntry
from truceline.db.engine import transaction
from truceline.events.casualties import Casualties
from truceline.exchange.importer import SeenIds, import_file
from truceline.incidents.models import Incident, IncidentReportLink, Report

WriteGed = Callable[..., Path]
GedRow = Callable[..., dict[str, str]]


def _count(engine: Engine, model: type) -> int:
    with transaction(engine) as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_each_event_becomes_an_incident_with_its_report_linked(
    engine: Engine, write_ged: WriteGed, ged_row: GedRow
) -> None:
    summary = import_file(engine, write_ged([ged_row(id="1"), ged_row(id="2")]), "ucdp-ged")
    assert summary.to_json()["imported"] == 2 and summary.rejected == []
    with transaction(engine) as session:
        incident = session.scalars(select(Incident).where(Incident.origin_event_id == "2")).one()
        (link,) = session.scalars(
            select(IncidentReportLink).where(IncidentReportLink.incident_id == incident.id)
        ).all()
        report = session.get(Report, link.report_id)
        assert incident.origin_dataset == "ucdp-ged" and incident.code == "ucdp-ged-2"
        assert incident.origin_record["source_headline"] == "Clash in Swat"
        assert incident.occurred_at.isoformat() == "2009-05-01T00:00:00+00:00"
        assert report is not None and report.origin_event_id == "2"
        assert "Headline: Clash in Swat" in report.text and len(report.content_hash) == 64


def test_reimporting_the_same_file_creates_no_duplicates(
    engine: Engine, write_ged: WriteGed, ged_row: GedRow
) -> None:
    path = write_ged([ged_row(id=str(i)) for i in range(1, 6)], hdx=True)
    first = import_file(engine, path, "ucdp-ged", batch_size=2)
    second = import_file(engine, path, "ucdp-ged", batch_size=2)
    assert (first.imported, first.duplicates) == (5, 0)
    assert (second.imported, second.duplicates, second.rejected) == (0, 5, [])
    assert _count(engine, Incident) == 5 and _count(engine, Report) == 5


def test_bad_rows_are_rejected_one_by_one_and_the_rest_imported(
    engine: Engine, write_ged: WriteGed, ged_row: GedRow
) -> None:
    rows = [
        ged_row(id="1"),
        ged_row(id="2", latitude="123"),
        ged_row(id="3"),
        ged_row(id="4", date_start="2009-13-01 00:00:00.000"),
        ged_row(id="5"),
    ]
    summary = import_file(engine, write_ged(rows), "ucdp-ged", batch_size=2).to_json()
    assert summary["imported"] == 3
    assert [r["row"] for r in summary["rejected"]] == [2, 4]
    assert "latitude" in summary["rejected"][0]["reason"]
    assert "date_start" in summary["rejected"][1]["reason"]


def test_duplicate_ids_within_a_file_are_rejected_even_across_batches(
    engine: Engine, write_ged: WriteGed, ged_row: GedRow
) -> None:
    rows = [ged_row(id="1"), ged_row(id="2"), ged_row(id="1"), ged_row(id="3"), ged_row(id="2")]
    summary = import_file(engine, write_ged(rows), "ucdp-ged", batch_size=2).to_json()
    assert summary["imported"] == 3 and summary["duplicates"] == 0
    assert [(r["row"], r["reason"]) for r in summary["rejected"]] == [
        (3, "duplicate id 'ucdp-ged:1': an earlier row of this file has it"),
        (5, "duplicate id 'ucdp-ged:2': an earlier row of this file has it"),
    ]
    within = import_file(
        engine, write_ged([ged_row(id="7"), ged_row(id="7")], name="b.csv"), "ucdp-ged"
    )
    assert [r.reason for r in within.rejected] == [
        "duplicate id 'ucdp-ged:7': row 1 of this file has it"
    ]


def test_a_row_the_database_refuses_is_isolated_and_nothing_stored_is_lost(
    engine: Engine, write_ged: WriteGed, ged_row: GedRow
) -> None:
    import_file(engine, write_ged([ged_row(id="1")], name="first.csv"), "ucdp-ged")
    with transaction(engine) as session:  # a report whose code collides with row 2's report code
        session.add(
            Report(code="ucdp-ged-3-r1", channel="api", source_type="media", content_hash="0" * 64)
        )
    rows = [ged_row(id="2"), ged_row(id="3"), ged_row(id="4")]
    summary = import_file(engine, write_ged(rows, name="second.csv"), "ucdp-ged")
    assert summary.imported == 2
    assert [r.row for r in summary.rejected] == [2]
    assert "the database refused the row" in summary.rejected[0].reason
    with transaction(engine) as session:
        codes = set(session.scalars(select(Incident.code)))
    assert codes == {"ucdp-ged-1", "ucdp-ged-2", "ucdp-ged-4"}
    assert _count(engine, Report) == 4 and _count(engine, IncidentReportLink) == 3


def test_the_import_is_audited_once_per_batch_not_per_row(
    engine: Engine, write_ged: WriteGed, ged_row: GedRow
) -> None:
    before = _count(engine, AuditEntry)
    import_file(
        engine, write_ged([ged_row(id=str(i)) for i in range(1, 6)]), "ucdp-ged", batch_size=2
    )
    with transaction(engine) as session:
        entries = session.scalars(select(AuditEntry).where(AuditEntry.seq >= before)).all()
    # each batch: its entry, then the state digests of the rows it wrote
    assert [e.action for e in entries] == ["exchange.import_batch", "audit.state"] * 3
    assert entries[0].object_id == "ucdp-ged:ged.csv#1" and entries[0].after_hash
    assert [e.object_id for e in entries[1::2]] == ["6", "6", "3"]  # incident, report, link


def test_the_shared_ged_file_keeps_every_event_its_deaths_and_text(
    engine: Engine, shared_ged: Path
) -> None:
    summary = import_file(engine, shared_ged, "ucdp-ged")
    assert (summary.imported, summary.rejected) == (5296, [])
    with shared_ged.open(encoding="utf-8", newline="") as source:
        originals = {row["id"]: row for row in csv.DictReader(source)}
    with transaction(engine) as session:
        stored = session.execute(
            select(
                Incident.origin_event_id, Incident.origin_record, Incident.casualties, Report.text
            )
            .join(IncidentReportLink, IncidentReportLink.incident_id == Incident.id)
            .join(Report, Report.id == IncidentReportLink.report_id)
        ).all()
    assert len(stored) == 5296
    for event_id, record, casualties, text in stored:
        original = originals[event_id]
        assert record == original
        total = Casualties.from_json(casualties).total
        assert total.best == int(original["best"])
        assert total.low == min(int(original["low"]), int(original["best"]))
        if original["source_headline"]:
            assert original["source_headline"] in text


def test_seen_ids_remember_every_key_added() -> None:
    seen = SeenIds()
    for start in range(0, 5000, 700):
        seen.add(f"id-{i}" for i in range(start, start + 700))
    assert all(f"id-{i}" in seen for i in range(0, 5600, 37))
    assert "id-99999" not in seen


def test_reading_in_a_helper_process_gives_the_same_result(
    engine: Engine, write_ged: WriteGed, ged_row: GedRow
) -> None:
    rows = [ged_row(id=str(i)) for i in range(1, 8)] + [ged_row(id="8", latitude="-95")]
    summary = import_file(engine, write_ged(rows), "ucdp-ged", batch_size=3, background=True)
    assert (summary.imported, [r.row for r in summary.rejected]) == (7, [8])
    assert _count(engine, Incident) == 7
