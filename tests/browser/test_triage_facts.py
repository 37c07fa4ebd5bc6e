"""Facts read from a news report, beside its marked text on the triage page: accept, correct, refuse."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import expect

from browser_support import OfflinePage
from support_triage import INTAKE
from truceline.db.engine import make_engine, transaction
from truceline.intake.schemas import ReportSubmission
from truceline.intake.services import submit_report

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

#: Written from the public reporting of 17-18 October 2025, in our own words.
NEWS = {
    "source_type": "media",
    "source_name": "wire service",
    "reliability": "C",
    "credibility": 3,
    "text": (
        "KABUL, Oct 18, 2025 - Afghan officials said Pakistani airstrikes late on Friday killed "
        "at least 10 civilians and wounded 12 others in Barmal district of Paktika province."
    ),
}


def _seed(database_url: str) -> int:
    engine = make_engine(database_url)
    with transaction(engine) as session:
        report_id = submit_report(
            session, ReportSubmission.model_validate(NEWS), actor=INTAKE
        ).report.id
    engine.dispose()
    return report_id


def test_an_analyst_accepts_and_corrects_facts_read_from_a_news_report(
    backend_server: str, database_url: str, page_as: Callable[..., OfflinePage]
) -> None:
    report_id = _seed(database_url)
    tab = page_as("mediator", base_url=backend_server)
    page = tab.page
    page.goto(f"{backend_server}/triage/reports/{report_id}")
    facts = page.locator("#proposed-facts")
    expect(facts.locator("h2")).to_have_text("Facts read from the text")
    killed_mark = page.locator("blockquote.verbatim mark[data-field='killed']")
    expect(killed_mark).to_contain_text("10")
    expect(killed_mark.locator(".visually-hidden")).to_have_text("Killed:")
    expect(page.locator("blockquote.verbatim mark[data-field='place']")).to_contain_text("Barmal")
    expect(facts.locator("tr[data-fact='place']")).to_contain_text("Barmal, Paktika")
    tab.screenshot("triage-facts-proposed")

    facts.locator("tr[data-fact='killed']").get_by_role("button", name="Accept").click()
    expect(page.locator("#confirmation")).to_contain_text("The proposed fact is accepted")
    expect(page.locator("tr[data-fact='killed']")).to_have_attribute("data-decision", "accepted")

    injured = page.locator("tr[data-fact='injured']")
    injured.get_by_label("Correct to").fill("14")
    injured.get_by_role("button", name="Correct", exact=True).click()
    expect(page.locator("#confirmation")).to_contain_text("The correction is recorded")
    injured = page.locator("tr[data-fact='injured']")
    expect(injured).to_have_attribute("data-decision", "corrected")
    expect(injured).to_contain_text("14")
    expect(page.locator("blockquote.verbatim mark[data-field='injured']")).to_contain_text("12")

    killed = page.locator("tr[data-fact='killed']")
    killed.get_by_label("Correct to").fill("ten")
    killed.get_by_role("button", name="Correct", exact=True).click()
    expect(page.locator("[data-refusal='review_fact']")).to_contain_text(
        "A count must be a whole number."
    )
    expect(page.locator("tr[data-fact='killed']")).to_have_attribute("data-decision", "accepted")
    tab.screenshot("triage-facts-reviewed")
