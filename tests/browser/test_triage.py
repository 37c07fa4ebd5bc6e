"""The triage pages in headless Chromium: link a report, merge two incidents, undo; with screenshots."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from browser_support import OfflinePage
from support_triage import COMMUNITY, PROPOSED, REPORTER_NAME, seed_triage
from truceline.db.engine import make_engine, transaction

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 1, "is_mobile": True}


def _seed(database_url: str) -> dict[str, int]:
    """File the triage reports into the server's database, through intake."""
    engine = make_engine(database_url)
    with transaction(engine) as session:
        ids = seed_triage(session)
    engine.dispose()
    return ids


def _review(page: Page, text: str) -> None:
    """Open the report whose excerpt shows ``text`` from the queue."""
    item = page.locator("article.triage-item", has_text=text)
    item.get_by_role("link", name="Review").click()
    expect(page.locator("h1")).to_contain_text("Report")


def test_an_analyst_links_a_report_merges_two_incidents_and_undoes(
    backend_server: str, database_url: str, page_as: Callable[..., OfflinePage]
) -> None:
    """On both back ends: the server's database is ``database_url``."""
    base = backend_server
    _seed(database_url)
    tab = page_as("mediator", base_url=base)
    page = tab.page
    page.goto(f"{base}/triage")
    expect(page.locator(".site-nav a[href='/triage']")).to_have_attribute("aria-current", "page")
    # three filed reports, and TL-0004's two that an import linked (TL-0004 is still reported)
    expect(page.locator("article.triage-item")).to_have_count(5)
    expect(page.locator("body")).not_to_contain_text(REPORTER_NAME)
    tab.screenshot("triage-queue")

    _review(page, COMMUNITY["text"])
    candidate = page.locator("article.candidate[data-candidate='TL-0004']")
    expect(candidate.locator("ul.reasons li")).to_have_count(5)
    expect(candidate).to_contain_text("km apart")
    candidate.get_by_role("button", name="Link the report to TL-0004").click()
    expect(page.locator("#confirmation")).to_have_text(
        "The report is now linked to incident TL-0004."
    )
    page.goto(f"{base}/incidents/TL-0004")
    expect(page.locator("section.reports")).to_contain_text(COMMUNITY["text"])

    page.goto(f"{base}/triage")
    _review(page, PROPOSED["text"])
    tab.screenshot("triage-report-candidates")
    page.get_by_role("button", name="Open a new incident for this report").click()
    expect(page.locator("#confirmation")).to_contain_text("A new incident INC-")
    duplicate = page.locator("#current-link [data-linked-to]").get_attribute("data-linked-to")
    assert duplicate and duplicate.startswith("INC-")

    merge = page.locator("#form-merge")
    merge.locator("select[name=source_id]").select_option(label=duplicate)
    merge.locator("select[name=target_id]").select_option(label="TL-0004")
    merge.locator("input[name=reason]").fill("The same mortar fire, reported twice")
    merge.get_by_role("button", name="Merge").click()
    expect(page.locator("#confirmation")).to_contain_text("their reports are now in TL-0004")
    expect(page.locator("#current-link")).to_contain_text("TL-0004")
    tab.screenshot("triage-after-merge")
    page.goto(f"{base}/incidents/TL-0004")
    expect(page.locator("section.reports")).to_contain_text(PROPOSED["text"])

    page.go_back()
    row = page.locator("tr[data-kind='merge']")
    row.get_by_role("button", name="Undo").click()
    expect(page.locator("#confirmation")).to_contain_text("was undone")
    expect(page.locator("tr[data-kind='merge']")).to_have_attribute("data-undone-by", "2")
    expect(page.locator("#current-link")).to_contain_text(duplicate)
    page.goto(f"{base}/incidents/TL-0004")
    expect(page.locator("section.reports")).not_to_contain_text(PROPOSED["text"])
    page.goto(f"{base}/incidents/{duplicate}")
    expect(page.locator("section.reports")).to_contain_text(PROPOSED["text"])


def test_a_refusal_is_shown_next_to_its_form_on_a_phone(
    private_server: str, tmp_path: Path, page_as: Callable[..., OfflinePage]
) -> None:
    ids = _seed(f"sqlite:///{tmp_path / 'truceline.sqlite3'}")
    tab = page_as("mediator", base_url=private_server, **PHONE)
    page = tab.page
    page.goto(f"{private_server}/triage/reports/{ids['low']}")
    form = page.locator("#form-link")
    form.locator("input[name=incident_code]").fill("INC-NOPE")
    form.get_by_role("button", name="Link", exact=True).click()
    expect(page.locator("[data-refusal=link]")).to_have_text("No incident has the code INC-NOPE.")
    expect(page.locator("#current-link")).to_contain_text("TL-0004")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page is wider than the phone: {width}px"
    tab.screenshot("triage-report-phone-refusal")
    page.goto(f"{private_server}/triage?lang=ps")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the Pashto queue is wider than the phone: {width}px"
    tab.screenshot("triage-queue-phone-ps")
