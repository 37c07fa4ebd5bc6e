"""HTTP API of the geo context: point descriptions, geoparsing and the map layers.

The web map draws the boundary and province layers from here (no tile server),
and every layer carries its source and, for the boundary, the note that it is
the de facto line. All of it is public reference data: no login needed.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import Response
from shapely.geometry import mapping

from truceline.geo.border import BOUNDARY_LABEL, BOUNDARY_SOURCE, PROVINCES_SOURCE, border_model
from truceline.geo.describe import describe_point
from truceline.geo.geoparse import Geoparser
from truceline.geo.services import gazetteer_with_local_places
from truceline.web.deps import SessionDep

router = APIRouter(prefix="/api/geo", tags=["geo"])
GEOJSON = "application/geo+json"


@router.get("/point")
def point(
    lat: Annotated[float, Query(ge=-90, le=90, description="Latitude, decimal degrees")],
    lon: Annotated[float, Query(ge=-180, le=180, description="Longitude, decimal degrees")],
) -> dict[str, Any]:
    """Side of the de facto boundary, geodesic distance to it, admin1, nearest place."""
    return describe_point(lat, lon).as_json()


@router.get("/locate")
def locate(
    session: SessionDep,
    q: Annotated[str, Query(max_length=2000, description="A place description")],
) -> dict[str, Any]:
    """Ranked gazetteer matches (shipped and local places), best first."""
    parser = Geoparser(gazetteer_with_local_places(session))
    return {"matches": [m.as_json() for m in parser.locate(q)]}


@router.get("/layers/boundary.geojson")
def boundary_layer() -> Response:
    """The boundary line and the two country polygons, labelled de facto with their source."""
    return Response(_boundary_geojson(), media_type=GEOJSON)


@router.get("/layers/provinces.geojson")
def provinces_layer() -> Response:
    """The Afghan provinces, with the corrected names and ISO 3166-2 codes."""
    return Response(_provinces_geojson(), media_type=GEOJSON)


@lru_cache(maxsize=1)
def _boundary_geojson() -> str:
    text = resources.files("truceline.geo.data").joinpath("af_pk_boundary_ne10m.geojson")
    data = json.loads(text.read_text(encoding="utf-8"))
    data["features"][0]["properties"].update(label=BOUNDARY_LABEL, de_facto=True)
    data["attribution"] = BOUNDARY_SOURCE
    return json.dumps(data, ensure_ascii=False)


@lru_cache(maxsize=1)
def _provinces_geojson() -> str:
    features = [
        {
            "type": "Feature",
            "properties": {"name": p.name, "iso_3166_2": p.iso_code, "geonames_id": p.geonames_id},
            "geometry": mapping(p.polygon),
        }
        for p in border_model().provinces
    ]
    collection = {
        "type": "FeatureCollection",
        "attribution": PROVINCES_SOURCE,
        "features": features,
    }
    return json.dumps(collection, ensure_ascii=False)
