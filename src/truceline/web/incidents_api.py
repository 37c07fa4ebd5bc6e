"""``GET /api/incidents``: the paginated JSON list of incidents (a fixed interface).

Clients that analyse incidents (a party's own tools, a researcher with an API
token, the dashboards of the mediators) ask for pages of rows, not for a whole
map: the list is ordered newest first and paged with a keyset ``cursor``, so the
thousandth page costs what the first does, and ``fields`` names the columns to
send, so that a client that needs five columns does not pay for twenty.

Who sees what is the one access policy's decision, exactly as on the pages:
the rows come from ``incident_queries.visible_incidents_statement`` (the policy's
SQL filter plus the dashboard's filters), and a principal who may not read
restricted incidents gets public places only (coarsened points, province and
country, no title). To add a filter, add a query parameter here and a clause in
``_extra_conditions``; to add a column, add it to ``FIELDS``.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Iterator
from datetime import date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy import ColumnElement, Select, and_, exists, or_, select
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from truceline.accounts.access import Access, Authorized
from truceline.accounts.policy import Action, ResourceType
from truceline.accounts.roles import Principal
from truceline.agreements.models import StoredFinding
from truceline.http.access import sees_restricted
from truceline.http.deps import SessionDep, end_in_route
from truceline.incidents.models import Incident
from truceline.incidents.pages.visibility import shown_place
from truceline.web.incident_queries import (
    IncidentFilters,
    parse_bbox,
    public_pass,
    visible_incidents_statement,
)

router = APIRouter(prefix="/api", tags=["incidents"])

DEFAULT_LIMIT = 100
MAX_LIMIT = 1000
#: Columns a client may ask for; ``lat``/``lon`` are public points for the public.
FIELDS: dict[str, Any] = {
    "code": Incident.code,
    "title": Incident.title,
    "occurred_at": Incident.occurred_at,
    "occurred_until": Incident.occurred_until,
    "time_precision": Incident.time_precision,
    "lat": Incident.lat,
    "lon": Incident.lon,
    "geo_precision": Incident.geo_precision,
    "place_name": Incident.place_name,
    "country": Incident.country,
    "admin1": Incident.admin1,
    "admin2": Incident.admin2,
    "event_type": Incident.event_type,
    "perpetrator": Incident.perpetrator,
    "perpetrator_label": Incident.perpetrator_label,
    "target_actor": Incident.target_actor,
    "targets": Incident.targets,
    "casualties": Incident.casualties,
    "attribution": Incident.attribution,
    "verification_state": Incident.verification_state,
    "released": Incident.released,
}
DEFAULT_FIELDS = (
    "code,occurred_at,lat,lon,geo_precision,place_name,country,admin1,event_type,"
    "perpetrator,verification_state,casualties"
)
#: Exact details the public never gets, whatever it asks for (they would locate the place).
RESTRICTED_ONLY_FIELDS = frozenset({"title", "admin2"})
#: Columns needed internally whatever the client asked: ordering, paging and public places.
_ALWAYS = ("id", "occurred_at", "lat", "lon", "geo_precision", "country", "admin1")
#: Rows read per round when public places must be filtered after coarsening.
_PUBLIC_BATCH = 500


class IncidentList(BaseModel):
    """One page: the rows with the chosen columns, and the cursor of the next page."""

    items: list[dict[str, Any]]
    next: str | None


def parse_fields(text: str | None) -> list[str]:
    """The requested columns, in the order given, each checked against ``FIELDS``."""
    names = [name.strip() for name in (text or DEFAULT_FIELDS).split(",") if name.strip()]
    unknown = [name for name in names if name not in FIELDS]
    if unknown:
        raise ValueError(f"unknown column(s) {', '.join(unknown)}; choose from {', '.join(FIELDS)}")
    if not names:
        raise ValueError(f"name at least one column; choose from {', '.join(FIELDS)}")
    return list(dict.fromkeys(names))


def encode_cursor(occurred_at: datetime, incident_id: int) -> str:
    """An opaque token for "after this row" (its time and id, the ordering key)."""
    raw = json.dumps([occurred_at.isoformat(), incident_id], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(token: str) -> tuple[datetime, int]:
    """The ordering key in a cursor, or ValueError saying the cursor is not one of ours."""
    try:
        padded = token + "=" * (-len(token) % 4)
        when, incident_id = json.loads(base64.urlsafe_b64decode(padded.encode()))
        instant = datetime.fromisoformat(when)
    except (binascii.Error, ValueError, TypeError, UnicodeDecodeError):
        raise ValueError("not a cursor from this API: pass the 'next' value unchanged") from None
    if instant.tzinfo is None or not isinstance(incident_id, int) or incident_id < 0:
        raise ValueError("not a cursor from this API: pass the 'next' value unchanged")
    return instant, incident_id


def _after(cursor: tuple[datetime, int]) -> ColumnElement[bool]:
    """Rows after the cursor in the newest-first order (keyset paging)."""
    when, incident_id = cursor
    return or_(
        Incident.occurred_at < when, and_(Incident.occurred_at == when, Incident.id < incident_id)
    )


def _extra_conditions(
    principal: Principal,
    *,
    perpetrator: str | None,
    country: str | None,
    admin1: str | None,
    finding: str | None,
) -> list[ColumnElement[bool]]:
    """Filters of this API beyond the dashboard's (which ``IncidentFilters`` carries)."""
    conditions: list[ColumnElement[bool]] = []
    if perpetrator:
        conditions.append(Incident.perpetrator == perpetrator)
    if country:
        conditions.append(Incident.country == country.upper())
    if admin1:
        conditions.append(Incident.admin1 == admin1)
    if finding:
        current = select(StoredFinding.id).where(
            StoredFinding.incident_id == Incident.id,
            StoredFinding.superseded_at.is_(None),
            StoredFinding.finding == finding,
        )
        if not sees_restricted(principal):
            current = current.where(Incident.released.is_(True))
        conditions.append(exists(current))
    return conditions


