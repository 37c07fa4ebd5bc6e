"""FastAPI glue for the access policy: ``Authorized(action, resource_type)``.

A route states in its signature what it needs::

    @router.get("/api/incidents/{incident_id}")
    def read_incident(
        incident_id: int,
        session: SessionDep,
        access: Annotated[Access, Authorized(Action.READ, ResourceType.INCIDENT)],
    ) -> IncidentOut:
        incident = session.get(Incident, incident_id)          # 404 handling omitted
        access.require(incident)                               # 401/403 with the reason
        ...

    rows = session.scalars(select(Incident).where(access.filter(Incident)))

The dependency refuses at once when the caller may never do the action on any
record of the type (e.g. the public asking for reporter identities); ``require``
then checks the record itself, and ``filter`` narrows list queries. With
``signed_in=True`` it also refuses the public (401) where the action is open to
anyone in the policy but the route serves known accounts only (a report filed
through the API or the web form, rather than by text message). ``PageAccess`` is
the same for HTML pages: a visitor who has not signed in is sent to sign in, and
anyone else the policy refuses gets 403.

A route anyone may call says so with ``truceline.http.deps.Public`` (the
caller, whoever it is; what the route shows may still depend on who asks).
Every route declares one of the two: a test walks the app and fails on a route
with neither. The dependency carries the ``__access__`` mark that
``http.deps.declared_access`` reads. This module does not import the HTTP layer
(the layer imports the policy): it reads the principal with
``accounts.requester.get_principal``, as the HTTP layer does.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Request
from sqlalchemy import ColumnElement

from truceline.accounts.policy import (
    AccessDenied,
    Action,
    Decision,
    Resource,
    ResourceType,
    authorize,
    could_ever,
    refuse,
    require,
)
from truceline.accounts.requester import get_principal
from truceline.accounts.roles import Principal
from truceline.accounts.scoping import resource_of, visible_filter


@dataclass(frozen=True)
class Access:
    """What a route may do, bound to the caller."""

    principal: Principal
    action: Action
    resource_type: ResourceType

    def resource(self, target: object) -> Resource:
        resource = target if isinstance(target, Resource) else resource_of(target)
        if resource.type is not self.resource_type:
            raise TypeError(f"expected a {self.resource_type.value}, got a {resource.type.value}")
        return resource

    def check(self, target: object) -> Decision:
        return authorize(self.principal, self.action, self.resource(target))

    def require(self, target: object) -> Decision:
        """Raise ``AccessDenied`` (401/403 with the reason) unless allowed on ``target``."""
        return require(self.principal, self.action, self.resource(target))

    def filter(self, model: type) -> ColumnElement[bool]:
        return visible_filter(self.principal, model, self.action)


def _decision(principal: Principal, action: Action, resource_type: ResourceType,
              signed_in: bool) -> Decision:  # fmt: skip
    if signed_in and not principal.signed_in:
        return refuse(f"to {action.value} a {resource_type.value} here, sign in first")
    return could_ever(principal, action, resource_type)


def Authorized(  # noqa: N802 (reads as a type)
    action: Action, resource_type: ResourceType, *, signed_in: bool = False
) -> Any:
    """A dependency giving an ``Access``; refuses callers who could never do ``action``.

    A coroutine with no I/O: FastAPI runs it on the event loop rather than in a thread.
    """

    async def dependency(principal: Annotated[Principal, Depends(get_principal)]) -> Access:
        decision = _decision(principal, action, resource_type, signed_in)
        if not decision.allowed:
            raise AccessDenied(decision, principal)
        return Access(principal, action, resource_type)

    dependency.__name__ = f"authorized_{action.value}_{resource_type.value}"
    dependency.__access__ = (action, resource_type)  # type: ignore[attr-defined]
    return Depends(dependency)


def PageAccess(  # noqa: N802 (reads as a type)
    action: Action,
    resource_type: ResourceType,
    *,
    signed_in: bool = False,
    next_page: str | None = None,
) -> Any:
    """Like ``Authorized`` for a page: the public signs in first (back to ``next_page``, or
    the page asked for), anyone else the policy refuses gets 403 with the reason."""

    async def dependency(
        request: Request, principal: Annotated[Principal, Depends(get_principal)]
    ) -> Access:
        decision = _decision(principal, action, resource_type, signed_in)
        if not decision.allowed:
            if not principal.signed_in:
                back = next_page or request.url.path
                raise HTTPException(303, headers={"Location": f"/login?next={back}"})
            raise HTTPException(403, detail=decision.reason)
        return Access(principal, action, resource_type)

    dependency.__name__ = f"page_{action.value}_{resource_type.value}"
    dependency.__access__ = (action, resource_type)  # type: ignore[attr-defined]
    return Depends(dependency)


AccessFactory = Callable[[Action, ResourceType], Any]
