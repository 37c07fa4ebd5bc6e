"""GeoJSON (RFC 7946) export: one Point feature per located incident.

Coordinates are ``[longitude, latitude]`` in WGS 84. The properties carry what
a map needs to filter and label events; the precision codes say how far the
point may be from the real place (a border-area event is not a pin-point).
Incidents without coordinates are skipped and counted by the exporter.
"""

from __future__ import annotations

from typing import Any

from truceline.events.taxonomy import EVENT_TYPES


def feature(incident: Any, reports: list[Any]) -> dict[str, Any] | None:
    """The GeoJSON Feature for an incident (ORM object), or ``None`` when it has no point."""
    if incident.lat is None or incident.lon is None:
        return None
    return {
        "type": "Feature",
        "id": incident.code,
        "geometry": {"type": "Point", "coordinates": [incident.lon, incident.lat]},
        "properties": {
            "code": incident.code,
            "title": incident.title,
            "occurred_at": incident.occurred_at.isoformat(),
            "occurred_until": incident.occurred_until.isoformat()
            if incident.occurred_until
            else None,
            "time_precision": incident.time_precision,
            "geo_precision": incident.geo_precision,
            "place_name": incident.place_name,
            "country": incident.country,
            "admin1": incident.admin1,
            "admin2": incident.admin2,
            "event_type": incident.event_type,
            "event_category": EVENT_TYPES.get(incident.event_type),
            "perpetrator": incident.perpetrator,
            "perpetrator_label": incident.perpetrator_label,
            "target_actor": incident.target_actor,
            "target_label": incident.target_label,
            "targets": incident.targets,
            "casualties": incident.casualties,
            "fatalities_best": sum(int(v.get("best", 0)) for v in incident.casualties.values()),
            "verification_state": incident.verification_state,
            "sources": list(dict.fromkeys(r.source_name for r in reports if r.source_name)),
            "origin_dataset": incident.origin_dataset,
            "origin_event_id": incident.origin_event_id,
        },
    }
