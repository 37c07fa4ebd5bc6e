"""A finding read in the reader's language: no English part left, values isolated with <bdi>."""

from __future__ import annotations

import re
from types import SimpleNamespace

from fastapi.testclient import TestClient

from truceline.http.i18n import LANGUAGES, UIContext
from truceline.web.explanation_view import explanation_html


def _explanations(page: str) -> list[str]:
    return re.findall(r'<p class="explanation">(.*?)</p>', page, flags=re.S)


def test_the_finding_page_in_urdu_shows_the_explanation_in_urdu(mediator: TestClient) -> None:
    page = mediator.get("/incidents/TL-0001?lang=ur").text
    explanations = _explanations(page)
    assert explanations
    for text in explanations:
        assert "جن حقائق پر انحصار کیا گیا" in text  # "Facts relied on"
        assert "Facts relied on" not in text and "binds" not in text and "%(" not in text
        assert "<bdi>" in text  # codes, ids and times keep their own direction


def test_the_finding_page_in_pashto_quotes_the_agreement_in_its_working_translation(
    mediator: TestClient,
) -> None:
    page = mediator.get("/incidents/TL-0001?lang=ps").text
    text = " ".join(_explanations(page))
    assert "هغه حقایق چې پر هغو تکیه شوې" in text
    assert 'data-text-source="working translation"' in text
    assert "کاري ژباړه" in text  # the source, shown to the reader


def test_the_english_finding_page_is_unchanged_in_wording(mediator: TestClient) -> None:
    page = mediator.get("/incidents/TL-0001?lang=en").text
    assert "Facts relied on: The forces of Pakistan (<bdi>PK</bdi>)" in page


def test_a_finding_stored_without_parts_is_shown_as_english_marked_as_such() -> None:
    legacy = SimpleNamespace(explanation="Facts relied on: old text.", explanation_parts=None)
    html = explanation_html(legacy, UIContext(LANGUAGES["ur"], "UTC"))
    assert html == '<span lang="en" dir="ltr">Facts relied on: old text.</span>'


def test_the_findings_list_in_dari_has_no_english_explanation(mediator: TestClient) -> None:
    page = mediator.get("/findings?lang=prs").text
    cells = re.findall(r'<td class="explanation">(.*?)</td>', page, flags=re.S)
    assert cells and all("واقعیت‌های مورد اتکا" in c and "Facts relied on" not in c for c in cells)
