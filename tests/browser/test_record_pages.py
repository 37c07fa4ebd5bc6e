"""The Findings and Audit pages in Chromium, in English and in Urdu (right to left)."""

from __future__ import annotations

import os
from collections.abc import Callable

import pytest
from playwright.sync_api import expect

from browser_support import OfflinePage
from support_audit import append_entries
from truceline.audit.checkpoints import create_checkpoint
from truceline.audit.keys import generate_key, publish_key
from truceline.config import get_settings
from truceline.db.engine import make_engine, transaction

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_the_findings_page_in_english_and_urdu(
    live_server: str, public_page: OfflinePage, mediator_page: OfflinePage
) -> None:
    page = public_page.page
    page.goto(f"{live_server}/findings?lang=en")
    expect(page.locator("#findings-table tbody tr[data-incident]")).not_to_have_count(0)
    for row in page.locator("#findings-table tbody tr[data-incident]").all():
        assert row.get_attribute("data-incident") in {"TL-0001", "TL-0003"}
    public_page.screenshot("findings-public")
    tab = mediator_page.page
    tab.goto(f"{live_server}/findings?lang=en&finding=violation")
    expect(tab.locator("#findings-table tbody tr[data-finding='violation']").first).to_be_visible()
    mediator_page.screenshot("findings-mediator")
    tab.goto(f"{live_server}/findings?lang=ur")
    assert tab.locator("html").get_attribute("dir") == "rtl"
    expect(tab.locator("h1")).to_have_text("نتائج")
    mediator_page.screenshot("findings-urdu")


def test_the_audit_page_in_english_and_urdu(
    private_server: str, page_as: Callable[..., OfflinePage]
) -> None:
    engine = make_engine(os.environ["TRUCELINE_DATABASE_URL"])  # the server's database
    settings = get_settings()
    key = generate_key(settings.checkpoint_origin, "log", directory=settings.resolved_keys_dir)
    with transaction(engine) as session:
        publish_key(session, key)
    append_entries(engine, 3)
    with transaction(engine) as session:
        create_checkpoint(
            session, keys_dir=settings.resolved_keys_dir, origin=settings.checkpoint_origin
        )
    engine.dispose()
    public = page_as(None, base_url=private_server)
    public.page.goto(f"{private_server}/audit?lang=en")
    expect(public.page.locator("#checkpoint-table tr[data-checkpoint]")).to_have_count(1)
    expect(public.page.locator("pre.commands").first).to_contain_text("truceline audit verify")
    expect(public.page.locator("#entry-table")).to_have_count(0)
    public.screenshot("audit-public")
    liaison = page_as("liaison_pk", base_url=private_server)
    liaison.page.goto(f"{private_server}/audit?lang=en")
    expect(liaison.page.locator("#entry-table tr[data-seq]").first).to_be_visible()
    liaison.screenshot("audit-liaison")
    liaison.page.goto(f"{private_server}/audit?lang=ur")
    assert liaison.page.locator("html").get_attribute("dir") == "rtl"
    expect(liaison.page.locator("h1")).to_have_text("آڈٹ لاگ")
    liaison.screenshot("audit-urdu")