def _row_to_item(
    values: dict[str, Any], names: list[str], restricted: bool, principal: Principal
) -> dict[str, Any]:
    item: dict[str, Any] = {}
    place = None
    if not restricted and ("lat" in names or "lon" in names or "geo_precision" in names):
        place = shown_place(principal, values["lat"], values["lon"], values["geo_precision"])
    for name in names:
        value = values[name]
        if not restricted:
            if name in RESTRICTED_ONLY_FIELDS:
                value = None
            elif name == "place_name":
                value = ", ".join(p for p in (values["admin1"], values["country"]) if p)
            elif name in ("lat", "lon", "geo_precision"):
                value = getattr(place, {"geo_precision": "precision"}.get(name, name), None)
        item[name] = value.isoformat() if isinstance(value, datetime) else value
    return item


def _rows(
    session: Session, stmt: Select[Any], filters: IncidentFilters, public_spatial: bool
) -> Iterator[Any]:
    """The matching rows in order; for the public's spatial filters, only those whose
    coarsened point passes (read in batches, so a page never needs the whole table)."""
    # Core execution: plain rows of the chosen columns, without the ORM's loading machinery.
    connection = session.connection()
    if not public_spatial:
        yield from connection.execute(stmt).all()  # one page (the LIMIT), fetched at once
        return
    cursor: tuple[datetime, int] | None = None
    while True:
        batch_stmt = stmt.limit(_PUBLIC_BATCH)
        if cursor is not None:
            batch_stmt = batch_stmt.where(_after(cursor))
        batch = list(connection.execute(batch_stmt))
        if not batch:
            return
        yield from public_pass(batch, filters)
        cursor = (batch[-1].occurred_at, batch[-1].id)


def list_incidents(
    session: Session,
    principal: Principal,
    filters: IncidentFilters,
    *,
    names: list[str],
    limit: int,
    cursor: tuple[datetime, int] | None = None,
    extra: list[ColumnElement[bool]] | None = None,
) -> IncidentList:
    """One page of incidents the principal may read, newest first (the use case of the route)."""
    restricted = sees_restricted(principal)
    columns = [
        FIELDS[name].label(name) for name in dict.fromkeys([*_ALWAYS, *names]) if name != "id"
    ]
    stmt = (
        visible_incidents_statement(session, filters, principal)
        .with_only_columns(Incident.id.label("id"), *columns)
        .where(*(extra or []))
        .order_by(Incident.occurred_at.desc(), Incident.id.desc())
    )
    if cursor is not None:
        stmt = stmt.where(_after(cursor))
    public_spatial = not restricted and (
        filters.bbox is not None or filters.max_border_km is not None
    )
    if not public_spatial:
        stmt = stmt.limit(limit + 1)
    page: list[Any] = []
    for row in _rows(session, stmt, filters, public_spatial):
        page.append(row)
        if len(page) > limit:
            break
    more = len(page) > limit
    page = page[:limit]
    keys = ["id", *(column.name for column in columns)]
    # Plain dicts of the rows (a row's own by-name lookup costs more than the rest together).
    items = [
        _row_to_item(dict(zip(keys, row, strict=True)), names, restricted, principal)
        for row in page
    ]
    next_cursor = encode_cursor(page[-1].occurred_at, page[-1].id) if more and page else None
    return IncidentList(items=items, next=next_cursor)


