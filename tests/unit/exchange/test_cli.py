from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Engine
from typer.testing import CliRunner

from truceline.cli.main import build_app
from truceline.exchange.ucdp import GED_COLUMNS

WriteGed = Callable[..., Path]
GedRow = Callable[..., dict[str, str]]
runner = CliRunner()


def test_import_prints_one_json_document_and_exits_1_when_rows_were_rejected(
    sqlite_engine: Engine, write_ged: WriteGed, ged_row: GedRow
) -> None:
    path = write_ged([ged_row(id="1"), ged_row(id="2", longitude="200")], hdx=True)
    result = runner.invoke(build_app(), ["import", str(path), "--format", "ucdp-ged", "--json"])
    payload = json.loads(result.stdout)
    assert result.exit_code == 1
    assert (payload["imported"], payload["duplicates"]) == (1, 0)
    assert payload["rejected"] == [
        {"row": 2, "reason": "line 4: longitude: 200.0 is outside -180..180"}
    ]
    again = runner.invoke(build_app(), ["import", str(path), "--format", "ucdp-ged", "--json"])
    assert json.loads(again.stdout)["duplicates"] == 1


def test_export_reports_count_and_path(
    sqlite_engine: Engine, write_ged: WriteGed, ged_row: GedRow, tmp_path: Path
) -> None:
    runner.invoke(build_app(), ["import", str(write_ged([ged_row()])), "--format", "ucdp-ged"])
    target = tmp_path / "out.csv"
    result = runner.invoke(
        build_app(), ["export", "--format", "acled-csv", "-o", str(target), "--json"]
    )
    assert result.exit_code == 0
    assert json.loads(result.stdout) | {"format": None, "skipped": None} == {
        "exported": 1, "path": str(target), "format": None, "skipped": None
    }  # fmt: skip
    assert target.read_text(encoding="utf-8").startswith("event_id_cnty,event_date,year,")


def test_unknown_format_is_a_usage_error(sqlite_engine: Engine, tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("a\n", encoding="utf-8")
    result = runner.invoke(build_app(), ["import", str(path), "--format", "gtd"])
    assert result.exit_code == 2


def insert_hxl_row(path: Path, columns: list[str], tags: dict[str, str]) -> Path:
    """Put an HDX-style HXL hashtag row under the header; untagged columns stay empty."""
    header, rest = path.read_text(encoding="utf-8").split("\n", 1)
    hashtags = ",".join(tags.get(name, "") for name in columns)
    path.write_text(f"{header}\n{hashtags}\n{rest}", encoding="utf-8")
    return path


def test_import_skips_the_hdx_hashtag_row_of_a_ged_file_even_with_empty_first_cells(
    sqlite_engine: Engine, write_ged: WriteGed, ged_row: GedRow
) -> None:
    path = write_ged([ged_row(id="1"), ged_row(id="2", latitude="95"), ged_row(id="3")])
    tags = {"year": "#date+year", "country": "#country+name", "iso3": "#country+code"}
    tags |= {"adm_1": "#adm1+name", "latitude": "#geo+lat", "longitude": "#geo+lon"}
    insert_hxl_row(path, list(GED_COLUMNS), tags)
    assert path.read_text(encoding="utf-8").split("\n")[1].startswith(",,#date+year,")
    result = runner.invoke(build_app(), ["import", str(path), "--format", "ucdp-ged", "--json"])
    payload = json.loads(result.stdout)
    assert (payload["imported"], payload["duplicates"]) == (2, 0)
    assert payload["rejected"] == [
        {"row": 2, "reason": "line 4: latitude: 95.0 is outside -90..90"}
    ]
    assert result.exit_code == 1
