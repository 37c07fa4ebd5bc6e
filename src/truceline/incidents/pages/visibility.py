"""What pages may show one principal of incidents and reports, asked of the accounts policy.

The pages never test roles: every question goes to
``truceline.accounts.policy`` (one rule table) and SQL narrowing to
``truceline.accounts.scoping.visible_filter``, derived from the same rules.
This module only phrases those questions the way pages need them:

- ``sees_restricted`` (``truceline.http.access``): may the principal read incidents
  that are not public output (the restricted view: exact places, titles, linked reports)?
- ``incident_by_code``: one incident the principal may see;
- ``PROTECTED_SOURCE_TYPES``: sources whose identity a page never shows;
- ``incident_filter`` / ``may_read``: which incidents, as a WHERE clause or for one row;
- ``may_read_report``: whether a report's verbatim text may be shown;
- ``shown_place``: the location to display, coarsened for the public with the
  installation's grid (``geo.coarsening.coarsen_for_public``).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from truceline.accounts.policy import Action, authorize
from truceline.accounts.roles import Principal
from truceline.accounts.scoping import resource_of, visible_filter
from truceline.config import get_settings
from truceline.events.taxonomy import PlacePrecision, SourceType
from truceline.geo.coarsening import KM_PER_DEGREE_LAT, coarsen_for_public
from truceline.http.access import sees_restricted
from truceline.incidents.models import Incident, Report

#: Sources whose identity pages never show (a community reporter is protected).
PROTECTED_SOURCE_TYPES = frozenset({SourceType.COMMUNITY_REPORTER.value})


def incident_filter(principal: Principal) -> ColumnElement[bool]:
    """A WHERE clause keeping the incidents the principal may read."""
    return visible_filter(principal, Incident)


def may_read(principal: Principal, record: object) -> bool:
    """Whether the policy lets the principal read one loaded row (incident, report, finding...)."""
    return authorize(principal, Action.READ, resource_of(record)).allowed


def may_read_report(principal: Principal, report: Report) -> bool:
    """Whether the report's verbatim text may be shown (a party reads only its own)."""
    return may_read(principal, report)


def coarsen(lat: float, lon: float) -> tuple[float, float]:
    """The public location of a point: the centre of its cell of the installation's grid."""
    return coarsen_for_public(lat, lon, population=None, settings=get_settings())


def public_margin_degrees() -> float:
    """How far (in degrees) a coarsened point may lie from the true one, with room to spare.

    A cell is ``public_location_precision_km`` wide; in longitude a degree
    shrinks with latitude, so allow for latitudes up to 60°.
    """
    return get_settings().public_location_precision_km / (KM_PER_DEGREE_LAT * 0.5)


@dataclass(frozen=True)
class ShownPlace:
    """A location as shown to one principal: maybe coarsened, with the precision to display."""

    lat: float
    lon: float
    precision: int
    coarsened: bool


def shown_place(
    principal: Principal, lat: float | None, lon: float | None, precision: int
) -> ShownPlace | None:
    """The location a principal may see, or None when the incident has no coordinates."""
    if lat is None or lon is None:
        return None
    if sees_restricted(principal):
        return ShownPlace(lat, lon, precision, coarsened=False)
    clat, clon = coarsen(lat, lon)
    return ShownPlace(clat, clon, max(precision, int(PlacePrecision.NEAR_25KM)), coarsened=True)


def incident_by_code(session: Session, code: str, principal: Principal) -> Incident | None:
    """One incident the principal may see, or None (unreleased ones do not exist for the public)."""
    incident = session.scalar(select(Incident).where(Incident.code == code))
    if incident is None or not may_read(principal, incident):
        return None
    return incident
