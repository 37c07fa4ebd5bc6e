"""Run a verification to a finding in headless Chromium, through the incident page's forms.

TL-0004 (``support_web``) is Afghanistan's allegation of Pakistani cross-border
fire, still ``reported``. The mediator opens its verification, triages it, is
told why the verification cannot start without a joint team, composes one (a
nominee of each party and a neutral field monitor) and starts it; each party's
nominee signs in and records a view, one of them dissenting (Afghanistan's
nominee also marks the first assessment done, with what it found); the mediator
proposes findings and opens the right of reply; Pakistan's liaison replies; the
mediator determines, and the page shows the finding with its explanation.
Everything goes through the browser and the server, so the test runs the same
on both back ends (``backend_server``: SQLite, then PostgreSQL with PostGIS).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from browser_support import OfflinePage

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

CODE = "TL-0004"


def _show(page: Page, form: str) -> None:
    """Unfold the ``<details>`` holding a form, as a user taps its summary."""
    details = page.locator(f"details:has(#verification-{form}-form)")
    if not details.evaluate("d => d.open"):
        details.locator("summary").click()


def _step(page: Page, name: str) -> None:
    page.click(f"#verification-transition-form button[data-transition={name}]")
    page.wait_for_load_state()


def _record_view(tab: OfflinePage, base_url: str, position: str, text: str) -> None:
    page = tab.page
    page.goto(f"{base_url}/incidents/{CODE}#verification")
    form = page.locator("#verification-views-form")
    form.locator(f"input[name=position][value={position}]").check()
    form.locator("textarea[name=text]").fill(text)
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    expect(page.locator("#verification .success")).to_have_text("Your view is recorded.")


def _compose_team(page: Page) -> None:
    _show(page, "team")
    for row, (member, party) in enumerate((("tariq", "AF"), ("samir", "PK"), ("maya", ""))):
        page.select_option(f"#team-member_{row}", member)
        page.select_option(f"#team-nominated_{row}", party)
    page.click("#verification-team-form button[type=submit]")
    page.wait_for_load_state()


def _finish_first_task(tab: OfflinePage, outcome: str) -> None:
    """A team member opens the first task's form in its row and marks it done."""
    page = tab.page
    row = page.locator("tr[data-task=first_assessment]")
    row.locator("details.task-work summary").click()
    row.locator("textarea[name=outcome]").fill(outcome)
    row.locator("button[value=done]").click()
    page.wait_for_load_state()
    expect(page.locator("#verification .success")).to_have_text("The task is updated.")
    expect(page.locator("tr[data-task=first_assessment]")).to_contain_text(outcome)


def test_run_a_verification_to_a_finding(
    backend_server: str, page_as: Callable[..., OfflinePage]
) -> None:
    base = backend_server
    mediator = page_as("mediator", base)
    page = mediator.page
    page.goto(f"{base}/incidents/{CODE}")
    section = page.locator("#verification")
    expect(section).to_contain_text("No verification is open on this incident.")
    section.scroll_into_view_if_needed()
    mediator.screenshot("verification-1-open")
    page.click("#verification-open-form button[type=submit]")
    page.wait_for_load_state()
    expect(page.locator("[data-case-state]")).to_have_attribute("data-case-state", "reported")
    expect(section).to_contain_text("alleged by Afghanistan")

    _step(page, "triage")
    expect(page.locator("[data-case-state]")).to_have_attribute("data-case-state", "triaged")
    _step(page, "start_verification")  # no team yet: refused, with the reason
    error = page.locator("#transition-form-error")
    expect(error).to_contain_text("A joint team needs a member nominated by Afghanistan")
    error.scroll_into_view_if_needed()
    mediator.screenshot("verification-2-refused-without-team")

    _compose_team(page)
    expect(page.locator(".verification-team li")).to_have_count(3)
    expect(page.locator(".verification-team li[data-member=samir]")).to_contain_text("Pakistan")
    _step(page, "start_verification")
    expect(page.locator("[data-case-state]")).to_have_attribute(
        "data-case-state", "under_verification"
    )

    af_member = page_as("team_member", base)
    _record_view(af_member, base, "concurs", "The craters point to fire from the east.")
    _finish_first_task(af_member, "Two fresh craters, fins of 82 mm mortar bombs.")
    pk_member = page_as("team_member_pk", base)
    _record_view(pk_member, base, "dissents", "Who fired first is not established.")
    pk_member.page.locator("article.member-view.dissent").scroll_into_view_if_needed()
    pk_member.screenshot("verification-3-views-with-dissent")

    page.reload()
    _step(page, "propose_findings")
    _show(page, "reply-window")
    expect(page.locator("#reply-window-party")).to_have_value("PK")
    page.click("#verification-reply-window-form button[type=submit]")
    page.wait_for_load_state()
    expect(page.locator("#verification .success")).to_have_text("The right of reply is open.")

    liaison = page_as("liaison_pk", base)
    liaison.page.goto(f"{base}/incidents/{CODE}#verification")
    reply = liaison.page.locator("#verification-reply-form")
    reply.locator("textarea[name=text]").fill("Our posts only answered fire from the other side.")
    reply.scroll_into_view_if_needed()
    liaison.screenshot("verification-4-reply-form")
    reply.locator("button[type=submit]").click()
    liaison.page.wait_for_load_state()
    expect(liaison.page.locator("article.party-reply[data-party=PK]")).to_contain_text(
        "answered fire"
    )

    page.reload()
    form = page.locator("#verification-determination-form")
    expect(form.locator("#determination-perpetrator")).to_have_value("PK")
    form.locator("#determination-confidence").select_option("high")
    form.locator("input[name=targets][value=security_forces]").check()
    form.locator("textarea[name=summary]").fill(
        "Fragments and crater orientation show mortar fire from the Pakistani side."
    )
    form.scroll_into_view_if_needed()
    mediator.screenshot("verification-5-determination-form")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()

    expect(page.locator("[data-case-state]")).to_have_attribute("data-case-state", "determined")
    finding = page.locator("#findings article.finding").first
    expect(finding).to_have_attribute("data-finding", "violation")
    expect(finding.locator(".explanation")).to_contain_text("violation by PK")
    expect(page.locator("#verification-determination-form")).to_have_count(0)
    page.locator("#findings").scroll_into_view_if_needed()
    mediator.screenshot("verification-6-finding")


def test_the_forms_fit_a_phone_in_a_right_to_left_language(
    private_server: str, page_as: Callable[..., OfflinePage]
) -> None:
    phone = {"viewport": {"width": 390, "height": 844}, "is_mobile": True}
    tab = page_as("mediator", private_server, **phone)
    page = tab.page
    page.goto(f"{private_server}/incidents/{CODE}?lang=ps")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    page.click("#verification-open-form button[type=submit]")
    page.wait_for_load_state()
    _step(page, "triage")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways on a phone ({width}px)"
    page.locator("#verification-team-form").scroll_into_view_if_needed()
    tab.screenshot("verification-phone-team-form-ps")
