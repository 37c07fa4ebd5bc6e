"""The reference layers drawn on every map: the de facto boundary and the Afghan provinces.

There is no tile server: the browser draws only these layers and the incidents.
The GeoJSON ships in ``truceline/geo/data`` (Natural Earth 1:10m, public
domain). For low-bandwidth users each layer is simplified once per process with
shapely and its coordinates rounded, which cuts the provinces from ~450 kB to a
small fraction without visible change at the zooms the dashboard uses.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry import mapping, shape

GEO_DATA_DIR = Path(__file__).resolve().parents[1] / "geo" / "data"
BOUNDARY_FILE = GEO_DATA_DIR / "af_pk_boundary_ne10m.geojson"
PROVINCES_FILE = GEO_DATA_DIR / "afghanistan_provinces_ne10m.geojson"

#: Simplification tolerance in degrees (~1 km) and coordinate decimals kept (~100 m).
SIMPLIFY_DEGREES = 0.01
COORDINATE_DECIMALS = 3

BOUNDARY_LABEL = "Afghanistan–Pakistan boundary (de facto, as drawn by Natural Earth 1:10m)"
BOUNDARY_SOURCE = "Natural Earth"


def _read(path: Path) -> dict[str, Any]:
    with path.open(encoding="utf-8") as handle:
        data: dict[str, Any] = json.load(handle)
    return data


def _light_geometry(geometry: dict[str, Any]) -> dict[str, Any]:
    geom = shape(geometry).simplify(SIMPLIFY_DEGREES, preserve_topology=True)
    geom = shapely.set_precision(geom, 10**-COORDINATE_DECIMALS)
    return dict(mapping(geom))


def _feature(properties: dict[str, Any], geometry: dict[str, Any]) -> dict[str, Any]:
    return {"type": "Feature", "properties": properties, "geometry": _light_geometry(geometry)}


@lru_cache(maxsize=1)
def boundary_layer() -> dict[str, Any]:
    """The boundary line (``kind: boundary``, labelled de facto with its source) and the two countries."""
    features = []
    for feature in _read(BOUNDARY_FILE)["features"]:
        props = feature["properties"]
        if feature["geometry"]["type"].endswith("LineString"):
            props = {
                "kind": "boundary",
                "label": BOUNDARY_LABEL,
                "source": BOUNDARY_SOURCE,
                "status": "de facto",
            }
        else:
            props = {"kind": "country", "name": props["name"], "iso_a3": props["iso_a3"]}
        features.append(_feature(props, feature["geometry"]))
    return {"type": "FeatureCollection", "features": features}


@lru_cache(maxsize=1)
def provinces_layer() -> dict[str, Any]:
    """The 34 Afghan provinces with their name and ISO 3166-2 code."""
    features = [
        _feature(
            {
                "kind": "province",
                "name": f["properties"]["name"],
                "iso": f["properties"]["iso_3166_2"],
            },
            f["geometry"],
        )
        for f in _read(PROVINCES_FILE)["features"]
    ]
    return {"type": "FeatureCollection", "features": features}


@lru_cache(maxsize=1)
def boundary_line() -> shapely.Geometry:
    """The full-resolution boundary line, for distance computations."""
    lines = [
        shape(f["geometry"])
        for f in _read(BOUNDARY_FILE)["features"]
        if f["geometry"]["type"].endswith("LineString")
    ]
    return shapely.union_all(lines)
