"""Requests for action in headless Chromium, on both back ends: Pakistan's liaison files a
request with sealed intelligence and releases it; the mediator screens and delivers it;
Afghanistan's liaison acknowledges and reports action taken; a monitor verifies it; the
mediator judges the responses into a finding that cites the request, and closes it."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import expect

from browser_support import OfflinePage
from truceline.action_requests.demo import ensure_exercise_group
from truceline.db.engine import make_engine, transaction

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

SEALED = "Fictional sightings at camp K-1"


def _step(tab: OfflinePage, step: str, note: str = "", **choices: str) -> None:
    form = tab.page.locator(f"#step-{step}")
    for name, value in choices.items():
        form.locator(f"select[name={name}]").select_option(value)
    if note:
        form.locator("input[name=note]").fill(note)
    form.locator("button[type=submit]").click()


def test_a_request_runs_from_submission_to_a_verified_response_and_a_finding(
    backend_server: str, database_url: str, page_as: Callable[..., OfflinePage]
) -> None:
    engine = make_engine(database_url)
    with transaction(engine) as session:
        ensure_exercise_group(session)
    engine.dispose()
    sana, farid = page_as("liaison_pk", backend_server), page_as("liaison_af", backend_server)
    mona, maya = page_as("mediator", backend_server), page_as("field_monitor", backend_server)

    page = sana.page
    page.goto(f"{backend_server}/requests/new")
    page.fill("input[name=group]", "Kestrel")
    page.select_option("select[name=asked_action]", "close")
    page.select_option("select[name=target_kind]", "location")
    page.fill("input[name=target_detail]", "Camp K-1 (fictional)")
    page.fill("textarea[name=summary]", "Exercise: close camp K-1.")
    page.click("#request-form button[type=submit]")
    expect(page.locator("#request-code")).to_have_attribute("data-state", "submitted")
    url = page.url
    code = url.rsplit("/", 1)[1]
    page.fill("#package-form input[name=title]", "camp K-1")
    page.fill("#package-form textarea[name=body]", SEALED)
    page.select_option("#package-form select[name=audience]", "mediator_and_party")
    page.click("#package-form button[type=submit]")
    expect(page.locator("[data-package]")).to_have_attribute("data-released", "false")

    farid.page.goto(f"{backend_server}/requests?box=inbox")
    expect(farid.page.locator(f"[data-request='{code}']")).to_have_count(0)

    mona.page.goto(f"{backend_server}/requests?box=screening")
    mona.page.click(f"[data-request='{code}'] a")
    expect(mona.page.locator("#request-intelligence")).to_contain_text(SEALED)
    _step(mona, "admit", "names a jointly designated group")
    _step(mona, "deliver")
    expect(mona.page.locator("#request-code")).to_have_attribute("data-state", "delivered")

    farid.page.goto(f"{backend_server}/requests?box=inbox")
    farid.page.click(f"[data-request='{code}'] a")
    expect(farid.page.locator("#request-intelligence")).not_to_contain_text(SEALED)
    page.goto(url)
    page.click("[id^=release-] button[type=submit]")
    expect(page.locator("[data-package]")).to_have_attribute("data-released", "true")
    farid.page.goto(url)
    expect(farid.page.locator("#request-intelligence")).to_contain_text(SEALED)
    _step(farid, "acknowledge")
    _step(farid, "respond", "The compound was closed.", response_kind="action_taken")
    expect(farid.page.locator("#response")).to_have_attribute("data-response", "action_taken")

    maya.page.goto(f"{backend_server}/requests?box=verification")
    maya.page.click(f"[data-request='{code}'] a")
    _step(maya, "verify", "Monitors found the camp shut.", outcome="confirmed")
    expect(maya.page.locator("#verification")).to_have_attribute("data-outcome", "confirmed")

    mona.page.goto(url)
    mona.page.click("#judge-form button[type=submit]")
    finding = mona.page.locator("#request-findings [data-finding]")
    expect(finding).to_have_attribute("data-finding", "no_violation")
    expect(finding).to_contain_text(code)
    _step(mona, "close", "exercise complete")
    expect(mona.page.locator("#request-code")).to_have_attribute("data-state", "closed")
    expect(mona.page.locator("#request-history [data-step]")).to_have_count(7)
    mona.screenshot("request-verified")
