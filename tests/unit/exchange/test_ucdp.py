from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

import pytest

from truceline.events.casualties import Casualties
from truceline.exchange.records import ImportRecord, Rejection
from truceline.exchange.ucdp import GED_COLUMNS, read_records

WriteGed = Callable[..., Path]
GedRow = Callable[..., dict[str, str]]


def _records(path: Path) -> list[ImportRecord]:
    items = list(read_records(path))
    assert all(isinstance(i, ImportRecord) for i in items), items
    return [i for i in items if isinstance(i, ImportRecord)]


def test_every_event_of_the_shared_file_is_read_with_its_columns_verbatim(shared_ged: Path) -> None:
    with shared_ged.open(encoding="utf-8", newline="") as source:
        originals = {row["id"]: row for row in csv.DictReader(source)}
    records = _records(shared_ged)
    assert len(records) == len(originals) == 5296
    for record in records:
        original = originals[record.incident["origin_event_id"]]
        assert record.incident["origin_record"] == original
        total = Casualties.from_json(record.incident["casualties"]).total
        assert total.best == int(original["best"])
        assert record.incident["geo_precision"] == int(original["where_prec"])
        assert record.incident["time_precision"] == int(original["date_prec"])


def test_deaths_by_side_become_casualty_categories_with_the_overall_range(
    write_ged: WriteGed, ged_row: GedRow
) -> None:
    (record,) = _records(write_ged([ged_row()]))
    assert record.incident["casualties"] == {
        "security_forces": {"low": 1, "best": 2, "high": 3},
        "militants": {"low": 5, "best": 6, "high": 9},
        "civilians": {"low": 1, "best": 1, "high": 2},
    }
    total = Casualties.from_json(record.incident["casualties"]).total
    assert (total.low, total.best, total.high) == (7, 9, 14)


def test_text_fields_and_precision_codes_are_kept(write_ged: WriteGed, ged_row: GedRow) -> None:
    (record,) = _records(write_ged([ged_row(where_prec="5", date_prec="2")]))
    incident, report = record.incident, record.reports[0].columns
    assert incident["place_name"] == "Mingora town"
    assert incident["notes"] == "near Mingora, Swat"
    assert (incident["admin1"], incident["admin2"], incident["country"]) == (
        "Khyber Pakhtunkhwa",
        "Swat district",
        "PK",
    )
    assert (incident["geo_precision"], incident["time_precision"]) == (5, 2)
    assert (incident["perpetrator"], incident["target_actor"]) == ("PK", "TTP")
    assert "Headline: Clash in Swat" in report["text"]
    assert 'Sources: "Dawn,2009-05-02,Clash in Swat"' in report["text"]
    assert "Original source: security officials" in report["text"]
    assert report["source_name"] == "UCDP GED"


def test_hdx_tag_row_is_skipped_and_not_counted_as_a_row(
    write_ged: WriteGed, ged_row: GedRow
) -> None:
    path = write_ged([ged_row(id="1"), ged_row(id="2", latitude="95")], hdx=True)
    items = list(read_records(path))
    assert isinstance(items[0], ImportRecord) and items[0].row == 1
    assert isinstance(items[1], Rejection) and items[1].row == 2
    assert "latitude: 95.0 is outside -90..90" in items[1].reason


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"latitude": "95"}, "latitude: 95.0 is outside -90..90"),
        ({"longitude": "east"}, "longitude: 'east' is not a number"),
        (
            {"date_start": "2009-02-30 00:00:00.000"},
            "date_start: '2009-02-30 00:00:00.000' is not a valid date",
        ),
        (
            {"date_end": "2009-04-01 00:00:00.000"},
            "date_end: 2009-04-01 is before date_start 2009-05-01",
        ),
        ({"year": "2011"}, "year: 2011 does not match date_start 2009-05-01"),
        ({"deaths_a": "-3"}, "deaths_a: -3 is below the smallest allowed value 0"),
        ({"where_prec": "8"}, "where_prec: 8 is above the largest allowed value 7"),
        ({"type_of_violence": "4"}, "type_of_violence: 4 is above"),
        ({"id": " "}, "id: empty"),
    ],
)
def test_bad_values_are_rejected_with_row_line_and_field(
    write_ged: WriteGed, ged_row: GedRow, changes: dict[str, str], reason: str
) -> None:
    items = list(read_records(write_ged([ged_row(id="1"), ged_row(**{"id": "2", **changes})])))
    assert isinstance(items[0], ImportRecord)
    assert isinstance(items[1], Rejection)
    assert items[1].row == 2
    assert items[1].reason.startswith("line 3: ")
    assert reason in items[1].reason


def test_unknown_header_column_is_named_with_its_position(tmp_path: Path) -> None:
    path = tmp_path / "extra.csv"
    path.write_text(",".join([*GED_COLUMNS, "colour"]) + "\n", encoding="utf-8")
    (rejection,) = list(read_records(path))
    assert isinstance(rejection, Rejection) and rejection.row == 0
    assert f"unknown column 'colour' (column {len(GED_COLUMNS) + 1})" in rejection.reason


def test_row_with_more_fields_than_the_header_is_rejected(
    write_ged: WriteGed, ged_row: GedRow
) -> None:
    path = write_ged([ged_row(id="1")])
    with path.open("a", encoding="utf-8", newline="") as out:
        csv.writer(out).writerow([*ged_row(id="2").values(), "surplus"])
    items = list(read_records(path))
    assert isinstance(items[1], Rejection) and items[1].row == 2
    assert f"{len(GED_COLUMNS) + 1} fields but the header has {len(GED_COLUMNS)}" in items[1].reason


def test_non_utf8_bytes_reject_the_row_with_the_byte_offset(
    write_ged: WriteGed, ged_row: GedRow
) -> None:
    path = write_ged([ged_row(id="1"), ged_row(id="2", where_description="PLACEHOLDER")])
    data = path.read_bytes()
    offset = data.index(b"PLACEHOLDER")
    path.write_bytes(data.replace(b"PLACEHOLDER", b"Pe\xf1a"))
    items = list(read_records(path))
    assert isinstance(items[1], Rejection) and items[1].row == 2
    assert f"invalid UTF-8 byte 0xF1 at byte offset {offset + 2}" in items[1].reason


def test_suicide_attack_in_the_headline_refines_the_event_type(
    write_ged: WriteGed, ged_row: GedRow
) -> None:
    (record,) = _records(write_ged([ged_row(source_headline="Suicide bomber hits checkpoint")]))
    assert record.incident["event_type"] == "suicide_bomb"
    (plain,) = _records(
        write_ged(
            [
                ged_row(
                    source_headline="",
                    source_article="R 1/1",
                    type_of_violence="3",
                    side_b="Civilians",
                )
            ]
        )
    )
    assert plain.incident["event_type"] == "attack"
    assert plain.incident["targets"] == ["civilians"]
