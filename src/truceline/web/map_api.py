"""GeoJSON for the maps: reference layers and the incidents in the current view.

The dashboard map has no tile server. It draws ``/api/map/boundary`` and
``/api/map/provinces`` and ``/api/map/pakistan`` (Pakistan's provinces and
districts) once (cached by the browser for a day): these are the
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
from sqlalchemy.orm import Session

from truceline.accounts.roles import PUBLIC, Principal
from truceline.agreements.pages.labels import FINDING_COLOURS, finding_label
from truceline.geo.api import (
    boundary_geojson,
    layer_response,
    pakistan_geojson,
    provinces_geojson,
)
from truceline.http.access import sees_restricted
from truceline.http.deps import Public, SessionDep
from truceline.http.i18n import CurrentUI, UIContext
from truceline.http.openapi_doc import GEOJSON_RESPONSES
from truceline.incidents.models import Incident
from truceline.incidents.pages.visibility import shown_place
from truceline.verification.pages.findings_view import headline_findings
from truceline.verification.pages.labels import state_label
from truceline.web.incident_queries import (
    FiltersDep,
    IncidentFilters,
    needs_python_pass,
    parse_bbox,
    public_pass,
    visible_incidents_statement,
)
from truceline.web.map_clusters import cluster_features, count_in_view, wants_clusters
from truceline.web.presentation import event_type_label, marker_colour

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
def boundary(_: Public) -> Response:
    return layer_response(boundary_geojson(light=True))


@router.get(
    "/provinces", summary="The Afghan provinces (Natural Earth 1:10m)", responses=GEOJSON_RESPONSES
)
def provinces(_: Public) -> Response:
    return layer_response(provinces_geojson(light=True))


@router.get(
    "/pakistan",
    summary="Pakistan's provinces and districts (geoBoundaries)",
    responses=GEOJSON_RESPONSES,
)
def pakistan(_: Public) -> Response:
    return layer_response(pakistan_geojson())


@router.get(
    "/incidents",
    summary="Incidents in a bounding box, with the dashboard filters",
    responses=GEOJSON_RESPONSES,
)
def incidents_in_view(
    session: SessionDep,
    principal: Public,
    filters: FiltersDep,
    ui: CurrentUI,
    bbox: Annotated[
        str | None, Query(description="minlon,minlat,maxlon,maxlat (Leaflet toBBoxString)")
    ] = None,
    view: Annotated[
        Literal["public"] | None,
        Query(description="'public' shows what the public sees, whoever asks."),
    ] = None,
    zoom: Annotated[
        float | None,
        Query(
            ge=0,
            le=22,
            description="The map's zoom level: below 10, a view with more than 500 incidents "
            "gets clusters (features with cluster=true and a count) instead of points.",
        ),
    ] = None,
) -> Response:
    """A FeatureCollection of the visible incidents, or of clusters counted per grid cell
    when the view is wide and full (``clustered`` says which); the public gets coarsened
    points and cell-centred clusters only."""
    if view == "public":
        principal = PUBLIC
    try:
        box = parse_bbox(bbox)
    except ValueError as exc:
        raise HTTPException(status_code=422, detail=f"bbox: {exc}") from None
    in_view = filters.with_bbox(box)
    total = count_in_view(session, in_view, principal)
    if wants_clusters(zoom, total):
        clusters = cluster_features(session, in_view, principal, zoom or 0)
        return geojson_response(
            {
                "type": "FeatureCollection",
                "features": clusters,
                "total": sum(f["properties"]["count"] for f in clusters),
                "clustered": True,
                "truncated": False,
            }
        )
    shown = newest_incidents(session, in_view, principal, MAP_LIMIT)
    if total <= MAP_LIMIT:
        total = len(shown)  # every candidate was read: the exact count after the public pass
    findings = headline_findings(session, shown, principal)
    features = [
        f for f in (incident_feature(i, principal, ui, findings.get(i.id)) for i in shown) if f
    ]
    return geojson_response(
        {
            "type": "FeatureCollection",
            "features": features,
            "total": total,
            "clustered": False,
            "truncated": total > MAP_LIMIT,
        }
    )


def newest_incidents(
    session: Session, filters: IncidentFilters, principal: Principal, limit: int
) -> list[Incident]:
    """The newest ``limit`` matching incidents, oldest first (only those are read)."""
    stmt = (
        visible_incidents_statement(session, filters, principal)
        .order_by(Incident.occurred_at.desc(), Incident.id.desc())
        .limit(limit)
    )
    rows = list(session.scalars(stmt))
    if needs_python_pass(filters, principal):
        rows = public_pass(rows, filters)
    return rows[::-1]


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
