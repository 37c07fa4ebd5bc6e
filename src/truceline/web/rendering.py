"""Rendering pages: every page goes through ``render_page`` so that it gets the
language, direction, formatters, navigation and the principal.

A context adding pages calls ``render_page(request, ui, principal, "its.html", {...})``
from its router and extends ``base.html``. Navigation entries are listed in
``NAV_ITEMS``; add one there for a new top-level page (label in English, it is
translated at render time, so also add it to the catalogues).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse

from truceline.accounts.csrf import csrf_input
from truceline.accounts.roles import Principal
from truceline.config import get_settings
from truceline.db.engine import default_engine, session_factory
from truceline.warning.notify import unread_count
from truceline.web.explanation_view import (
    agreement_text_html,
    definition_html,
    explanation_html,
    missing_facts_html,
)
from truceline.web.i18n import (
    LANG_COOKIE,
    LANGUAGES,
    TZ_COOKIE,
    ZONES,
    UIContext,
    normalise_language,
)
from truceline.web.names_view import actor_namer, data_text, task_description
from truceline.web.presentation import N_, role_label
from truceline.web.templating import templates
from truceline.web.triage_queries import triage_roles
from truceline.web.visibility import sees_restricted

COOKIE_MAX_AGE = 365 * 24 * 3600


def unread_notifications(principal: Principal) -> int:
    """The principal's unread notifications, for the badge beside the navigation link.

    Called by the template only when it draws that link (signed-in visitors;
    never for the public or the public view, which renders as ``PUBLIC``): one
    COUNT on an index, in a short session of its own as the access middleware
    uses, so that every page gets it without passing its session here.
    """
    if not principal.signed_in:
        return 0
    with session_factory(default_engine())() as session:
        return unread_count(session, principal)


@dataclass(frozen=True)
class NavItem:
    """A link in the top navigation; ``restricted`` items are hidden from the public view,
    ``signed_in`` items from visitors who have not signed in. ``badge`` gives a count shown
    beside the label (nothing when zero); it runs only when the link is drawn."""

    path: str
    label: str
    restricted: bool = False
    signed_in: bool = False
    roles: frozenset[str] | None = None
    badge: Callable[[Principal], int] | None = None

    def shown_to(self, principal: Principal, restricted: bool) -> bool:
        if self.roles is not None and principal.role not in self.roles:
            return False
        return (restricted or not self.restricted) and (principal.signed_in or not self.signed_in)


NAV_ITEMS: list[NavItem] = [
    NavItem("/", N_("Dashboard")),
    NavItem("/incidents", N_("Incidents"), restricted=True),
    NavItem("/intake/report", N_("Report"), signed_in=True),
    NavItem("/triage", N_("Triage"), roles=triage_roles()),
    NavItem(
        "/verification/queue",
        N_("Verification queue"),
        roles=frozenset({"mediator", "team_member", "field_monitor"}),
    ),
    NavItem("/notifications", N_("Notifications"), signed_in=True, badge=unread_notifications),
    NavItem("/risk", N_("District risk"), restricted=True),
    NavItem("/findings", N_("Findings")),
    NavItem("/audit", N_("Audit log")),
    NavItem("/agreements", N_("Agreements")),
    NavItem("/designations", N_("Designations")),
    NavItem("/public", N_("Public view")),
    NavItem("/docs", N_("API")),
]


def url_with(request: Request, **changes: str) -> str:
    """The current URL with some query parameters replaced (used by the language switch)."""
    params = dict(request.query_params)
    params.update(changes)
    return f"{request.url.path}?{urlencode(params)}"


def render_page(
    request: Request,
    ui: UIContext,
    principal: Principal,
    name: str,
    context: dict[str, Any] | None = None,
    *,
    status_code: int = 200,
) -> HTMLResponse:
    """Render template ``name`` in the request's language; remember an explicit choice in cookies."""
    restricted = sees_restricted(principal)
    page_context: dict[str, Any] = {
        "ui": ui,
        "lang": ui.code,
        "dir": ui.direction,
        "_": ui.gettext,
        "gettext": ui.gettext,
        "ngettext": ui.ngettext,
        "principal": principal,
        "restricted_view": restricted,
        "nav_items": [item for item in NAV_ITEMS if item.shown_to(principal, restricted)],
        "languages": LANGUAGES.values(),
        "zones": ZONES,
        "url_with": lambda **changes: url_with(request, **changes),
        "csrf_input": csrf_input,
        "role_label": role_label,
        "explain": lambda finding: explanation_html(finding, ui),
        "missing_facts": lambda finding: missing_facts_html(finding, ui),
        "definition_name": lambda name: definition_html(name, ui),
        "actor_name": actor_namer(ui),
        "task_description": lambda task: task_description(task, ui),
        "data_text": lambda english: data_text(english, ui),
        "agreement_text": lambda key, english, original=True: agreement_text_html(
            key, english, ui, original=original
        ),
        "grid_km": get_settings().public_location_precision_km,
        **(context or {}),
    }
    response = templates.TemplateResponse(request, name, page_context, status_code=status_code)
    remember_choices(request, response)
    return response


def remember_choices(request: Request, response: HTMLResponse) -> None:
    """Store ``?lang=`` and ``?tz=`` in cookies so that the next pages keep them."""
    lang = request.query_params.get("lang")
    if lang and normalise_language(lang):
        response.set_cookie(LANG_COOKIE, lang, max_age=COOKIE_MAX_AGE, samesite="lax")
    zone = request.query_params.get("tz")
    if zone in ZONES:
        response.set_cookie(TZ_COOKIE, zone, max_age=COOKIE_MAX_AGE, samesite="lax")
