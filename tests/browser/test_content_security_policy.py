"""The main pages work under the Content Security Policy, with no violation reported.

Chromium reports each refused script, style, frame or connection in the
console ("Refused to ... because it violates the following Content Security
Policy directive"); the pages are also asked for ``securitypolicyviolation``
events. The map, the report form and the API documentation must still work.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import expect

from browser_support import OfflinePage

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

RECORD_VIOLATIONS = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "inline"));
});
"""


def _watch(tab: OfflinePage) -> list[str]:
    """Collect CSP complaints from the console and from violation events of every page."""
    seen: list[str] = []
    tab.page.on(
        "console",
        lambda message: (
            seen.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    tab.context.add_init_script(RECORD_VIOLATIONS)
    return seen


def _violations(tab: OfflinePage, console: list[str]) -> list[str]:
    events = tab.page.evaluate("window.__csp || []")
    return [*console, *events]


def test_the_dashboard_map_and_an_incident_page_under_the_policy(
    live_server: str, page_as: Callable[..., OfflinePage]
) -> None:
    tab = page_as("mediator")
    console = _watch(tab)
    page = tab.page
    answer = page.goto(f"{live_server}/?date_from=2025-10-01&date_to=2025-10-31")
    assert answer is not None
    assert "frame-ancestors 'none'" in answer.headers["content-security-policy"]
    assert answer.headers["x-frame-options"] == "DENY"
    page.wait_for_selector("#map[data-layers='ready'][data-loaded]", timeout=15_000)
    assert page.locator("path.province").count() == 34
    assert _violations(tab, console) == []
    page.goto(f"{live_server}/incidents/TL-0001")
    page.wait_for_selector("#mini-map.leaflet-container", timeout=15_000)
    page.wait_for_selector("#mini-map path", timeout=15_000)  # the uncertainty circle
    assert _violations(tab, console) == []


def test_the_report_form_submits_under_the_policy(
    private_server: str, page_as: Callable[..., OfflinePage]
) -> None:
    tab = page_as("liaison_af", private_server)  # it files a report: not on the shared server
    console = _watch(tab)
    page = tab.page
    page.goto(f"{private_server}/intake/report")
    page.fill("#text", "Mortar rounds hit the bazaar in Ghulam Khan after the ceasefire.")
    page.fill("#occurred_on", "2025-10-18")
    page.fill("#occurred_time", "09:10")
    page.fill("#place_text", "Ghulam Khan, Khost")
    page.fill("#lat", "33.15")
    page.fill("#lon", "69.92")
    page.select_option("#event_type", "shelling_artillery_missile_attack")
    page.click("#report-form button[type=submit]")
    expect(page.locator("[data-report]")).to_be_visible(timeout=15_000)
    assert _violations(tab, console) == []


def test_the_api_documentation_runs_under_the_policy(
    live_server: str, public_page: OfflinePage
) -> None:
    console = _watch(public_page)
    page = public_page.page
    page.goto(f"{live_server}/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("truceline", timeout=15_000)
    expect(page.locator(".opblock-tag-section").first).to_be_visible()
    assert _violations(public_page, console) == []
    page.goto(f"{live_server}/redoc")
    expect(page.locator("h1").first).to_contain_text("truceline", timeout=15_000)
    assert _violations(public_page, console) == []
