from __future__ import annotations

import csv
import json
from pathlib import Path

from sqlalchemy import Engine, select
from typer.testing import CliRunner

from truceline.cli.main import build_app
from truceline.config import get_settings
from truceline.db.engine import transaction
from truceline.exchange.acled import ACLED_COLUMNS, read_records
from truceline.exchange.exporter import export_file
from truceline.exchange.importer import import_file
from truceline.exchange.records import ImportRecord, Rejection
from truceline.incidents.models import Incident

ROW = {
    "event_id_cnty": "PAK12345", "event_date": "2025-10-12", "year": "2025", "time_precision": "1",
    "disorder_type": "Political violence", "event_type": "Battles", "sub_event_type": "Armed clash",
    "actor1": "Military Forces of Afghanistan (2021-)", "assoc_actor_1": "", "inter1": "1",
    "actor2": "Military Forces of Pakistan (2018-)", "assoc_actor_2": "", "inter2": "1",
    "interaction": "11", "civilian_targeting": "", "iso": "586", "region": "South Asia",
    "country": "Pakistan", "admin1": "Khyber Pakhtunkhwa", "admin2": "Bajaur", "admin3": "",
    "location": "Bajaur", "latitude": "34.7573", "longitude": "71.4907", "geo_precision": "2",
    "source": "Dawn", "source_scale": "National", "notes": "Afghan forces attacked border posts.",
    "fatalities": "4", "tags": "", "timestamp": "1760300000",
}  # fmt: skip


def _write(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=list(ACLED_COLUMNS))
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_acled_rows_map_to_incidents_with_actors_and_precision(tmp_path: Path) -> None:
    (record,) = list(read_records(_write(tmp_path / "a.csv", [ROW])))
    assert isinstance(record, ImportRecord)
    incident = record.incident
    assert (incident["event_type"], incident["perpetrator"], incident["target_actor"]) == (
        "armed_clash",
        "AF",
        "PK",
    )
    assert incident["targets"] == ["security_forces"]
    assert incident["casualties"] == {"unknown": {"low": 4, "best": 4, "high": 4}}
    assert (incident["country"], incident["geo_precision"]) == ("PK", 2)
    assert incident["origin_record"] == ROW
    assert record.reports[0].columns["text"].startswith("Afghan forces attacked border posts.")


def test_unknown_sub_event_types_and_mismatched_parents_are_rejected(tmp_path: Path) -> None:
    rows = [
        {**ROW, "event_id_cnty": "A1", "sub_event_type": "Skirmish"},
        {**ROW, "event_id_cnty": "A2", "event_type": "Protests"},
        {**ROW, "event_id_cnty": "A3", "event_date": "12/10/2025"},
    ]
    reasons = [
        i.reason for i in read_records(_write(tmp_path / "a.csv", rows)) if isinstance(i, Rejection)
    ]
    assert "sub_event_type: 'Skirmish' is not an ACLED sub-event type" in reasons[0]
    assert "does not belong to event_type 'Protests'" in reasons[1]
    assert "event_date: '12/10/2025' is not a valid date" in reasons[2]


def test_export_uses_acled_columns_and_reimports_to_the_same_incident(
    engine: Engine, tmp_path: Path
) -> None:
    import_file(engine, _write(tmp_path / "in.csv", [ROW]), "acled")
    with transaction(engine) as session:  # a ceasefire type and a finer place code ACLED lacks
        incident = session.scalars(select(Incident)).one()
        incident.event_type, incident.geo_precision = "cross_border_fire", 5
    export_file(engine, tmp_path / "out.csv", "acled-csv", settings=get_settings())
    with (tmp_path / "out.csv").open(encoding="utf-8", newline="") as source:
        reader = csv.DictReader(source)
        (row,) = list(reader)
    assert tuple(reader.fieldnames or ()) == ACLED_COLUMNS
    assert (row["event_id_cnty"], row["event_date"], row["sub_event_type"]) == (
        "PAK12345",
        "2025-10-12",
        "Shelling/artillery/missile attack",
    )
    assert row["tags"] == "truceline:type=cross_border_fire; truceline:geo_precision=5"
    (again,) = list(read_records(tmp_path / "out.csv"))
    assert isinstance(again, ImportRecord)
    assert (again.incident["event_type"], again.incident["geo_precision"]) == (
        "cross_border_fire",
        5,
    )


def test_import_skips_the_hdx_hashtag_row_of_an_acled_file(
    sqlite_engine: Engine, tmp_path: Path
) -> None:
    """ACLED's HDX downloads carry the hashtag row too, often with empty first cells."""
    rows = [{**ROW, "event_id_cnty": "PAK1"}, {**ROW, "event_id_cnty": "PAK2", "latitude": "95"}]
    path = _write(tmp_path / "acled-hdx.csv", rows)
    header, rest = path.read_text(encoding="utf-8").split("\n", 1)
    tags = {"event_date": "#date+occurred", "year": "#date+year", "country": "#country+name"}
    tags |= {"latitude": "#geo+lat", "longitude": "#geo+lon", "fatalities": "#affected+killed"}
    hashtags = ",".join(tags.get(name, "") for name in ACLED_COLUMNS)
    assert hashtags.startswith(",#date+occurred,#date+year,")
    path.write_text(f"{header}\n{hashtags}\n{rest}", encoding="utf-8")
    result = CliRunner().invoke(build_app(), ["import", str(path), "--format", "acled", "--json"])
    payload = json.loads(result.stdout)
    assert (payload["imported"], payload["duplicates"]) == (1, 0)
    assert payload["rejected"] == [
        {"row": 2, "reason": "line 4: latitude: 95.0 is outside -90..90"}
    ]
    assert result.exit_code == 1
