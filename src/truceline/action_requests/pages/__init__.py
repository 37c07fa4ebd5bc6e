"""The requests pages: boxes and screening queue (``views``) and their forms (``forms``).

``register_http`` hands the routers, this package's ``templates`` folder and the
navigation link to the HTTP layer; every route states its access in its
signature with ``PageAccess`` (the one policy), which sends visitors who have
not signed in to the sign-in page instead of answering 401.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter

from truceline.accounts.roles import Principal
from truceline.action_requests.pages import forms, views
from truceline.http.i18n import N_
from truceline.http.registry import AppRegistry, NavItem

TEMPLATES_DIR = Path(__file__).parent / "templates"
#: The roles that take part in requests for action (the pages refuse the others by policy).
REQUEST_ROLES = frozenset({"mediator", "team_member", "field_monitor", "party_liaison"})

router = APIRouter(include_in_schema=False)
router.include_router(views.router)
router.include_router(forms.router)


def register_http(registry: AppRegistry) -> None:
    """The requests pages, their templates folder and the navigation link."""
    registry.add_router(router)
    registry.add_templates(TEMPLATES_DIR)
    registry.add_nav(NavItem("/requests", N_("Requests"), order=58, shown=_takes_part))


def _takes_part(principal: Principal) -> bool:
    return principal.role in REQUEST_ROLES
