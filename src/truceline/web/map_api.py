"""GeoJSON for the maps: reference layers and the incidents in the current view.

The dashboard map has no tile server. It draws ``/api/map/boundary`` and
``/api/map/provinces`` once (cached by the browser for a day): these are the
geo context's light layers (``truceline.geo.api``, also at
``/api/geo/layers/*.geojson?detail=light``), kept under these paths for the
map script. It asks
``/api/map/incidents?bbox=...`` again whenever the view or the filters change,
so a phone on a poor connection only downloads what it shows. A marker is filled
with its verification state's colour; a determined incident whose findings the
reader may see is ringed in the colour of its gravest current finding.
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Query, Response

from truceline.accounts.roles import PUBLIC, Principal
from truceline.geo.api import boundary_geojson, layer_response, provinces_geojson
from truceline.incidents.models import Incident
from truceline.web.deps import CurrentPrincipal, SessionDep
from truceline.web.findings_view import headline_findings
from truceline.web.i18n import CurrentUI, UIContext
from truceline.web.incident_queries import FiltersDep, matching_incidents, parse_bbox
from truceline.web.openapi_doc import GEOJSON_RESPONSES
from truceline.web.presentation import (
    FINDING_COLOURS,
    event_type_label,
    finding_label,
    marker_colour,
    state_label,
)
from truceline.web.visibility import sees_restricted, shown_place

router = APIRouter(prefix="/api/map", tags=["map"])

GEOJSON = "application/geo+json"
#: Most incidents sent for one view; past this the response says it was truncated.
MAP_LIMIT = 5000
#: Decimals kept in incident coordinates (about 11 m), a third of the bytes of full floats.
COORDINATE_DECIMALS = 4


def geojson_response(data: dict[str, Any], *, cache: str | None = None) -> Response:
    """Compact GeoJSON (no spaces: it is sent to phones)."""
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    headers = {"Cache-Control": cache} if cache else None
    return Response(content=body, media_type=GEOJSON, headers=headers)


@router.get(
    "/boundary",
    summary="The de facto Afghanistan–Pakistan boundary and both countries",
    responses=GEOJSON_RESPONSES,
)
def boundary() -> Response:
    return layer_response(boundary_geojson(light=True))


@router.get(
    "/provinces", summary="The Afghan provinces (Natural Earth 1:10m)", responses=GEOJSON_RESPONSES
)
def provinces() -> Response:
    return layer_response(provinces_geojson(light=True))


@router.get(
    "/incidents",
    summary="Incidents in a bounding box, with the dashboard filters",
    responses=GEOJSON_RESPONSES,
)
def incidents_in_view(
    session: SessionDep,
    principal: CurrentPrincipal,
    filters: FiltersDep,
    ui: CurrentUI,
    bbox: Annotated[
        str | None, Query(description="minlon,minlat,maxlon,maxlat (Leaflet toBBoxString)")
    ] = None,
    view: Annotated[
        Literal["public"] | None,
        Query(description="'public' shows what the public sees, whoever asks."),
    ] = None,
) -> Response:
    """A FeatureCollection of the visible incidents; the public gets coarsened points only."""
    if view == "public":
        principal = PUBLIC
    try:
        box = parse_bbox(bbox)
    except ValueError as exc:
        raise HTTPException(status_code=422, detail=f"bbox: {exc}") from None
    matched = matching_incidents(session, filters.with_bbox(box), principal)
    shown = matched[-MAP_LIMIT:]
    findings = headline_findings(session, shown, principal)
    features = [
        f for f in (incident_feature(i, principal, ui, findings.get(i.id)) for i in shown) if f
    ]
    return geojson_response(
        {
            "type": "FeatureCollection",
            "features": features,
            "total": len(matched),
            "truncated": len(matched) > MAP_LIMIT,
        }
    )


def incident_feature(
    incident: Incident, principal: Principal, ui: UIContext, finding: str | None = None
) -> dict[str, Any] | None:
    """One incident as a GeoJSON point with what its popup and colour need."""
    place = shown_place(principal, incident.lat, incident.lon, incident.geo_precision)
    if place is None:
        return None
    restricted = sees_restricted(principal)
    properties: dict[str, Any] = {
        "code": incident.code,
        "occurred_at": incident.occurred_at.isoformat(),
        "event_type": incident.event_type,
        "event_label": ui.gettext(event_type_label(incident.event_type)),
        "state": incident.verification_state,
        "state_label": ui.gettext(state_label(incident.verification_state)),
        "colour": marker_colour(incident.verification_state),
        "precision": place.precision,
        "coarsened": place.coarsened,
        "url": f"/incidents/{incident.code}"
        if restricted
        else f"/public/incidents/{incident.code}",
    }
    if finding:
        properties["finding"] = finding
        properties["finding_label"] = ui.gettext(finding_label(finding))
        properties["ring"] = FINDING_COLOURS.get(finding, marker_colour("", finding))
    if restricted:
        properties["title"] = incident.title
        properties["perpetrator"] = incident.perpetrator
    return {
        "type": "Feature",
        "geometry": {
            "type": "Point",
            "coordinates": [
                round(place.lon, COORDINATE_DECIMALS),
                round(place.lat, COORDINATE_DECIMALS),
            ],
        },
        "properties": properties,
    }
