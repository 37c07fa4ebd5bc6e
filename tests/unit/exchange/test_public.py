"""``truceline export … --released-only``: what the public may read, with coarsened places only."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from sqlalchemy import Engine
from typer.testing import CliRunner

from support_web import INCIDENTS, SECRET_TITLE, seed_incidents
from truceline.cli.main import build_app
from truceline.config import get_settings
from truceline.db.engine import transaction
from truceline.geo.coarsening import coarsen_for_public

runner = CliRunner()
#: TL-0001 (determined) and TL-0003 (refuted) are released; TL-0005 is released but still
#: open, so the policy keeps it from the public; TL-0002 and TL-0004 are not released.
PUBLIC_CODES = {"TL-0001", "TL-0003"}
EXACT = {code: (lat, lon) for code, lat, lon, *_ in INCIDENTS}


def _export(engine: Engine, tmp_path: Path, file_format: str) -> tuple[dict, str]:  # type: ignore[type-arg]
    with transaction(engine) as session:
        seed_incidents(session)
    target = tmp_path / f"public.{file_format}"
    result = runner.invoke(
        build_app(),
        ["export", "--format", file_format, "-o", str(target), "--released-only", "--json"],
    )
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout), target.read_text(encoding="utf-8")


def _assert_nothing_protected(text: str) -> None:
    for secret in ("Reporter Gul Khan", "Liaison office", "Allegation about", "Village TL-"):
        assert secret not in text
    assert SECRET_TITLE not in text


def test_truceline_json_holds_public_incidents_with_coarsened_places_and_no_reports(
    engine: Engine, tmp_path: Path
) -> None:
    summary, text = _export(engine, tmp_path, "truceline-json")
    incidents = {doc["code"]: doc for doc in json.loads(text)["incidents"]}
    assert summary["exported"] == 2 and set(incidents) == PUBLIC_CODES
    for code, doc in incidents.items():
        exact = EXACT[code]
        assert (doc["lat"], doc["lon"]) == coarsen_for_public(
            *exact, population=None, settings=get_settings()
        )
        assert (doc["lat"], doc["lon"]) != exact
        assert doc["geo_precision"] >= 2
        assert doc["reports"] == [] and doc["title"] == "" and doc["place_name"] == ""
    _assert_nothing_protected(text)


@pytest.mark.parametrize("file_format", ["geojson", "acled-csv"])
def test_geojson_and_acled_carry_only_coarsened_points(
    sqlite_engine: Engine, tmp_path: Path, file_format: str
) -> None:
    _, text = _export(sqlite_engine, tmp_path, file_format)
    if file_format == "geojson":
        points = {
            f["id"]: tuple(reversed(f["geometry"]["coordinates"]))
            for f in json.loads(text)["features"]
        }
    else:
        rows = list(csv.DictReader(text.splitlines()))
        points = {r["event_id_cnty"]: (float(r["latitude"]), float(r["longitude"])) for r in rows}
    assert set(points) == PUBLIC_CODES
    for code, point in points.items():
        assert point == coarsen_for_public(*EXACT[code], population=None, settings=get_settings())
    _assert_nothing_protected(text)


def test_without_the_flag_the_export_is_complete_and_exact(
    sqlite_engine: Engine, tmp_path: Path
) -> None:
    with transaction(sqlite_engine) as session:
        seed_incidents(session)
    target = tmp_path / "all.json"
    runner.invoke(build_app(), ["export", "--format", "truceline-json", "-o", str(target)])
    incidents = {d["code"]: d for d in json.loads(target.read_text(encoding="utf-8"))["incidents"]}
    assert len(incidents) == len(INCIDENTS)
    assert (incidents["TL-0001"]["lat"], incidents["TL-0001"]["lon"]) == EXACT["TL-0001"]
