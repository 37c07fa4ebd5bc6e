from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from truceline.cli.main import build_app

runner = CliRunner()
app = build_app()


def test_geo_point_json_has_exactly_the_interface_keys_at_least() -> None:
    result = runner.invoke(app, ["geo", "point", "32.93", "69.17", "--json"])
    assert result.exit_code == 0
    payload = json.loads(result.stdout)
    assert payload["country"] == "AF" and payload["admin1"] == "Paktika"
    assert isinstance(payload["border_distance_km"], float)


def test_geo_point_accepts_negative_longitudes() -> None:
    result = runner.invoke(app, ["geo", "point", "-33.9", "-70.6", "--json"])
    assert result.exit_code == 0 and json.loads(result.stdout)["country"] is None


def test_impossible_latitude_exits_2_naming_the_value() -> None:
    result = runner.invoke(app, ["geo", "point", "95", "70", "--json"])
    assert result.exit_code == 2
    assert json.loads(result.stdout) == {"error": "latitude 95.0 is outside -90..90"}


def test_non_numeric_longitude_exits_2() -> None:
    result = runner.invoke(app, ["geo", "point", "33", "east", "--json"])
    assert result.exit_code == 2 and "LON 'east'" in json.loads(result.stdout)["error"]


def test_geo_locate_text_json() -> None:
    result = runner.invoke(app, ["geo", "locate", "Datta Khel area of North Waziristan", "--json"])
    assert result.exit_code == 0
    best = json.loads(result.stdout)["matches"][0]
    assert set(best) >= {"name", "lat", "lon", "country", "admin1", "admin2", "precision", "score"}
    assert best["name"] == "Datta Khel"


def test_geo_locate_file_keeps_order_and_empty_lines(tmp_path: Path) -> None:
    path = tmp_path / "places.txt"
    path.write_text("near Torkham border crossing\n\nخوست\n", encoding="utf-8")
    result = runner.invoke(app, ["geo", "locate", "--file", str(path), "--json"])
    assert result.exit_code == 0
    documents = json.loads(result.stdout)
    assert [d["matches"][0]["name"] if d["matches"] else None for d in documents] == [
        "Torkham",
        None,
        "Khost",
    ]


def test_geo_locate_file_with_a_non_utf8_line_rejects_that_line_only(tmp_path: Path) -> None:
    path = tmp_path / "places.txt"
    path.write_bytes(b"Quetta\n\xff\xfe\nKhost\n")
    result = runner.invoke(app, ["geo", "locate", "--file", str(path), "--json"])
    assert result.exit_code == 1
    documents = json.loads(result.stdout)
    assert len(documents) == 3 and "line 2 is not valid UTF-8" in documents[1]["error"]
    assert documents[2]["matches"][0]["name"] == "Khost"


def test_geo_locate_needs_text_or_file() -> None:
    assert runner.invoke(app, ["geo", "locate", "--json"]).exit_code == 2
    assert (
        runner.invoke(app, ["geo", "locate", "--file", "/nonexistent/x.txt", "--json"]).exit_code
        == 2
    )
