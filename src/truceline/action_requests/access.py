"""The requests context's rows as the access policy sees them (listed in ``RESOURCE_MODULES``)."""

from __future__ import annotations

from truceline.accounts.policy import Resource, ResourceType
from truceline.accounts.scoping import ResourceMapping, register_resource
from truceline.action_requests.models import ActionRequest, IntelligencePackage, RequestFinding


def request_resource(request: ActionRequest) -> Resource:
    """Owned by the requesting party; shared with the addressed party once delivered."""
    return Resource(
        ResourceType.ACTION_REQUEST,
        owner_party=request.requesting_party,
        shared=bool(request.delivered),
        case_state=request.state,
    )


def package_resource(package: IntelligencePackage) -> Resource:
    """Owned by the submitting party; disclosed once released; shared when sealed for monitors."""
    return Resource(
        ResourceType.INTELLIGENCE,
        owner_party=package.submitting_party,
        shared=bool(package.for_monitors),
        disclosed=bool(package.released),
    )


def finding_resource(_finding: RequestFinding) -> Resource:
    """Findings on requests are shared with both parties, as findings on incidents before release."""
    return Resource(ResourceType.FINDING)


register_resource(
    ActionRequest,
    ResourceMapping(
        type=ResourceType.ACTION_REQUEST,
        to_resource=request_resource,
        owner_party=ActionRequest.requesting_party,
        shared=ActionRequest.delivered,
    ),
)
register_resource(
    IntelligencePackage,
    ResourceMapping(
        type=ResourceType.INTELLIGENCE,
        to_resource=package_resource,
        owner_party=IntelligencePackage.submitting_party,
        shared=IntelligencePackage.for_monitors,
        disclosed=IntelligencePackage.released,
    ),
)
register_resource(
    RequestFinding,
    ResourceMapping(
        type=ResourceType.FINDING,
        to_resource=finding_resource,
        # the rule ignores it; mapped so that the filter is built from at least one fact
        owner_party=RequestFinding.addressed_party,
    ),
)
