from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Engine

from truceline.config import get_settings
from truceline.exchange.exporter import export_file
from truceline.exchange.importer import import_file

WriteGed = Callable[..., Path]
GedRow = Callable[..., dict[str, str]]


def test_geojson_export_is_a_feature_collection_of_points_in_lon_lat_order(
    engine: Engine, tmp_path: Path, write_ged: WriteGed, ged_row: GedRow
) -> None:
    import_file(engine, write_ged([ged_row(id="1"), ged_row(id="2")]), "ucdp-ged")
    summary = export_file(engine, tmp_path / "out.geojson", "geojson", settings=get_settings())
    document = json.loads((tmp_path / "out.geojson").read_text(encoding="utf-8"))
    assert summary.exported == 2 and document["type"] == "FeatureCollection"
    feature = document["features"][0]
    assert feature["geometry"] == {"type": "Point", "coordinates": [72.3602, 34.7717]}
    properties = feature["properties"]
    assert properties["code"] == "ucdp-ged-1" and properties["fatalities_best"] == 9
    assert properties["sources"] == ["UCDP GED"]
    assert "UCDP" in document["attribution"][0]