def _bad(field: str, message: str) -> HTTPException:
    return HTTPException(status_code=422, detail=[{"loc": ["query", field], "msg": message}])


@router.get(
    "/incidents",
    summary="Incidents the caller may see, newest first, a page at a time",
    response_model=IncidentList,
    responses={
        403: {"description": "The API token lacks the scope incidents:read"},
        422: {"description": "A filter, the cursor or a column name is not valid"},
    },
)
async def incidents_list(
    request: Request,
    session: SessionDep,
    access: Annotated[Access, Authorized(Action.READ, ResourceType.INCIDENT)],
    occurred_from: Annotated[date | None, Query(description="First day (UTC), inclusive.")] = None,
    occurred_to: Annotated[date | None, Query(description="Last day (UTC), inclusive.")] = None,
    perpetrator: Annotated[
        str | None, Query(max_length=64, description="Actor id, e.g. PK or TTP.")
    ] = None,
    party: Annotated[
        str | None, Query(max_length=8, description="A party involved, as perpetrator or target.")
    ] = None,
    event_type: Annotated[str | None, Query(max_length=64, description="Taxonomy key.")] = None,
    state: Annotated[str | None, Query(max_length=32, description="Verification state.")] = None,
    finding: Annotated[
        str | None, Query(max_length=32, description="A current finding, e.g. violation.")
    ] = None,
    country: Annotated[
        str | None, Query(max_length=2, description="ISO code, e.g. AF or PK.")
    ] = None,
    admin1: Annotated[str | None, Query(max_length=120, description="Province.")] = None,
    max_border_km: Annotated[
        float | None, Query(ge=0, le=20000, description="Within this distance of the boundary.")
    ] = None,
    bbox: Annotated[str | None, Query(description="minlon,minlat,maxlon,maxlat")] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Rows per page.")] = DEFAULT_LIMIT,
    cursor: Annotated[
        str | None, Query(max_length=200, description="'next' of the previous page.")
    ] = None,
    fields: Annotated[
        str | None,
        Query(max_length=1000, description=f"Comma-separated columns of: {', '.join(FIELDS)}."),
    ] = None,
) -> Response:
    """Filters combine with AND; dates are inclusive UTC days. Needs ``incidents:read`` with a token."""
    # Checking the parameters needs no database: it runs here, and the page is read in
    # one thread (``_page_response``). The access dependency is a coroutine, so FastAPI
    # runs it here too: on a loaded machine each hand-over to a thread waits for a core.
    principal = access.principal
    if occurred_from and occurred_to and occurred_from > occurred_to:
        raise _bad("occurred_to", "is before occurred_from")
    try:
        names = parse_fields(fields)
    except ValueError as exc:
        raise _bad("fields", str(exc)) from None
    try:
        box = parse_bbox(bbox)
    except ValueError as exc:
        raise _bad("bbox", str(exc)) from None
    try:
        after = decode_cursor(cursor) if cursor else None
    except ValueError as exc:
        raise _bad("cursor", str(exc)) from None
    filters = IncidentFilters(
        date_from=occurred_from,
        date_to=occurred_to,
        event_type=event_type or None,
        party=party or None,
        state=state or None,
        max_border_km=max_border_km,
        bbox=box,
    )
    extra = _extra_conditions(
        principal, perpetrator=perpetrator, country=country, admin1=admin1, finding=finding
    )
    return await run_in_threadpool(
        _page_response,
        session,
        principal,
        filters,
        names=names,
        limit=limit,
        cursor=after,
        extra=extra,
    )


def _page_response(
    session: Session,
    principal: Principal,
    filters: IncidentFilters,
    **page_options: Any,
) -> Response:
    """The page as a response, in the thread that reads it.

    A read: its transaction ends here (``end_in_route``), and the page (plain JSON values)
    is written out directly rather than validated again against ``IncidentList``, which
    documents it."""
    page = list_incidents(session, principal, filters, **page_options)
    end_in_route(session)
    return JSONResponse({"items": page.items, "next": page.next})
