"""Agreements, the designation matrix, the impact replay and findings, in Chromium."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from browser_support import OfflinePage

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_an_agreement_shows_its_clauses_and_versions(
    live_server: str, public_page: OfflinePage
) -> None:
    page = public_page.page
    page.goto(f"{live_server}/agreements")
    page.click("a[href='/agreements/truce-2025-10-15']")
    expect(page.locator("#clause-cease-hostilities")).to_contain_text("cease hostilities")
    expect(page.locator("nav.actions a[aria-current]")).to_have_count(1)
    public_page.screenshot("agreement")


def test_the_designation_matrix_and_replay_in_dari(
    live_server: str, public_page: OfflinePage
) -> None:
    page = public_page.page
    page.goto(f"{live_server}/designations?as_of=2025-10-20&lang=fa-AF")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("#designation-matrix tr[data-diverges='true']").count() >= 1
    public_page.screenshot("designations-dari")
    page.goto(f"{live_server}/designations/replay?baseline=joint&candidate=PK&lang=en")
    expect(page.locator("[data-count='changed']")).to_be_visible()
    public_page.screenshot("impact-replay")


def test_findings_and_violation_counts_for_a_mediator(
    live_server: str, mediator_page: OfflinePage
) -> None:
    page = mediator_page.page
    page.goto(f"{live_server}/?date_from=2025-10-01&date_to=2025-10-31")
    expect(page.locator("[data-count='violations']")).to_have_text("1")
    page.goto(f"{live_server}/incidents/TL-0001")
    expect(page.locator("#findings [data-finding='violation']")).to_contain_text("Pakistan")
    mediator_page.screenshot("incident-findings")
