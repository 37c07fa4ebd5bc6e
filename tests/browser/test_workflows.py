"""Signing in as each role, filing an allegation and finding it on the map, in Chromium."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Route, expect

from browser_support import OfflinePage
from support_web import PASSWORD, SECRET_TITLE, USERS

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

#: role key -> (sees the restricted incident list, may read the unreleased TL-0002)
EXPECTED = {
    "admin": True,
    "mediator": True,
    "liaison_af": True,
    "liaison_pk": True,
    "team_member": True,
    "field_monitor": True,
    "community_liaison": False,
    "community_reporter": False,
}


def _wait_for_map(tab: OfflinePage) -> None:
    tab.page.wait_for_selector("#map[data-layers='ready']", timeout=15_000)
    tab.page.wait_for_selector("#map[data-loaded]", timeout=15_000)
    tab.page.wait_for_timeout(400)


@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_each_role_signs_in_and_sees_what_the_policy_allows(
    key: str, live_server: str, page_as: Callable[..., OfflinePage]
) -> None:
    tab = page_as(None)
    page = tab.page
    page.goto(f"{live_server}/login?next=/incidents/TL-0002")
    page.fill("#name", USERS[key][0])
    page.fill("#password", PASSWORD)
    page.click("#main button[type=submit]")
    page.wait_for_load_state()
    header = page.locator(".site-header")
    expect(header).to_contain_text(USERS[key][0])
    expect(header.locator("[data-role]")).to_have_attribute("data-role", USERS[key][1])
    expect(header.locator("a[href='/intake/report']")).to_have_count(1)
    restricted = EXPECTED[key]
    expect(header.locator("a[href='/incidents']")).to_have_count(1 if restricted else 0)
    if restricted:
        expect(page.locator("h1")).to_contain_text(SECRET_TITLE)
    else:
        expect(page.locator("h1")).not_to_contain_text(SECRET_TITLE)
        assert SECRET_TITLE not in page.content()
    if key in ("liaison_pk", "community_reporter"):
        tab.screenshot(f"signed-in-{key}")
    page.click(".site-header button[type=submit]")  # sign out
    page.wait_for_url("**/login")
    expect(page.locator(".site-header")).to_contain_text("Public view")


def test_a_liaison_files_an_allegation_and_sees_it_on_the_map(
    backend_server: str, page_as: Callable[..., OfflinePage]
) -> None:
    tab = page_as("liaison_af", backend_server)
    page = tab.page
    dashboard = f"{backend_server}/?date_from=2025-09-15&date_to=2025-09-25"
    page.goto(dashboard)
    _wait_for_map(tab)
    assert page.locator("#map").get_attribute("data-loaded") == "0"
    page.goto(f"{backend_server}/intake/report")
    expect(page.locator("h1")).to_have_text("File an allegation")
    page.fill("#text", "Artillery shells landed on houses in Zazai Maidan after the ceasefire.")
    page.fill("#occurred_on", "2025-09-20")
    page.fill("#occurred_time", "07:45")
    page.fill("#place_text", "Zazai Maidan, Khost")
    page.fill("#lat", "33.33")
    page.fill("#lon", "69.62")
    page.select_option("#event_type", "shelling_artillery_missile_attack")
    tab.screenshot("allegation-form")
    dropped: list[str] = []

    def drop_the_answer(route: Route) -> None:
        """The server stores the report, but its answer never reaches the browser.

        (A 204 leaves the filled form on screen, as a page stuck on a lost connection does.)
        """
        route.fetch()
        dropped.append(route.request.url)
        route.fulfill(status=204)

    page.route("**/intake/report", drop_the_answer, times=1)
    page.click("#report-form button[type=submit]")
    page.wait_for_timeout(1_000)
    assert dropped
    expect(page.locator("#text")).not_to_have_value("")
    page.click("#report-form button[type=submit]")  # the user sends it again
    expect(page.locator("[data-report]")).to_contain_text("already been received")
    incident = page.locator("[data-incident]").get_attribute("data-incident")
    assert incident
    tab.screenshot("allegation-received")
    page.goto(dashboard)
    _wait_for_map(tab)
    assert page.locator("#map").get_attribute("data-loaded") == "1"
    markers = page.locator("path.incident-marker").count() + page.locator(".marker-cluster").count()
    assert markers == 1
    tab.screenshot("allegation-on-the-map")


def test_a_community_reporter_uses_the_short_form_on_a_phone_in_pashto(
    live_server: str, page_as: Callable[..., OfflinePage]
) -> None:
    tab = page_as(
        "community_reporter",
        viewport={"width": 390, "height": 844},
        device_scale_factor=1,
        is_mobile=True,
    )
    page = tab.page
    page.goto(f"{live_server}/intake/report?lang=ps")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.fill("#lat", "۹۵")  # Eastern digits from a phone keyboard; out of range
    page.click("#report-form button[type=submit]")
    expect(page.locator("#text-error")).to_be_visible()
    expect(page.locator("#lat-error")).to_be_visible()
    assert page.locator("#lat").get_attribute("aria-invalid") == "true"
    assert page.locator("#lat").input_value() == "۹۵"
    tab.screenshot("report-form-phone-ps-errors")
