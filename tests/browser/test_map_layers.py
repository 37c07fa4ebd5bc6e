"""The dashboard map's Pakistani provinces and districts, and the boundary label the reader can hide."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from browser_support import OfflinePage

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

OCTOBER = "/?date_from=2025-10-01&date_to=2025-10-31"


def _wait_for_map(tab: OfflinePage) -> None:
    tab.page.wait_for_selector("#map[data-layers='ready']", timeout=15_000)
    tab.page.wait_for_selector("#map[data-loaded]", timeout=15_000)
    tab.page.wait_for_selector("path.pk-district", timeout=15_000)
    tab.page.wait_for_timeout(400)  # let Leaflet's fade-in end before a screenshot


def test_dashboard_map_draws_pakistani_provinces_and_districts_with_attribution(
    live_server: str, mediator_page: OfflinePage
) -> None:
    page = mediator_page.page
    page.goto(f"{live_server}{OCTOBER}")
    _wait_for_map(mediator_page)
    assert page.locator("path.pk-district").count() == 126
    assert page.locator("path.pk-province").count() >= 7
    expect(page.locator(".leaflet-control-attribution")).to_contain_text("geoBoundaries")
    expect(page.locator("ul.legend").first).to_contain_text("geoBoundaries")
    mediator_page.screenshot("map-pakistan-districts-en")


def test_boundary_label_hides_by_keyboard_stays_hidden_after_reload_and_comes_back(
    live_server: str, mediator_page: OfflinePage
) -> None:
    page = mediator_page.page
    page.goto(f"{live_server}{OCTOBER}")
    _wait_for_map(mediator_page)
    label = page.locator("#map .boundary-label")
    expect(label).to_be_visible()
    expect(label).to_contain_text("de facto")
    page.locator(".boundary-label-hide").focus()
    page.keyboard.press("Enter")
    expect(label).to_be_hidden()
    show = page.locator(".boundary-label-show")
    expect(show).to_be_focused()
    page.reload()
    _wait_for_map(mediator_page)
    expect(page.locator("#map .boundary-label")).to_be_hidden()
    page.locator(".boundary-label-show").focus()
    page.keyboard.press("Space")
    expect(page.locator("#map .boundary-label")).to_be_visible()
    assert page.evaluate("window.localStorage.getItem('truceline.map.boundaryLabelHidden')") is None


def test_urdu_map_labels_the_hide_button_in_urdu(
    live_server: str, mediator_page: OfflinePage
) -> None:
    page = mediator_page.page
    page.goto(f"{live_server}{OCTOBER}")
    page.click("a[hreflang='ur']")
    page.wait_for_load_state()
    _wait_for_map(mediator_page)
    assert page.locator("html").get_attribute("dir") == "rtl"
    hide = page.locator(".boundary-label-hide")
    expect(hide).to_have_attribute("aria-label", "سرحد کی وضاحت چھپائیں")
    expect(page.locator("ul.legend").first).to_contain_text("پاکستان کے صوبے اور اضلاع")
    mediator_page.screenshot("map-pakistan-districts-ur")
