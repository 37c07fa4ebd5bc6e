"""The verification queue page: open verification work, due and overdue, with the reasons.

The rows come from ``truceline.verification.queue.work_queue`` (the same list
the CLI and the JSON API give), each linked to its incident page. The page is
for the people who do or direct the work: whoever the policy lets move a
verification case (mediators and the joint teams' members: team members and
field monitors). The same answer decides whether the top navigation shows the link,
and the route declares it in its signature (``QueueWorker``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import HTMLResponse

from truceline.accounts.policy import Action, ResourceType, could_ever
from truceline.accounts.roles import Principal
from truceline.http.deps import CurrentPrincipal, SessionDep
from truceline.http.i18n import N_, CurrentUI
from truceline.http.labels import PARTY_NAMES
from truceline.http.registry import AppRegistry, NavItem
from truceline.http.rendering import render_page
from truceline.verification.pages.case_view import LABELS
from truceline.verification.pages.labels import state_label
from truceline.verification.queue import work_queue

router = APIRouter(include_in_schema=False)


def register_http(registry: AppRegistry) -> None:
    """The verification queue and its navigation link."""
    registry.add_router(router)
    registry.add_nav(
        NavItem("/verification/queue", N_("Verification queue"), order=50, shown=may_see_queue)
    )


def may_see_queue(principal: Principal) -> bool:
    """Whether the policy lets the principal move some verification case (do or direct the work)."""
    return could_ever(principal, Action.UPDATE, ResourceType.VERIFICATION_CASE).allowed


def queue_worker(principal: CurrentPrincipal) -> Principal:
    """Refuses, before the route runs, whoever the policy lets move no verification case."""
    if not may_see_queue(principal):
        raise HTTPException(status_code=403, detail="the verification queue is for the mechanism")
    return principal


queue_worker.__access__ = (Action.UPDATE, ResourceType.VERIFICATION_CASE)  # type: ignore[attr-defined]

#: The reader of the queue: declares ``update`` on a verification case (``may_see_queue``).
QueueWorker = Annotated[Principal, Depends(queue_worker)]


@router.get("/verification/queue", response_class=HTMLResponse)
def verification_queue(
    request: Request,
    session: SessionDep,
    principal: QueueWorker,
    ui: CurrentUI,
    overdue: Annotated[bool, Query()] = False,
) -> HTMLResponse:
    """Open tasks of unfinished cases, soonest due first; ``?overdue=true`` keeps the late ones."""
    items = work_queue(session, principal=principal, overdue_only=overdue)
    context = {
        "items": items,
        "due": {item.task_id: datetime.fromisoformat(item.due_at) for item in items},
        "overdue_only": overdue,
        "overdue_count": sum(1 for item in items if item.overdue),
        "state_label": state_label,
        "party_names": PARTY_NAMES,
        **LABELS,
    }
    return render_page(request, ui, principal, "verification_queue.html", context)
