"""Finding the incidents a page or the map shows: filters, visibility and paging.

``IncidentFilters`` is what the dashboard, the incident list and the map API
share (time, event type, actor, party, verification state, distance from the
border, map bounding box). ``find_incidents`` applies them in SQL: which
incidents the principal may read comes from the accounts policy
(``visibility.incident_filter``), the distance from the boundary from the geo
context's spatial interface (``truceline.geo.spatial.incidents_near_boundary``,
identical on SQLite and PostGIS). For the public, boxes and distances must hold
for the coarsened location, so that narrow boxes cannot reveal exact places: SQL
selects candidates with a margin of one grid cell and a final pass tests the
coarsened point.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated, Protocol, TypeVar

import numpy as np
from fastapi import Depends, Query
from pydantic import BeforeValidator, NonNegativeFloat
from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from truceline.accounts.roles import Principal
from truceline.geo.border import border_model
from truceline.geo.spatial import incidents_near_boundary
from truceline.http.access import sees_restricted
from truceline.incidents.models import Incident
from truceline.incidents.pages.visibility import coarsen, incident_filter, public_margin_degrees

#: Kilometres in a degree of latitude, to turn the public grid margin into a distance.
KM_PER_DEGREE = 111.32

BBox = tuple[float, float, float, float]


class HasPoint(Protocol):
    """An incident, or a selected row, with its coordinates."""

    @property
    def lat(self) -> float | None: ...
    @property
    def lon(self) -> float | None: ...


T = TypeVar("T", bound=HasPoint)


@dataclass(frozen=True)
class IncidentFilters:
    """The filters shared by the pages and the map API; empty fields do not filter."""

    date_from: date | None = None
    date_to: date | None = None
    event_type: str | None = None
    actor: str | None = None
    party: str | None = None
    state: str | None = None
    max_border_km: float | None = None
    bbox: BBox | None = None

    def with_bbox(self, bbox: BBox | None) -> IncidentFilters:
        return replace(self, bbox=bbox)

    def query_items(self) -> dict[str, str]:
        """The filters as query-string items (for links and the map's data URL)."""
        items = {
            "date_from": self.date_from.isoformat() if self.date_from else "",
            "date_to": self.date_to.isoformat() if self.date_to else "",
            "event_type": self.event_type or "",
            "actor": self.actor or "",
            "party": self.party or "",
            "state": self.state or "",
            "max_border_km": f"{self.max_border_km:g}" if self.max_border_km is not None else "",
        }
        return {k: v for k, v in items.items() if v}


def parse_bbox(text: str | None) -> BBox | None:
    """``minlon,minlat,maxlon,maxlat`` (Leaflet's ``toBBoxString``) as floats, validated."""
    if not text:
        return None
    parts = text.split(",")
    if len(parts) != 4:
        raise ValueError("bbox must be minlon,minlat,maxlon,maxlat")
    try:
        min_lon, min_lat, max_lon, max_lat = (float(p) for p in parts)
    except ValueError:
        raise ValueError(
            f"bbox must be four numbers minlon,minlat,maxlon,maxlat, not {text!r}"
        ) from None
    if min_lon > max_lon or min_lat > max_lat:
        raise ValueError("bbox minimum exceeds its maximum")
    return (min_lon, min_lat, max_lon, max_lat)


def blank_is_none(value: object) -> object:
    """Empty form fields arrive as ``""``: they mean "no filter", not a bad value."""
    return None if value == "" else value


OptionalDate = Annotated[date | None, BeforeValidator(blank_is_none)]
OptionalKm = Annotated[NonNegativeFloat | None, BeforeValidator(blank_is_none)]


def incident_filters(
    date_from: Annotated[OptionalDate, Query(description="First day (UTC), inclusive.")] = None,
    date_to: Annotated[OptionalDate, Query(description="Last day (UTC), inclusive.")] = None,
    event_type: Annotated[str | None, Query(description="Event type (taxonomy key).")] = None,
    actor: Annotated[str | None, Query(description="Perpetrator actor id, e.g. PK or TTP.")] = None,
    party: Annotated[str | None, Query(description="Party involved (AF or PK).")] = None,
    state: Annotated[str | None, Query(description="Verification state.")] = None,
    max_border_km: Annotated[
        OptionalKm, Query(description="Only within this distance of the boundary (km).")
    ] = None,
) -> IncidentFilters:
    """FastAPI dependency reading the filters from the query string (blank means no filter)."""
    return IncidentFilters(
        date_from=date_from,
        date_to=date_to,
        event_type=event_type or None,
        actor=actor or None,
        party=party or None,
        state=state or None,
        max_border_km=max_border_km,
    )


FiltersDep = Annotated[IncidentFilters, Depends(incident_filters)]


def day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def visible_incidents_statement(
    session: Session, filters: IncidentFilters, principal: Principal
) -> Select[Incident]:
    """The incidents ``principal`` may read that match ``filters``, as a statement to refine."""
    stmt = select(Incident).where(incident_filter(principal))
    if filters.date_from:
        stmt = stmt.where(Incident.occurred_at >= day_start(filters.date_from))
    if filters.date_to:
        stmt = stmt.where(Incident.occurred_at < day_start(filters.date_to + timedelta(days=1)))
    if filters.event_type:
        stmt = stmt.where(Incident.event_type == filters.event_type)
    if filters.actor and sees_restricted(principal):
        # Who is alleged to have acted is not public until a finding says so.
        stmt = stmt.where(Incident.perpetrator == filters.actor)
    if filters.party:
        stmt = stmt.where(
            or_(Incident.perpetrator == filters.party, Incident.target_actor == filters.party)
        )
    if filters.state:
        stmt = stmt.where(Incident.verification_state == filters.state)
    if filters.bbox or filters.max_border_km is not None:
        stmt = stmt.where(Incident.lat.is_not(None), Incident.lon.is_not(None))
    margin = 0.0 if sees_restricted(principal) else public_margin_degrees()
    if filters.bbox:
        dated = filters.date_from is not None or filters.date_to is not None
        stmt = _within_box(
            stmt, filters.bbox, margin=margin, by_time_index=dated or _wide(filters.bbox)
        )
    if filters.max_border_km is not None:
        near = incidents_near_boundary(session, filters.max_border_km + margin * KM_PER_DEGREE)
        stmt = stmt.where(Incident.id.in_(near))
    return stmt


#: A box taller than this (degrees of latitude) is not searched on the lat/lon index: it holds
#: most incidents of the region, and reading them through the index costs more than a scan.
INDEXED_BOX_DEGREES = 2.0


def _wide(bbox: BBox) -> bool:
    return bbox[3] - bbox[1] > INDEXED_BOX_DEGREES


def _within_box(
    stmt: Select[Incident], bbox: BBox, *, margin: float, by_time_index: bool = False
) -> Select[Incident]:
    """Incidents in the box. With ``by_time_index`` (a period is filtered too, or the box is
    wide), the box is tested on ``lat + 0``, which no index serves, so that the database
    walks the period on the ``occurred_at`` index or scans the table: SQLite otherwise chose
    the ``lat, lon`` index for the map's wide box and read every incident in it through the
    index (20 s at 1,000,000 for a 30-day period)."""
    min_lon, min_lat, max_lon, max_lat = bbox
    lat, lon = (
        (Incident.lat + 0.0, Incident.lon + 0.0) if by_time_index else (Incident.lat, Incident.lon)
    )
    return stmt.where(
        lon.between(min_lon - margin, max_lon + margin),
        lat.between(min_lat - margin, max_lat + margin),
    )


def _needs_python_pass(filters: IncidentFilters, principal: Principal) -> bool:
    """Only the public's boxes and distances need a pass over the coarsened points."""
    spatial = filters.bbox is not None or filters.max_border_km is not None
    return spatial and not sees_restricted(principal)


#: For the dashboard's counts (``dashboard_summary``), which take the same decision.
needs_python_pass = _needs_python_pass


def public_pass(incidents: list[T], filters: IncidentFilters) -> list[T]:
    """Keep the candidates whose coarsened point (what the public sees) passes the filters."""
    shown = [coarsen(i.lat, i.lon) for i in incidents if i.lat is not None and i.lon is not None]
    if filters.bbox:
        min_lon, min_lat, max_lon, max_lat = filters.bbox
        keep = [min_lat <= lat <= max_lat and min_lon <= lon <= max_lon for lat, lon in shown]
        incidents = [i for i, ok in zip(incidents, keep, strict=True) if ok]
        shown = [p for p, ok in zip(shown, keep, strict=True) if ok]
    if filters.max_border_km is not None and shown:
        lats = np.array([p[0] for p in shown])
        lons = np.array([p[1] for p in shown])
        near = border_model().boundary_distance_km(lats, lons) <= filters.max_border_km
        incidents = [i for i, ok in zip(incidents, near.tolist(), strict=True) if ok]
    return incidents


@dataclass
class IncidentPage:
    """One page of matching incidents, newest first, and the total that matched."""

    incidents: list[Incident]
    total: int
    page: int
    per_page: int
    pages: int = field(init=False)

    def __post_init__(self) -> None:
        self.pages = max(1, -(-self.total // self.per_page))


def find_incidents(
    session: Session,
    filters: IncidentFilters,
    principal: Principal,
    *,
    page: int = 1,
    per_page: int = 50,
) -> IncidentPage:
    """The incidents matching ``filters`` that ``principal`` may see, one page of them."""
    stmt = visible_incidents_statement(session, filters, principal).order_by(
        Incident.occurred_at.desc(), Incident.id.desc()
    )
    offset = (max(page, 1) - 1) * per_page
    if _needs_python_pass(filters, principal):
        matched = public_pass(list(session.scalars(stmt)), filters)
        return IncidentPage(matched[offset : offset + per_page], len(matched), page, per_page)
    total = session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    rows = list(session.scalars(stmt.offset(offset).limit(per_page)))
    return IncidentPage(rows, total, page, per_page)


def matching_incidents(
    session: Session, filters: IncidentFilters, principal: Principal
) -> list[Incident]:
    """Every incident matching ``filters`` that ``principal`` may see (for counts and the map)."""
    stmt = visible_incidents_statement(session, filters, principal).order_by(
        Incident.occurred_at, Incident.id
    )
    incidents = list(session.scalars(stmt))
    if _needs_python_pass(filters, principal):
        incidents = public_pass(incidents, filters)
    return incidents


def distinct_values(session: Session, column: str, principal: Principal) -> list[str]:
    """Values present in an incident column, for the filter menus (only visible incidents).

    Read by skipping from value to value on an index that leads with the column (for the
    actor menu, ``ix_incidents_perpetrator_time``): the smallest visible value, then the
    smallest above it, and so on, one index probe per value. ``SELECT DISTINCT`` read every
    incident instead: 0.7 s at 1,000,000 on SQLite, on every restricted dashboard.
    """
    col = getattr(Incident, column)
    visible = incident_filter(principal)
    found = (
        select(func.min(col).label("value"))
        .where(col.is_not(None), visible)
        .cte("found", recursive=True)
    )
    following = select(func.min(col)).where(col > found.c.value, visible).scalar_subquery()
    found = found.union_all(select(following).where(found.c.value.is_not(None)))
    stmt = select(found.c.value).where(found.c.value.is_not(None))
    return sorted(str(v) for v in session.scalars(stmt) if v)
