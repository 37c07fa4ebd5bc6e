"""Every route declares its access in its signature, backed by the one policy.

A route depends either on ``Authorized(action, resource_type)`` (the policy
refuses early, and the route checks the record with ``access.require``) or on
``Public`` (anyone may call it; what it shows may still depend on who asks).
The walk covers the app as ``truceline serve`` builds it, API and pages alike,
and has no exceptions: a new route that decides its access only in its body fails.
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
    assert sorted(routes_without_declared_access()) == [], (
        "declare the access of these routes with Public or Authorized(action, resource_type)"
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
