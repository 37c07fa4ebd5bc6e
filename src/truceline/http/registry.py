"""What contexts hand to the HTTP layer: routers, navigation items and template folders.

A context's web module either exposes ``router`` (an API-only module) or a
``register_http(registry: AppRegistry)`` function that adds its routers, its
navigation items (with their badges), its templates folder and the pages other
contexts may redraw by name (the composite incident page, which the
verification forms redraw with their messages). The composition
root (``truceline.app``) calls these for every module it lists; the HTTP layer
itself never imports a context.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi import APIRouter
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from truceline.accounts.roles import Principal


@dataclass(frozen=True)
class NavItem:
    """A link in the top navigation.

        ``order`` places it (lower first, whatever the order contexts register in);
        ``restricted`` items are hidden from the public view, ``signed_in`` items from
        visitors who have not signed in; ``shown`` asks the context (and through it the
        access policy) whether this principal gets the link at all. ``badge`` gives a
        count shown beside the label (nothing when zero); it runs only when the link is drawn,
    with a short session on the app's engine that the HTTP layer opens for it.
    """

    path: str
    label: str
    order: int
    restricted: bool = False
    signed_in: bool = False
    shown: Callable[[Principal], bool] | None = None
    badge: Callable[[Session, Principal], int] | None = None

    def shown_to(self, principal: Principal, restricted: bool) -> bool:
        if self.shown is not None and not self.shown(principal):
            return False
        return (restricted or not self.restricted) and (principal.signed_in or not self.signed_in)


#: Functions of the page's ``UIContext`` giving template helpers (``{"explain": ...}``):
#: a context lends its templates and the others' helpers in the reader's language.
TemplateHelpers = Callable[[Any], dict[str, Any]]

#: A page renderer registered by name: ``(request, session, principal, ui, *args, **kwargs)``.
PageRenderer = Callable[..., HTMLResponse]


@dataclass
class AppRegistry:
    """Routers, navigation and templates gathered from the contexts for one application."""

    routers: list[APIRouter] = field(default_factory=list)
    nav_items: list[NavItem] = field(default_factory=list)
    template_dirs: list[Path] = field(default_factory=list)
    pages: dict[str, PageRenderer] = field(default_factory=dict)
    template_helpers: list[TemplateHelpers] = field(default_factory=list)

    def add_router(self, router: APIRouter) -> None:
        self.routers.append(router)

    def add_nav(self, item: NavItem) -> None:
        self.nav_items.append(item)
        self.nav_items.sort(key=lambda nav: nav.order)

    def add_templates(self, directory: Path) -> None:
        """A context's templates folder (its files live in a subfolder named after it)."""
        if directory not in self.template_dirs:
            self.template_dirs.append(directory)

    def add_template_helpers(self, helpers: TemplateHelpers) -> None:
        """Helpers every page's template may call, built for the page's language."""
        self.template_helpers.append(helpers)

    def add_page(self, name: str, renderer: PageRenderer) -> None:
        """A page that other contexts redraw by ``name`` without importing its module."""
        self.pages[name] = renderer

    def page(self, name: str) -> PageRenderer:
        return self.pages[name]


def registry_of(app: Any) -> AppRegistry:
    """The registry an app was built from (``build_app`` keeps it in ``app.state``)."""
    registry = app.state.registry
    assert isinstance(registry, AppRegistry)
    return registry
