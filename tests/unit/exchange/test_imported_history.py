"""Events imported from datasets are history (``historical``), not allegations waiting for
an analyst; a truceline JSON file keeps the state it gives (``rows.IMPORTED_HISTORY``)."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select

from truceline.db.engine import transaction
from truceline.exchange.acled import ACLED_COLUMNS
from truceline.exchange.acled import read_records as read_acled
from truceline.exchange.importer import import_file
from truceline.exchange.records import ImportRecord
from truceline.exchange.truceline_json import read_records as read_json
from truceline.exchange.ucdp import read_records as read_ged
from truceline.incidents.models import Incident

from .conftest import GED_SAMPLE_ROW, WriteGed
from .test_acled import ROW


def _only(records: Any) -> ImportRecord:
    (record,) = list(records)
    assert isinstance(record, ImportRecord), record
    return record


def test_ucdp_ged_events_are_imported_as_history(engine: Engine, write_ged: WriteGed) -> None:
    path = write_ged([GED_SAMPLE_ROW])
    assert _only(read_ged(path)).incident["verification_state"] == "historical"
    import_file(engine, path, "ucdp-ged")
    with transaction(engine) as session:
        assert session.scalars(select(Incident.verification_state)).all() == ["historical"]


def test_acled_events_are_imported_as_history(tmp_path: Path) -> None:
    path = tmp_path / "acled.csv"
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=list(ACLED_COLUMNS))
        writer.writeheader()
        writer.writerow(ROW)
    assert _only(read_acled(path)).incident["verification_state"] == "historical"


def _json(tmp_path: Path, **incident: Any) -> Path:
    doc = {
        "code": "t-1",
        "occurred_at": "2025-10-17T21:30:00+05:00",
        "event_type": "air_drone_strike",
        **incident,
    }
    path = tmp_path / "incidents.json"
    path.write_text(json.dumps({"format": "truceline-json", "incidents": [doc]}), encoding="utf-8")
    return path


def test_a_json_incident_only_datasets_speak_for_is_history(tmp_path: Path) -> None:
    dataset = {"code": "r-1", "text": "GED event", "source_type": "dataset"}
    path = _json(tmp_path, reports=[dataset])
    assert _only(read_json(path)).incident["verification_state"] == "historical"
    origin_only = _json(tmp_path, origin={"dataset": "ucdp-ged", "event_id": "1"})
    assert _only(read_json(origin_only)).incident["verification_state"] == "historical"


def test_a_json_allegation_is_reported_and_a_given_state_is_kept(tmp_path: Path) -> None:
    allegation = {"code": "r-1", "text": "We were shelled.", "source_type": "party_liaison",
                  "source_party": "AF"}  # fmt: skip
    dataset = {"code": "r-2", "text": "GED event", "source_type": "dataset"}
    mixed = _json(tmp_path, reports=[allegation, dataset])
    assert _only(read_json(mixed)).incident["verification_state"] == "reported"
    assert _only(read_json(_json(tmp_path)))  # no reports, no origin: an allegation
    assert _only(read_json(_json(tmp_path))).incident["verification_state"] == "reported"
    given = _json(tmp_path, verification_state="reported", reports=[dataset])
    assert _only(read_json(given)).incident["verification_state"] == "reported"
