"""``PageAccess``: the policy's ``Authorized`` for HTML pages (sign in first, then 403)."""

from __future__ import annotations

from typing import Any

from fastapi import Depends, HTTPException, Request

from truceline.accounts.access import Access
from truceline.accounts.policy import Action, ResourceType, could_ever
from truceline.http.deps import CurrentPrincipal


def PageAccess(action: Action, resource_type: ResourceType) -> Any:  # noqa: N802 (reads as a type)
    """Like ``Authorized``: refuses those who could never do ``action``; the public signs in."""

    def dependency(request: Request, principal: CurrentPrincipal) -> Access:
        decision = could_ever(principal, action, resource_type)
        if not decision.allowed:
            if not principal.signed_in:
                raise HTTPException(303, headers={"Location": f"/login?next={request.url.path}"})
            raise HTTPException(403, detail=decision.reason)
        return Access(principal, action, resource_type)

    dependency.__name__ = f"page_{action.value}_{resource_type.value}"
    dependency.__access__ = (action, resource_type)  # type: ignore[attr-defined]
    return Depends(dependency)
