"""The pages in headless Chromium, offline: maps, languages, API docs and the public view."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from browser_support import OfflinePage

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def _wait_for_map(tab: OfflinePage, selector: str = "#map") -> None:
    tab.page.wait_for_selector(f"{selector}[data-layers='ready']", timeout=15_000)
    if selector == "#map":
        tab.page.wait_for_selector("#map[data-loaded]", timeout=15_000)
    tab.page.wait_for_timeout(400)  # let Leaflet's fade-in end before a screenshot


def test_dashboard_map_draws_boundary_provinces_and_incidents(
    live_server: str, mediator_page: OfflinePage
) -> None:
    page = mediator_page.page
    page.goto(f"{live_server}/?date_from=2025-10-01&date_to=2025-10-31")
    _wait_for_map(mediator_page)
    assert page.locator("path.province").count() == 34
    assert page.locator("path.boundary-line").count() >= 1
    expect(page.locator(".boundary-label")).to_contain_text("de facto")
    expect(page.locator(".boundary-label")).to_contain_text("Natural Earth")
    markers = page.locator("path.incident-marker").count()
    clusters = page.locator(".marker-cluster").count()
    assert markers + clusters >= 1
    assert page.locator("#map").get_attribute("data-loaded") == "4"
    expect(page.locator("[data-count='incidents']")).to_have_text("4")
    mediator_page.screenshot("dashboard-mediator")


def test_dashboard_filter_reloads_map_and_counts(
    live_server: str, mediator_page: OfflinePage
) -> None:
    page = mediator_page.page
    page.goto(f"{live_server}/?date_from=2025-10-01&date_to=2025-10-31")
    _wait_for_map(mediator_page)
    page.select_option("select[name='actor']", "PK")
    expect(page.locator("#map")).to_have_attribute("data-loaded", "2")
    expect(page.locator("[data-count='incidents']")).to_have_text("2")
    expect(page).to_have_url(re.compile(r"/\?.*actor=PK"))  # a reload keeps the filters


def test_pashto_is_right_to_left_with_translated_strings(
    live_server: str, public_page: OfflinePage
) -> None:
    page = public_page.page
    page.goto(f"{live_server}/")
    page.click("a[hreflang='ps']")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("html").get_attribute("lang") == "ps"
    expect(page.locator("h1")).to_have_text("ډشبورډ")
    expect(page.locator(".site-nav")).to_contain_text("عامه لید")
    font = page.evaluate("getComputedStyle(document.documentElement).fontFamily")
    assert "Noto Naskh Arabic" in font
    _wait_for_map(public_page)
    public_page.screenshot("dashboard-pashto")
    page.goto(f"{live_server}/public")  # the cookie keeps the language
    assert page.locator("html").get_attribute("dir") == "rtl"


@pytest.mark.parametrize(("code", "heading"), [("fa-AF", "داشبورد"), ("ur", "ڈیش بورڈ")])
def test_dari_and_urdu_dashboards(
    live_server: str, public_page: OfflinePage, code: str, heading: str
) -> None:
    page = public_page.page
    page.goto(f"{live_server}/?lang={code}")
    assert page.locator("html").get_attribute("dir") == "rtl"
    expect(page.locator("h1")).to_have_text(heading)
    _wait_for_map(public_page)
    public_page.screenshot(f"dashboard-{code}")


def test_api_docs_render_offline(live_server: str, public_page: OfflinePage) -> None:
    page = public_page.page
    page.goto(f"{live_server}/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("truceline", timeout=15_000)
    expect(page.locator(".opblock-tag-section").first).to_be_visible()
    public_page.screenshot("docs-swagger")
    page.goto(f"{live_server}/redoc")
    expect(page.locator("h1").first).to_contain_text("truceline", timeout=15_000)
    public_page.screenshot("docs-redoc")


def test_public_view_hides_restricted_data(live_server: str, public_page: OfflinePage) -> None:
    page = public_page.page
    page.goto(f"{live_server}/public")
    table = page.locator("#incident-table")
    expect(table).to_contain_text("TL-0001")
    expect(table).not_to_contain_text("TL-0002")
    expect(table).not_to_contain_text("TL-0004")
    expect(table).not_to_contain_text("TL-0005")  # released, but not yet determined
    _wait_for_map(public_page)
    assert page.locator("#map").get_attribute("data-loaded") == "2"
    public_page.screenshot("public-list")
    page.click("text=TL-0001")
    _wait_for_map(public_page, "#mini-map")
    body = page.locator("main")
    expect(body).not_to_contain_text("homes were hit")
    expect(body).not_to_contain_text("Village TL-0001")
    expect(body).to_contain_text("rounded for the public to a grid of 5 km")
    public_page.screenshot("incident-public")
    response = page.goto(f"{live_server}/incidents/TL-0002")
    assert response is not None and response.status == 404
    page.goto(f"{live_server}/")
    _wait_for_map(public_page)
    assert page.locator("#map").get_attribute("data-loaded") == "2"  # the last 30 days


def test_mediator_incident_page_shows_reports_and_mini_map(
    live_server: str, mediator_page: OfflinePage
) -> None:
    page = mediator_page.page
    page.goto(f"{live_server}/incidents/TL-0001?tz=Asia/Kabul")
    _wait_for_map(mediator_page, "#mini-map")
    expect(page.locator(".report")).to_have_count(2)
    expect(page.locator(".report").first).to_contain_text("homes were hit after the truce began")
    expect(page.locator("main")).to_contain_text("AFT (UTC+4:30)")
    assert page.locator("#mini-map path.boundary-line").count() >= 1
    mediator_page.screenshot("incident-mediator")


def test_phone_layout_stacks_map_and_counts(live_server: str, phone_page: OfflinePage) -> None:
    page = phone_page.page
    page.goto(f"{live_server}/?lang=ur")
    _wait_for_map(phone_page)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 400, f"page is {width}px wide on a 390px phone"
    phone_page.screenshot("dashboard-phone-urdu")
