"""What a principal may see on the web pages, and how public locations are coarsened.

Until the accounts context's policy module is merged, this module is the one
place the pages ask: the public (and community reporters, who must never learn
more about an incident from the mechanism than what is released) see only
released incidents with locations snapped to a coarse grid; every other role
sees the restricted view. Replace the body of ``sees_restricted`` with a call to
the policy module when it lands; the pages and map API only call this module.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from truceline.accounts.roles import Principal, Role
from truceline.events.taxonomy import PlacePrecision

#: Roles that see unreleased incidents, exact places and report texts.
RESTRICTED_VIEW_ROLES = frozenset(
    {
        Role.ADMIN,
        Role.MEDIATOR,
        Role.PARTY_LIAISON,
        Role.TEAM_MEMBER,
        Role.FIELD_MONITOR,
        Role.COMMUNITY_LIAISON,
    }
)

#: Public locations are snapped to the centre of a cell this many degrees wide (about 11 km).
PUBLIC_GRID_DEGREES = 0.1


def sees_restricted(principal: Principal) -> bool:
    """True when the principal may see unreleased incidents and exact locations."""
    return principal.role in RESTRICTED_VIEW_ROLES


@dataclass(frozen=True)
class ShownPlace:
    """A location as shown to one principal: maybe coarsened, with the precision to display."""

    lat: float
    lon: float
    precision: int
    coarsened: bool


def coarsen(lat: float, lon: float) -> tuple[float, float]:
    """The centre of the public grid cell holding the point (stable, so no averaging leak)."""
    cell = PUBLIC_GRID_DEGREES
    return (
        round((math.floor(lat / cell) + 0.5) * cell, 4),
        round((math.floor(lon / cell) + 0.5) * cell, 4),
    )


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
