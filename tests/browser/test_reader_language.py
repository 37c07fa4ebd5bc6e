"""A mediator's finding read in the elder's language, on a phone, on both back ends.

The finding page in Pashto and Urdu shows the explanation fully translated: with
the untranslated values (codes, ids, times, all wrapped in ``<bdi>``) set aside,
no Latin letter is left, so no catalogue part fell back to English. The same
pages check bidirectional order as laid out by Chromium: a time keeps its own
left-to-right order inside right-to-left text, and the words around it stand on
the correct sides.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from browser_support import OfflinePage

PHONE: dict[str, Any] = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 1,
    "is_mobile": True,
}

#: Text of an element with every <bdi> (an isolated value) left out.
WORDS_ONLY = """el => { const copy = el.cloneNode(true);
  copy.querySelectorAll('bdi').forEach(b => b.remove()); return copy.textContent; }"""

#: Left/right edges and top of substrings of an element's text, as Chromium laid them out.
RECTS_OF = """(el, needles) => needles.map(needle => {
  const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  let node;
  while ((node = walker.nextNode())) {
    const at = node.data.indexOf(needle);
    if (at < 0) continue;
    const range = document.createRange();
    range.setStart(node, at); range.setEnd(node, at + needle.length);
    const rects = Array.from(range.getClientRects());
    return {left: Math.min(...rects.map(r => r.left)), right: Math.max(...rects.map(r => r.right)),
            top: rects[0].top, lines: new Set(rects.map(r => Math.round(r.top))).size};
  }
  return null; })"""

OPENING = {"ps": "هغه حقایق چې پر هغو تکیه شوې", "ur": "جن حقائق پر انحصار کیا گیا"}


def _explanation(page: Page) -> Any:
    explanation = page.locator("article.finding p.explanation").first
    expect(explanation).to_be_visible()
    return explanation


@pytest.mark.parametrize("lang", ["ps", "ur"])
def test_a_mediators_finding_is_read_in_the_elders_language(
    backend_server: str, page_as: Callable[..., OfflinePage], lang: str
) -> None:
    elder = page_as("community_liaison", backend_server, **PHONE)
    page = elder.page
    page.goto(f"{backend_server}/public/incidents/TL-0001?lang={lang}")
    assert page.locator("html").get_attribute("dir") == "rtl"
    explanation = _explanation(page)
    expect(explanation).to_contain_text(OPENING[lang])
    words = explanation.evaluate(WORDS_ONLY)
    latin = [w for w in words.split() if any("a" <= c.lower() <= "z" for c in w)]
    assert latin == [], f"English left in the {lang} explanation: {latin}"
    assert explanation.locator("bdi").count() >= 3  # the party code, the agreement id, the time
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390 + 1, "the finding does not fit the phone's width"
    elder.screenshot(f"finding-read-in-{lang}-phone")


@pytest.mark.parametrize("lang", ["ps", "ur"])
def test_a_time_keeps_its_order_inside_right_to_left_text(
    backend_server: str, page_as: Callable[..., OfflinePage], lang: str
) -> None:
    reader = page_as("community_liaison", backend_server, **PHONE)
    page = reader.page
    page.goto(f"{backend_server}/public/incidents/TL-0001?lang={lang}")
    explanation = _explanation(page)
    times = explanation.locator("bdi", has_text="UTC")
    assert times.count() >= 1
    time = times.first
    text = time.inner_text()  # e.g. "2025-10-17 16:30 UTC"
    day, clock, zone = text.split()
    rects = time.evaluate(RECTS_OF, [day, clock, zone])
    assert all(r is not None and r["lines"] == 1 for r in rects), rects
    assert rects[0]["right"] <= rects[1]["left"] and rects[1]["right"] <= rects[2]["left"]
    # The sentence runs right to left: the word before the time (logically) is to its right.
    box = time.bounding_box()
    before = explanation.evaluate(
        """(el) => { const bdi = Array.from(el.querySelectorAll('bdi')).find(b => b.textContent.includes('UTC'));
          const range = document.createRange(); const prev = bdi.previousSibling;
          const text = prev.data.trimEnd(); const start = text.lastIndexOf(' ') + 1;
          range.setStart(prev, start); range.setEnd(prev, text.length);
          const r = range.getBoundingClientRect(); return {left: r.left, top: r.top, word: text.slice(start)}; }"""
    )
    assert box is not None
    if abs(before["top"] - box["y"]) < box["height"]:  # on the same line
        assert before["left"] >= box["x"] + box["width"] - 1, (before, box)


def test_the_urdu_agreement_page_keeps_48_hour_in_order(
    backend_server: str, page_as: Callable[..., OfflinePage]
) -> None:
    """The issue's example: "48-hour extension …" inside an Urdu page read as
    "hour extension … -48" before it was isolated."""
    reader = page_as(None, backend_server, **PHONE)
    page = reader.page
    page.goto(f"{backend_server}/agreements/truce-extension-2025-10-17?lang=ur")
    heading = page.locator("h1")
    expect(heading).to_contain_text("عارضی جنگ بندی میں ۴۸ گھنٹے کی توسیع")
    expect(heading.locator(".text-source")).to_contain_text("کاری ترجمہ")
    original = heading.locator("bdi.original")
    expect(original).to_have_text("48-hour extension of the temporary ceasefire")
    rects = original.evaluate(RECTS_OF, ["48-hour", "extension"])
    first, second = rects
    if abs(first["top"] - second["top"]) < 2:  # on one line: left to right
        assert first["right"] <= second["left"], rects
    else:  # wrapped: "48-hour" on the earlier line
        assert first["top"] < second["top"], rects
    reader.screenshot("agreement-extension-ur-phone")
