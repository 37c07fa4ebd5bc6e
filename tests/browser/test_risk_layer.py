"""The dashboard's district risk layer in Chromium, on both back ends, in English and Urdu."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import expect

from browser_support import OfflinePage
from support_risk import seed_history, store_demo_forecast
from truceline.db.engine import make_engine

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_a_mediator_turns_on_the_risk_layer_and_reads_its_legend(
    backend_server: str, database_url: str, page_as: Callable[..., OfflinePage]
) -> None:
    engine = make_engine(database_url)
    seed_history(engine)
    store_demo_forecast(engine)
    engine.dispose()
    for lang, legend_words in (("en", "forecast of Nov 1, 2011"), ("ur", "ضلعی خطرہ")):
        tab = page_as("mediator", backend_server)
        page = tab.page
        page.goto(f"{backend_server}/?lang={lang}")
        legend = page.locator(".risk-legend")
        expect(legend).to_contain_text(legend_words)
        expect(page.locator("#map")).to_have_attribute("data-layers", "ready")
        expect(page.locator("#map")).not_to_have_attribute("data-risk", "")
        before = page.locator(".leaflet-overlay-pane path").count()
        page.locator(".leaflet-control-layers input[type=checkbox]").check()
        discs = page.locator(".leaflet-overlay-pane path.leaflet-interactive")
        expect(discs).not_to_have_count(0)
        assert page.locator(".leaflet-overlay-pane path").count() > before
        assert int(page.locator("#map").get_attribute("data-risk") or 0) >= 39
        tab.screenshot(f"risk-layer-{lang}")


def test_the_public_dashboard_has_no_risk_layer(
    live_server: str, page_as: Callable[..., OfflinePage]
) -> None:
    page = page_as(None).page
    page.goto(f"{live_server}/")
    expect(page.locator("#map")).to_have_attribute("data-layers", "ready")
    expect(page.locator(".risk-legend")).to_have_count(0)
    expect(page.locator(".leaflet-control-layers")).to_have_count(0)
