"""The verification section of an incident page in headless Chromium, with a screenshot."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import expect

from browser_support import OfflinePage
from support_verification_web import CODE, seed_verification
from truceline.content_store import AttachmentLimits, ContentStore
from truceline.db.engine import make_engine, transaction

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_incident_page_shows_the_verification_record_to_the_other_party(
    backend_server: str, database_url: str, tmp_path: Path, page_as: Callable[..., OfflinePage]
) -> None:
    engine = make_engine(database_url)  # the server's database, on either back end
    with transaction(engine) as session:
        store = ContentStore(tmp_path / "data" / "evidence", AttachmentLimits())
        seed_verification(session, store)
    engine.dispose()
    tab = page_as("liaison_pk", base_url=backend_server)
    tab.page.goto(f"{backend_server}/incidents/{CODE}#verification")
    section = tab.page.locator("#verification")
    expect(section.locator("tr.overdue")).to_have_attribute("data-overdue-reason", "access_denied")
    expect(section.locator("article.member-view.dissent")).to_contain_text("The craters face east.")
    expect(section.locator("article.party-reply")).to_contain_text("filed late")
    expect(section.locator("tr[data-evidence]")).to_have_count(1)
    section.scroll_into_view_if_needed()
    tab.screenshot("incident-verification-liaison-pk")
