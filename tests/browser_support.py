"""A browser tab that refuses to leave the machine, for the browser tests."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

from playwright.sync_api import BrowserContext, Page, Route

SCREENSHOTS = Path(__file__).resolve().parents[1] / "test-artifacts" / "screenshots"
LOOPBACK = {"127.0.0.1", "localhost", "::1"}


class OfflinePage:
    """A page whose requests beyond the loopback interface are recorded and refused."""

    def __init__(self, context: BrowserContext) -> None:
        self.context = context
        self.blocked: list[str] = []
        #: Appended to screenshot names (e.g. ``-postgresql`` for a server on PostgreSQL).
        self.screenshot_suffix = ""
        context.route("**/*", self._only_loopback)
        self.page: Page = context.new_page()

    def _only_loopback(self, route: Route) -> None:
        host = urlparse(route.request.url).hostname or ""
        if host in LOOPBACK or route.request.url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            self.blocked.append(route.request.url)
            route.abort()

    def screenshot(self, name: str) -> None:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}{self.screenshot_suffix}.png"
        self.page.screenshot(path=str(path), full_page=True)
