"""The dashboard map with many incidents: clusters at the wide view, single incidents zoomed in."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from browser_support import OfflinePage

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_the_wide_view_shows_clusters_and_zooming_in_shows_incidents(
    crowded_server: str, page_as: Callable[..., OfflinePage]
) -> None:
    tab = page_as("mediator", crowded_server)
    page = tab.page
    page.goto(f"{crowded_server}/?date_from=2025-08-01&date_to=2025-10-31")
    page.wait_for_selector("#map[data-layers='ready'][data-mode][data-zoom]", timeout=15_000)
    assert page.locator("#map").get_attribute("data-mode") == "clusters"
    assert page.locator(".incident-cluster").count() >= 2
    assert page.locator("path.incident-marker").count() == 0
    tab.screenshot("dashboard-clusters")
    for _ in range(4):  # each click on a cluster zooms in two levels towards it
        if page.locator("#map").get_attribute("data-mode") == "points":
            break
        zoom = page.locator("#map").get_attribute("data-zoom")
        page.locator(".incident-cluster").first.click()
        # the page's policy allows no evaluated script: wait on the attribute instead
        page.wait_for_selector(f"#map:not([data-zoom='{zoom}'])", timeout=15_000)
    assert page.locator("#map").get_attribute("data-mode") == "points"
    assert page.locator(".incident-cluster").count() == 0
    assert int(page.locator("#map").get_attribute("data-loaded") or 0) >= 1
    markers = page.locator("path.incident-marker").count() + page.locator(".marker-cluster").count()
    assert markers >= 1
