"""Every route declares its access in its signature, backed by the one policy.

A route depends either on ``Authorized(action, resource_type)`` (the policy
refuses early, and the route checks the record with ``access.require``) or on
``Public`` (anyone may call it; what it shows may still depend on who asks).
The walk covers the app as ``truceline serve`` builds it, API and pages alike.

``KNOWN_ROUTES_DECIDING_ACCESS_IN_THEIR_BODY`` lists the routes that still ask
the policy only inside their body (``require(principal, ...)``); it may only
shrink: a listed route that now declares its access fails the test too, so the
list is kept exact.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import fastapi.routing
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from sqlalchemy import Engine

from truceline.app import create_app
from truceline.http.deps import declared_access

KNOWN_ROUTES_DECIDING_ACCESS_IN_THEIR_BODY = frozenset(
    {
        "GET /api/verification/evidence/{evidence_id}",
        "GET /api/verification/evidence/{evidence_id}/content",
        "POST /api/verification/evidence/{evidence_id}/custody",
        "POST /api/verification/evidence/{evidence_id}/disclose",
        "POST /api/verification/evidence/{evidence_id}/redactions",
        "GET /api/verification/queue",
        "POST /api/verification/tasks/{task_id}/blocked",
        "POST /api/verification/tasks/{task_id}/complete",
        "POST /api/verification/{incident_ref}",
        "POST /api/verification/{incident_ref}/corrections",
        "POST /api/verification/{incident_ref}/determination",
        "POST /api/verification/{incident_ref}/evidence",
        "POST /api/verification/{incident_ref}/evidence/from-reports",
        "POST /api/verification/{incident_ref}/obstructions",
        "POST /api/verification/{incident_ref}/parties",
        "POST /api/verification/{incident_ref}/proposal",
        "POST /api/verification/{incident_ref}/replies",
        "POST /api/verification/{incident_ref}/reply-window",
        "POST /api/verification/{incident_ref}/tasks",
        "PUT /api/verification/{incident_ref}/team",
        "POST /api/verification/{incident_ref}/transitions",
        "POST /api/verification/{incident_ref}/views",
        "GET /findings",
        "POST /incidents/{code}/case-parties",
        "POST /incidents/{code}/evidence/{form}",
        "POST /incidents/{code}/publication/{form}",
        "POST /incidents/{code}/verification/{form}",
        "GET /triage",
        "GET /triage/reports/{report_id}",
        "POST /triage/reports/{report_id}/{verb}",
        "GET /verification/queue",
    }
)


def _dependencies(dependant: Dependant) -> Iterator[Callable[..., Any] | None]:
    for dependency in dependant.dependencies:
        yield dependency.call
        yield from _dependencies(dependency)


def routes_without_declared_access() -> set[str]:
    app = create_app()
    missing = set()
    for context in fastapi.routing.iter_route_contexts(app.routes):
        route = context.original_route
        if not isinstance(route, APIRoute):
            continue
        if any(declared_access(call) is not None for call in _dependencies(route.dependant)):
            continue
        missing |= {f"{method} {route.path}" for method in route.methods}
    return missing


def test_every_route_declares_public_or_authorized_in_its_signature(
    sqlite_engine: Engine,
) -> None:
    missing = routes_without_declared_access()
    assert sorted(missing - KNOWN_ROUTES_DECIDING_ACCESS_IN_THEIR_BODY) == [], (
        "declare the access of these routes with Public or Authorized(action, resource_type)"
    )
    assert sorted(KNOWN_ROUTES_DECIDING_ACCESS_IN_THEIR_BODY - missing) == [], (
        "these routes now declare their access: remove them from the list"
    )


def test_a_public_route_is_marked_as_such() -> None:
    from truceline.accounts.access import Authorized, PageAccess
    from truceline.accounts.policy import Action, ResourceType
    from truceline.http.deps import public_route

    assert declared_access(public_route) == "public"
    authorized = Authorized(Action.READ, ResourceType.INCIDENT).dependency
    assert declared_access(authorized) == (Action.READ, ResourceType.INCIDENT)
    page = PageAccess(Action.CREATE, ResourceType.REPORT, signed_in=True).dependency
    assert declared_access(page) == (Action.CREATE, ResourceType.REPORT)
