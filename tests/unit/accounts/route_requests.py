"""Requests for action and intelligence of both parties, for the every-route access test.

Each carries a secret marker: an AF request not yet delivered (PK must never see
it), a PK request delivered to AF, a PK package not released (AF must never see
its content), one released, and an AF package sealed for the monitors.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from truceline.accounts.policy import Resource, ResourceType
from truceline.accounts.roles import Principal, Role
from truceline.action_requests import intelligence
from truceline.action_requests.access import package_resource, request_resource
from truceline.action_requests.domain import Step
from truceline.action_requests.models import RequestFinding
from truceline.action_requests.services import RequestSpec, submit_request, take_step
from truceline.config import get_settings

if TYPE_CHECKING:
    from .route_world import World

AF = Principal("farid", Role.PARTY_LIAISON, "AF")
PK = Principal("sana", Role.PARTY_LIAISON, "PK")
MEDIATOR = Principal("mona", Role.MEDIATOR)
NOW = datetime(2025, 10, 24, 9, 0, tzinfo=UTC)


def _spec(secret: str) -> RequestSpec:
    return RequestSpec(group="TTP", asked_action="investigate", target_kind="group",
                       clause="no-targeting-civilians", summary=secret)  # fmt: skip


def seed_requests(session: Session, world: World) -> None:
    from .route_world import Record

    keys = get_settings().resolved_keys_dir
    pending = submit_request(session, AF, _spec("SECRET-REQUEST-AF"), now=NOW)
    delivered = submit_request(session, PK, _spec("SECRET-REQUEST-PK-DELIVERED"), now=NOW)
    for step in (Step.ADMIT, Step.DELIVER):
        take_step(session, MEDIATOR, delivered, step, now=NOW)
    for request, secret in ((pending, "SECRET-REQUEST-AF"),
                            (delivered, "SECRET-REQUEST-PK-DELIVERED")):  # fmt: skip
        described = request_resource(request)
        world.secrets[secret] = described
        world.add("request", Record(request.code, {
            "request_ref": request.code, "request_code": request.code,
        }, {ResourceType.ACTION_REQUEST: described,
            ResourceType.FINDING: Resource(ResourceType.FINDING)}))  # fmt: skip
    finding = RequestFinding(group_id="TTP", addressed_party="AF", agreement_id="doha-2025-10-19",
                             clause_id="no-targeting-civilians", finding="indeterminate",
                             basis="none", explanation="SECRET-REQUEST-FINDING",
                             request_codes=[delivered.code], rules_version="test",
                             determined_by="mona")  # fmt: skip
    session.add(finding)
    world.secrets["SECRET-REQUEST-FINDING"] = Resource(ResourceType.FINDING)
    packages = (
        (PK, delivered, "mediator_and_party", "SECRET-INTEL-PK-HELD", False),
        (PK, delivered, "mediator_and_party", "SECRET-INTEL-PK-RELEASED", True),
        (AF, pending, "monitors", "SECRET-INTEL-AF-MONITORS", False),
    )
    for who, request, audience, secret, release in packages:
        package = intelligence.create_package(session, who, title=f"{secret} title", body=secret,
                                              tlp="amber", audience=audience, keys_dir=keys,
                                              request=request)  # fmt: skip
        if release:
            intelligence.release_package(session, who, package, keys_dir=keys, now=NOW)
        described = package_resource(package)
        world.secrets[secret] = described
        world.add("package", Record(package.code, {"package_ref": package.code}, {
            ResourceType.INTELLIGENCE: described}))  # fmt: skip
