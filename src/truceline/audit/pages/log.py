"""The Audit page (``/audit``): the signed log as a party checks it.

Public: the published keys, the latest checkpoints with each witness's
cosignature, and the exact commands a party runs to verify the log on its
own machine. Signed-in participants also see the newest entries (who did
what to which record, with the leaf hash; never the record itself). Every
question goes to the accounts policy's ``audit_log`` rule.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from truceline.accounts.policy import Action, Resource, ResourceType, authorize
from truceline.audit.browse import (
    VERIFY_COMMANDS,
    cosignatures,
    recent_checkpoints,
    recent_entries,
)
from truceline.audit.keys import keys_document
from truceline.config import get_settings
from truceline.http.deps import Public, SessionDep
from truceline.http.i18n import N_, CurrentUI
from truceline.http.registry import AppRegistry, NavItem
from truceline.http.rendering import render_page

router = APIRouter(include_in_schema=False)


def register_http(registry: AppRegistry) -> None:
    """The audit log page and its navigation link."""
    registry.add_router(router)
    registry.add_nav(NavItem("/audit", N_("Audit log"), order=90))


AUDIT = Resource(ResourceType.AUDIT_LOG)
ENTRIES_SHOWN = 50


@router.get("/audit", response_class=HTMLResponse)
def audit_page(
    request: Request,
    session: SessionDep,
    principal: Public,
    ui: CurrentUI,
    before: Annotated[int | None, Query(ge=0, le=2**62)] = None,
) -> HTMLResponse:
    """Checkpoints with cosignatures, public keys, the verify commands, and (signed in) entries."""
    reads_entries = authorize(principal, Action.READ, AUDIT).allowed
    entries = recent_entries(session, before=before, limit=ENTRIES_SHOWN) if reads_entries else []
    checkpoints = [(c, cosignatures(session, c)) for c in recent_checkpoints(session)]
    base = str(request.base_url).rstrip("/")
    context = {
        "entries": entries,
        "reads_entries": reads_entries,
        "checkpoints": checkpoints,
        "keys": keys_document(session, get_settings().checkpoint_origin),
        "commands": [command.format(base=base) for command in VERIFY_COMMANDS],
        "base_url": base,
        "next_before": entries[-1].seq if len(entries) == ENTRIES_SHOWN else None,
    }
    return render_page(request, ui, principal, "audit.html", context)
