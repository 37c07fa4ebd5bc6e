"""HTTP routes of district risk: the latest forecast as GeoJSON, and one's own thresholds.

The forecast is early-warning material (``ResourceType.EARLY_WARNING``): the
mechanism and both parties read it, the public does not. Thresholds belong to
the mediator who set them.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Response
from pydantic import BaseModel, Field

from truceline.accounts.access import Access, Authorized
from truceline.accounts.policy import Action, Resource, ResourceType
from truceline.db.bounds import RecordId
from truceline.http.deps import SessionDep
from truceline.warning.risk_store import (
    RiskSettingError,
    latest_forecast,
    remove_threshold,
    set_threshold,
    thresholds_of,
)

router = APIRouter(tags=["warning"])

EARLY_WARNING = Resource(ResourceType.EARLY_WARNING)


class ThresholdIn(BaseModel):
    probability: float = Field(gt=0, lt=1, description="Notify at or above this, e.g. 0.3.")
    district: str | None = Field(
        default=None, max_length=120, description="District key; none: any."
    )
    fatal: bool = Field(default=False, description="Watch the risk of a fatal event.")


class ThresholdOut(BaseModel):
    id: int
    district: str | None
    probability: float
    fatal: bool


def risk_geojson(forecast: Any) -> dict[str, Any]:
    """Each district as a point with its probabilities; the run's date and score on top."""
    features = [
        {
            "type": "Feature",
            "geometry": {
                "type": "Point",
                "coordinates": [round(row["lon"], 4), round(row["lat"], 4)],
            },
            "properties": {
                key: row.get(key)
                for key in ("unit", "name", "country", "admin1", "p_event", "p_fatal")
            },
        }
        for row in forecast.districts
        if row.get("p_event") is not None
    ]
    backtest = forecast.backtest or {}
    return {
        "type": "FeatureCollection",
        "features": features,
        "forecast_date": forecast.forecast_date.date().isoformat(),
        "horizon_days": forecast.horizon_days,
        "skill": backtest.get("skill"),
    }


@router.get(
    "/api/warning/risk",
    summary="The latest stored district risk forecast, as GeoJSON points",
    responses={404: {"description": "No forecast has been stored yet"}},
)
def district_risk(
    session: SessionDep,
    access: Annotated[Access, Authorized(Action.READ, ResourceType.EARLY_WARNING)],
) -> Response:
    access.require(EARLY_WARNING)
    forecast = latest_forecast(session)
    if forecast is None:
        raise HTTPException(404, "no forecast stored yet: run 'truceline warning risk --store'")
    body = json.dumps(risk_geojson(forecast), ensure_ascii=False, separators=(",", ":"))
    return Response(body, media_type="application/geo+json")


@router.get("/api/warning/risk/thresholds", response_model=list[ThresholdOut])
def my_thresholds(
    session: SessionDep,
    access: Annotated[Access, Authorized(Action.CREATE, ResourceType.EARLY_WARNING)],
) -> list[dict[str, Any]]:
    """The caller's active risk thresholds."""
    access.require(EARLY_WARNING)
    return [_out(t) for t in thresholds_of(session, access.principal.name)]


@router.post("/api/warning/risk/thresholds", response_model=ThresholdOut, status_code=201)
def add_threshold(
    body: ThresholdIn,
    session: SessionDep,
    access: Annotated[Access, Authorized(Action.CREATE, ResourceType.EARLY_WARNING)],
) -> dict[str, Any]:
    """Be notified when a stored forecast puts a district at or above the probability."""
    access.require(EARLY_WARNING)
    try:
        threshold = set_threshold(
            session, user=access.principal.name, probability=body.probability,
            unit_key=body.district, fatal=body.fatal, actor=access.principal.as_actor(),
        )  # fmt: skip
    except RiskSettingError as error:
        raise HTTPException(422, [{"loc": ["body", error.field], "msg": str(error)}]) from error
    return _out(threshold)


@router.delete(
    "/api/warning/risk/thresholds/{threshold_id}",
    status_code=204,
    responses={404: {"description": "Not one of the caller's active thresholds"}},
)
def delete_threshold(
    threshold_id: RecordId,
    session: SessionDep,
    access: Annotated[Access, Authorized(Action.CREATE, ResourceType.EARLY_WARNING)],
) -> Response:
    access.require(EARLY_WARNING)
    try:
        remove_threshold(
            session, threshold_id, user=access.principal.name, actor=access.principal.as_actor()
        )
    except RiskSettingError as error:
        raise HTTPException(404, str(error)) from error
    return Response(status_code=204)


def _out(threshold: Any) -> dict[str, Any]:
    return {
        "id": threshold.id,
        "district": threshold.unit_key,
        "probability": threshold.probability,
        "fatal": threshold.fatal,
    }
