"""Local committees on a phone (390 × 844), in Pashto and Urdu, on both back ends: an elder
records a jirga's outcome, and a committee escalates a case to verification, which the
mediator then sees in their notifications and on the incident page."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from browser_support import OfflinePage
from support_community import ELDER_ACCOUNT, CommitteeWorld, seed_committee
from support_web import PASSWORD
from truceline.db.engine import make_engine, transaction

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "device_scale_factor": 1}
LANGUAGES = ["ps", "ur"]


def seeded(database_url: str) -> CommitteeWorld:
    engine = make_engine(database_url)
    try:
        with transaction(engine) as session:
            return seed_committee(session)
    finally:
        engine.dispose()


def elder_phone(page_as: Callable[..., OfflinePage], base_url: str) -> OfflinePage:
    tab = page_as(None, base_url, **PHONE)
    answer = tab.context.request.post(
        f"{base_url}/api/auth/login", data={"name": ELDER_ACCOUNT, "password": PASSWORD}
    )
    assert answer.ok, answer.text()
    return tab


def fits_the_phone(page: Page) -> None:
    """Nothing on the page is wider than the phone's screen (no sideways scrolling)."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page is {width} px wide on a 390 px screen"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_an_elder_records_a_jirga_outcome(
    backend_server: str, database_url: str, page_as: Callable[..., OfflinePage], lang: str
) -> None:
    world = seeded(database_url)
    tab = elder_phone(page_as, backend_server)
    page = tab.page
    page.goto(f"{backend_server}/community?lang={lang}")
    assert page.locator("html").get_attribute("dir") == "rtl"
    expect(page.locator(f"[data-committee='{world.other}']")).to_have_count(0)
    page.locator(f"[data-committee='{world.committee}'] a").click()
    page.wait_for_url(f"**/community/committees/{world.committee}")
    fits_the_phone(page)

    page.locator("#record-meeting summary").click()
    page.select_option("#meeting-kind", "jirga")
    page.fill("#meeting-held", "2025-10-22T10:00")
    page.fill("#meeting-place", "ویش" if lang == "ps" else "ویش بازار")
    page.check(f"input[name=attendees][value='{world.member}']")
    page.fill("#meeting-others", "14")
    page.fill("#meeting-agenda", "د دروازې سره ډزې" if lang == "ps" else "گیٹ کے قریب فائرنگ")
    outcome = "شپانه یو کیلومتر لرې پاتې کېږي" if lang == "ps" else "چرواہے ایک کلومیٹر دور رہیں گے"
    page.fill("#meeting-outcome", outcome)
    page.fill("#meeting-incidents", world.incidents[0])
    page.fill(
        "#follow-up-action", "دواړو پوستو ته خبر" if lang == "ps" else "دونوں چوکیوں کو اطلاع"
    )
    page.fill("#follow-up-owner", "ولسوال" if lang == "ps" else "تحصیلدار")
    page.fill("#follow-up-due", "2025-10-25")
    page.click("#meeting-form button[type=submit]")
    page.wait_for_url("**done=meeting**")

    expect(page.locator("#notice")).to_be_visible()
    jirga = page.locator("#meeting-list [data-kind='jirga']")
    expect(jirga).to_have_count(1)
    expect(jirga.locator("[data-outcome]")).to_contain_text(outcome)
    expect(jirga.locator("[data-attendance='15']")).to_be_visible()
    expect(jirga.locator("[data-follow-up][data-status='open']")).to_have_count(1)
    expect(page.locator(f"[data-case='{world.incidents[0]}']")).to_be_visible()
    assert page.locator("html").get_attribute("lang") == lang
    fits_the_phone(page)
    tab.screenshot(f"committee-jirga-{lang}")

    jirga.locator("[data-follow-up] button[type=submit]").click()
    page.wait_for_url("**done=follow-up**")
    expect(page.locator("#meeting-list [data-follow-up][data-status='done']")).to_have_count(1)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_committee_escalates_a_case_to_verification(
    backend_server: str, database_url: str, page_as: Callable[..., OfflinePage], lang: str
) -> None:
    world = seeded(database_url)
    code = world.incidents[1]
    tab = elder_phone(page_as, backend_server)
    page = tab.page
    page.goto(f"{backend_server}/community/committees/{world.committee}?lang={lang}")
    page.locator("#decide summary").click()
    page.fill("#decision-incident", code)
    page.check("input[name=decision][value=escalate]")
    reason = (
        "له پوستو توپونه، له کمېټې پورته" if lang == "ps" else "چوکیوں سے گولہ باری، کمیٹی سے باہر"
    )
    page.fill("#decision-text", reason)
    page.click("#decision-form button[type=submit]")
    page.wait_for_url("**done=escalated**")

    case = page.locator(f"[data-case='{code}']")
    expect(case).to_have_attribute("data-state", "reported")
    expect(case.locator("[data-decision='escalated']")).to_contain_text(reason)
    expect(case.locator("[data-task='first_assessment']")).to_be_visible()
    fits_the_phone(page)
    tab.screenshot(f"committee-escalated-{lang}")

    mediator = page_as("mediator", backend_server).page
    mediator.goto(f"{backend_server}/notifications?lang={lang}")
    note = mediator.locator("li.notification[data-event='community.escalated']")
    expect(note).to_have_count(1)
    expect(note.locator(".body")).to_contain_text(reason)
    note.locator(f"a[data-incident='{code}']").click()
    mediator.wait_for_url(f"**/incidents/{code}")
    expect(mediator.locator("[data-case-state='reported']")).to_be_visible()
