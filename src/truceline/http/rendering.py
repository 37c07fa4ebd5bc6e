"""Rendering pages: every page goes through ``render_page`` so that it gets the
language, direction, formatters, navigation and the principal.

A context adding pages calls ``render_page(request, ui, principal, "its.html", {...})``
from its router and extends ``base.html``. Navigation entries are the ``NavItem``s
the contexts registered with the app's ``AppRegistry`` (``app.state.registry``);
a context adds one for a new top-level page (label in English, it is translated at
render time, so also add it to the catalogues).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse

from truceline.accounts.csrf import csrf_input
from truceline.accounts.roles import Principal
from truceline.config import get_settings
from truceline.db.engine import session_factory
from truceline.http.access import sees_restricted
from truceline.http.deps import app_engine
from truceline.http.i18n import (
    LANG_COOKIE,
    LANGUAGES,
    TZ_COOKIE,
    ZONES,
    UIContext,
    normalise_language,
)
from truceline.http.labels import role_label
from truceline.http.registry import NavItem, PageRenderer, registry_of
from truceline.http.templating import templates

COOKIE_MAX_AGE = 365 * 24 * 3600


def registered_page(request: Request, name: str) -> PageRenderer:
    """The page another context registered as ``name`` with this request's app."""
    return registry_of(request.app).page(name)


def nav_items(request: Request) -> list[NavItem]:
    """The navigation the contexts registered with this request's app (none outside an app)."""
    registry = getattr(request.app.state, "registry", None)
    return list(registry.nav_items) if registry is not None else []


def registered_helpers(request: Request, ui: UIContext) -> dict[str, Any]:
    """The template helpers the contexts registered, built for this page's language."""
    registry = getattr(request.app.state, "registry", None)
    helpers: dict[str, Any] = {}
    for build in registry.template_helpers if registry is not None else ():
        helpers.update(build(ui))
    return helpers


def nav_badge(request: Request, item: NavItem, principal: Principal) -> int:
    """The count beside a navigation link, read in a short session on the app's engine."""
    if item.badge is None:
        return 0
    with session_factory(app_engine(request.app))() as session:
        return item.badge(session, principal)


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
        "nav_items": [item for item in nav_items(request) if item.shown_to(principal, restricted)],
        "nav_badge": lambda item: nav_badge(request, item, principal),
        "languages": LANGUAGES.values(),
        "zones": ZONES,
        "url_with": lambda **changes: url_with(request, **changes),
        "csrf_input": csrf_input,
        "role_label": role_label,
        "grid_km": get_settings().public_location_precision_km,
        **registered_helpers(request, ui),
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
