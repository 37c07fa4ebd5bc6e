"""Incidents and reports as the access policy sees them (listed in ``RESOURCE_MODULES``)."""

from __future__ import annotations

from truceline.accounts.policy import Resource, ResourceType
from truceline.accounts.scoping import DETERMINED_STATES, ResourceMapping, register_resource
from truceline.incidents.models import Incident, Report


def _incident_resource(incident: Incident) -> Resource:
    return Resource(
        ResourceType.INCIDENT,
        released=bool(incident.released),
        determined=incident.verification_state in DETERMINED_STATES,
    )


def _report_resource(report: Report) -> Resource:
    return Resource(
        ResourceType.REPORT, owner_party=report.source_party, owner_user=report.submitted_by
    )


register_resource(
    Incident,
    ResourceMapping(
        type=ResourceType.INCIDENT,
        to_resource=_incident_resource,
        released=Incident.released.is_(True),
        determined=Incident.verification_state.in_(sorted(DETERMINED_STATES)),
    ),
)
register_resource(
    Report,
    ResourceMapping(
        type=ResourceType.REPORT,
        to_resource=_report_resource,
        owner_party=Report.source_party,
        owner_user=Report.submitted_by,
    ),
)
