"""HTTP API of the geo context: point descriptions, geoparsing and the map layers.

The web map draws the boundary and province layers from here (no tile server),
and every layer carries its source and, for the boundary, the note that it is
the de facto line. All of it is public reference data: no login needed.

Each layer comes in two levels of detail: ``full`` (the shipped geometry, for
analysis) and ``light`` (simplified to ~1 km with coordinates rounded to ~100 m,
a fraction of the bytes, for maps on a poor connection). Every feature says
what it is in ``kind``: ``boundary``, ``country`` or ``province``.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Annotated, Any, Literal

import shapely
from fastapi import APIRouter, Query
from fastapi.responses import Response
from shapely.geometry import mapping, shape

from truceline.geo.border import BOUNDARY_LABEL, BOUNDARY_SOURCE, PROVINCES_SOURCE, border_model
from truceline.geo.describe import describe_point
from truceline.geo.districts import PK_DISTRICTS_FILE, PK_PROVINCES_FILE, load_layer
from truceline.geo.geoparse import Geoparser
from truceline.geo.services import gazetteer_with_local_places
from truceline.http.deps import Public, SessionDep
from truceline.http.openapi_doc import GEOJSON_RESPONSES

router = APIRouter(prefix="/api/geo", tags=["geo"])
GEOJSON = "application/geo+json"
#: Reference layers change only with a new release: browsers may keep them a day.
LAYER_CACHE = "public, max-age=86400"
#: The ``light`` level of detail: simplification tolerance (~1 km) and decimals kept (~100 m).
LIGHT_SIMPLIFY_DEGREES = 0.01
LIGHT_DECIMALS = 3

Detail = Annotated[
    Literal["full", "light"],
    Query(description="full: shipped geometry; light: simplified to ~1 km for web maps"),
]


@router.get("/point")
def point(
    _: Public,
    lat: Annotated[float, Query(ge=-90, le=90, description="Latitude, decimal degrees")],
    lon: Annotated[float, Query(ge=-180, le=180, description="Longitude, decimal degrees")],
) -> dict[str, Any]:
    """Side of the de facto boundary, geodesic distance to it, admin1, nearest place."""
    return describe_point(lat, lon).as_json()


@router.get("/locate")
def locate(
    _: Public,
    session: SessionDep,
    q: Annotated[str, Query(max_length=2000, description="A place description")],
) -> dict[str, Any]:
    """Ranked gazetteer matches (shipped and local places), best first."""
    parser = Geoparser(gazetteer_with_local_places(session))
    return {"matches": [m.as_json() for m in parser.locate(q)]}


@router.get("/layers/boundary.geojson", responses=GEOJSON_RESPONSES)
def boundary_layer(_: Public, detail: Detail = "full") -> Response:
    """The boundary line and the two country polygons, labelled de facto with their source."""
    return layer_response(boundary_geojson(detail == "light"))


@router.get("/layers/pakistan.geojson", responses=GEOJSON_RESPONSES)
def pakistan_layer(_: Public) -> Response:
    """Pakistan's provinces and districts (geoBoundaries, public domain), already simplified."""
    return layer_response(pakistan_geojson())


@router.get("/layers/provinces.geojson", responses=GEOJSON_RESPONSES)
def provinces_layer(_: Public, detail: Detail = "full") -> Response:
    """The Afghan provinces, with the corrected names and ISO 3166-2 codes."""
    return layer_response(provinces_geojson(detail == "light"))


def layer_response(body: str) -> Response:
    return Response(body, media_type=GEOJSON, headers={"Cache-Control": LAYER_CACHE})


def _geometry(geometry: Any, light: bool) -> dict[str, Any]:
    geom = geometry if hasattr(geometry, "geom_type") else shape(geometry)
    if light:
        geom = geom.simplify(LIGHT_SIMPLIFY_DEGREES, preserve_topology=True)
        geom = shapely.set_precision(geom, 10**-LIGHT_DECIMALS)
    return dict(mapping(geom))


def _dump(data: dict[str, Any], light: bool) -> str:
    separators = (",", ":") if light else None
    return json.dumps(data, ensure_ascii=False, separators=separators)


@lru_cache(maxsize=2)
def boundary_geojson(light: bool = False) -> str:
    """The boundary layer as GeoJSON text (``light``: simplified for web maps)."""
    text = resources.files("truceline.geo.data").joinpath("af_pk_boundary_ne10m.geojson")
    data = json.loads(text.read_text(encoding="utf-8"))
    line, *countries = data["features"]
    line["properties"].update(
        kind="boundary", label=BOUNDARY_LABEL, de_facto=True, status="de facto"
    )
    for country in countries:
        country["properties"]["kind"] = "country"
    for feature in data["features"]:
        feature["geometry"] = _geometry(feature["geometry"], light)
    data["attribution"] = BOUNDARY_SOURCE
    return _dump(data, light)


@lru_cache(maxsize=2)
def provinces_geojson(light: bool = False) -> str:
    """The provinces layer as GeoJSON text (``light``: simplified for web maps)."""
    features = [
        {
            "type": "Feature",
            "properties": {
                "kind": "province",
                "name": p.name,
                "iso_3166_2": p.iso_code,
                "geonames_id": p.geonames_id,
            },
            "geometry": _geometry(p.polygon, light),
        }
        for p in border_model().provinces
    ]
    collection = {
        "type": "FeatureCollection",
        "attribution": PROVINCES_SOURCE,
        "features": features,
    }
    return _dump(collection, light)


@lru_cache(maxsize=1)
def pakistan_geojson() -> str:
    """Pakistan's districts then provinces in one collection (``kind`` tells them apart).

    The shipped files are simplified already (``geo.build_districts``), so there is
    one detail only; each feature keeps the id that traces it to its source.
    """
    districts = load_layer(PK_DISTRICTS_FILE)
    provinces = load_layer(PK_PROVINCES_FILE)
    features = [
        *(
            {**f, "properties": {**f["properties"], "kind": "district"}}
            for f in districts["features"]
        ),
        *(
            {**f, "properties": {**f["properties"], "kind": "province"}}
            for f in provinces["features"]
        ),
    ]
    collection = {
        "type": "FeatureCollection",
        "attribution": districts["attribution"],
        "features": features,
    }
    return _dump(collection, light=True)
