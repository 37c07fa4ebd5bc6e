"""What a public export (``truceline export … --released-only``) may hold.

Exactly what the public may read, asked of the access policy: incidents the
policy shows to the public (determined and released, ``scoping.visible_filter``),
none of their reports (the policy keeps every report from the public; their
texts and sources can name protected people), and each incident as the public
incident page shows it:

- its point moved to the centre of its cell of the installation's public grid
  (``geo.coarsening.coarsen_for_public``, ``public_location_precision_km``),
  with the place precision widened to match;
- no village name, district, title, notes or raw source record, any of which
  can point back at a household or a reporter.

The copy is a new, transient ``Incident``: the stored row is never touched.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_

from truceline.accounts.roles import PUBLIC
from truceline.accounts.scoping import visible_filter
from truceline.config import Settings
from truceline.events.taxonomy import PlacePrecision
from truceline.geo.coarsening import coarsen_for_public
from truceline.incidents.models import Incident

#: Columns carried unchanged into the public copy.
KEPT = (
    "id", "code", "occurred_at", "occurred_until", "time_precision", "country", "admin1",
    "event_type", "perpetrator", "perpetrator_label", "target_actor", "target_label", "targets",
    "casualties", "attribution", "verification_state", "released", "origin_dataset",
    "origin_event_id", "created_at", "updated_at",
)  # fmt: skip


def public_filter() -> ColumnElement[bool]:
    """The incidents the public may read (the policy's WHERE clause), merged ones left out."""
    return and_(visible_filter(PUBLIC, Incident), Incident.merged_into_id.is_(None))


def public_copy(incident: Incident, settings: Settings) -> Incident:
    """The incident as the public sees it (see the module docstring), on ``settings``' grid."""
    copy = Incident(**{name: getattr(incident, name) for name in KEPT})
    copy.title = copy.place_name = copy.notes = ""
    copy.admin2 = None
    copy.origin_record = {}
    copy.geo_precision = max(incident.geo_precision, int(PlacePrecision.NEAR_25KM))
    if incident.lat is not None and incident.lon is not None:
        copy.lat, copy.lon = coarsen_for_public(
            incident.lat, incident.lon, population=None, settings=settings
        )
    return copy
