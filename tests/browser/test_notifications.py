"""The notifications page in Chromium, on both back ends: an allegation filed in the browser
reaches the other party's liaison, who reads it, follows it to the incident and marks it read."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import expect

from browser_support import OfflinePage

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_the_other_party_reads_an_allegation_notice_and_marks_it_read(
    backend_server: str, page_as: Callable[..., OfflinePage]
) -> None:
    filer = page_as("liaison_af", backend_server)
    filer.page.goto(f"{backend_server}/intake/report")
    filer.page.fill("#text", "Drone strike on homes in Urgun, Paktika, after the ceasefire.")
    filer.page.fill("#occurred_on", "2025-10-17")
    filer.page.fill("#occurred_time", "21:30")
    filer.page.fill("#place_text", "Urgun, Paktika")
    filer.page.fill("#lat", "32.93")
    filer.page.fill("#lon", "69.17")
    filer.page.select_option("#event_type", "air_drone_strike")
    filer.page.click("#report-form button[type=submit]")
    expect(filer.page.locator("[data-report]")).to_be_visible()
    expect(filer.page.locator("a[href='/notifications'] .badge")).to_have_count(0)

    tab = page_as("liaison_pk", backend_server)
    page = tab.page
    page.goto(f"{backend_server}/")
    badge = page.locator(".site-nav a[href='/notifications'] .badge")
    expect(badge).to_have_attribute("data-badge", "1")
    page.click(".site-nav a[href='/notifications']")
    page.wait_for_url("**/notifications")
    note = page.locator("li.notification.unread")
    expect(note).to_have_count(1)
    expect(note.locator(".kind")).to_have_text("Allegation filed")
    expect(note).to_contain_text("AF allegation")
    expect(page.locator("#clocks tbody tr")).to_have_count(1)
    expect(page.locator("#clocks tbody tr td").nth(1)).to_have_text("Afghanistan")
    tab.screenshot("notifications-liaison-pk")
    incident = note.locator("a[data-incident]").get_attribute("data-incident")
    assert incident

    note.locator("button[type=submit]").click()
    page.wait_for_url("**/notifications")
    expect(page.locator("li.notification.unread")).to_have_count(0)
    expect(page.locator("li.notification")).to_have_count(1)
    expect(page.locator("[data-count='unread']")).to_have_text("0")
    expect(badge).to_have_count(0)
    page.goto(f"{backend_server}/notifications?lang=ps")  # right to left; the notice stays English
    assert page.locator("html").get_attribute("dir") == "rtl"
    expect(page.locator("li.notification .subject")).to_have_attribute("dir", "ltr")
    tab.screenshot("notifications-read-ps")
    page.locator("li.notification a[data-incident]").click()
    page.wait_for_url(f"**/incidents/{incident}")
    expect(page.locator("h1")).to_be_visible()
