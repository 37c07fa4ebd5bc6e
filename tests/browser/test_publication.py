"""Publication in headless Chromium: a mediator withdraws and releases an incident from its
page; the public dashboard, list and incident page follow, and unreleased ones never show."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import expect

from browser_support import OfflinePage

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

OCTOBER = "?date_from=2025-10-01&date_to=2025-10-31"


def _public_codes(tab: OfflinePage, base: str) -> tuple[str, str]:
    """The public list's table text and the dashboard's incident count for October."""
    page = tab.page
    page.goto(f"{base}/public")
    table = page.locator("#incident-table").inner_text()
    page.goto(f"{base}/{OCTOBER}")
    page.wait_for_selector("#map[data-loaded]", timeout=15_000)
    return table, page.locator("[data-count='incidents']").inner_text()


def test_a_released_incident_shows_on_the_public_pages_and_an_unreleased_one_does_not(
    private_server: str, page_as: Callable[..., OfflinePage]
) -> None:
    mediator = page_as("mediator", private_server)
    public = page_as(None, private_server)
    table, count = _public_codes(public, private_server)
    assert "TL-0001" in table and count == "2"

    page = mediator.page
    page.goto(f"{private_server}/incidents/TL-0001")
    expect(page.locator("#publication [data-released]")).to_have_attribute("data-released", "true")
    page.fill("#publication-reason", "A party disputes the casualty count.")
    page.click("#publication-withdraw-form button[type=submit]")
    expect(page.locator("#publication [data-released]")).to_have_attribute("data-released", "false")
    table, count = _public_codes(public, private_server)
    assert "TL-0001" not in table and count == "1"
    response = public.page.goto(f"{private_server}/public/incidents/TL-0001")
    assert response is not None and response.status == 404

    page.goto(f"{private_server}/incidents/TL-0001")
    page.click("#publication-release-form button[type=submit]")
    expect(page.locator("#publication [data-released]")).to_have_attribute("data-released", "true")
    mediator.screenshot("incident-publication")
    table, count = _public_codes(public, private_server)
    assert "TL-0001" in table and count == "2"
    for unreleased in ("TL-0002", "TL-0004"):
        assert unreleased not in table
        response = public.page.goto(f"{private_server}/public/incidents/{unreleased}")
        assert response is not None and response.status == 404
    public.page.goto(f"{private_server}/public/incidents/TL-0001")
    expect(public.page.locator("main")).to_contain_text("rounded for the public to a grid of 5 km")
    expect(public.page.locator("main")).not_to_contain_text("Village TL-0001")


def test_an_open_incident_cannot_be_released_from_its_page(
    private_server: str, page_as: Callable[..., OfflinePage]
) -> None:
    page = page_as("mediator", private_server).page
    page.goto(f"{private_server}/incidents/TL-0004")
    expect(page.locator("[data-release-blocked]")).to_be_visible()
    expect(page.locator("#publication-release-form")).to_have_count(0)
