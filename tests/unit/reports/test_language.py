"""Reports in the reader's language: translated words and explanations, right-to-left PDF."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
from sqlalchemy import Engine

from truceline.agreements.messages import FSI, PDI
from truceline.config import get_settings
from truceline.db.engine import transaction
from truceline.reports.domain import ReportError, ReportKind, period_ending
from truceline.reports.gather import build_document
from truceline.reports.language import ReportLanguage
from truceline.reports.render import Format, render, render_html

from .conftest import WEEK_END


@pytest.fixture
def engine(sqlite_engine: Engine) -> Engine:
    return sqlite_engine


def _document(engine: Engine, kind: ReportKind = ReportKind.PUBLIC) -> dict[str, Any]:
    period = period_ending(date.fromisoformat(WEEK_END), now=datetime(2025, 11, 3, tzinfo=UTC))
    with transaction(engine) as session:
        return build_document(session, kind, period, settings=get_settings())


def test_an_urdu_report_is_right_to_left_with_urdu_headings_and_explanations(
    engine: Engine, week: dict[str, Any]
) -> None:
    html = render_html(_document(engine), "ur")
    assert '<html lang="ur" dir="rtl">' in html
    assert "نتائج کی وضاحت" in html  # "Findings explained"
    assert "جن حقائق پر انحصار کیا گیا" in html  # the explanation's opening, in Urdu
    assert "Facts relied on" not in html and "Findings explained" not in html


def test_a_pashto_and_a_dari_report_use_their_own_catalogues(
    engine: Engine, week: dict[str, Any]
) -> None:
    document = _document(engine)
    assert "د موندنو توضیح" in render_html(document, "ps")
    assert "توضیح یافته‌ها" in render_html(document, "prs")


def test_codes_and_dates_in_a_right_to_left_report_are_isolated(
    engine: Engine, week: dict[str, Any]
) -> None:
    html = render_html(_document(engine), "ur")
    assert re.search(f"{FSI}I-2025-\\d+{PDI}", html)
    assert re.search(f"{FSI}\\d{{4}}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC{PDI}", html)


def test_an_english_report_is_unchanged_by_the_language_option(
    engine: Engine, week: dict[str, Any]
) -> None:
    document = _document(engine)
    assert render_html(document, "en") == render_html(document)
    assert FSI not in render_html(document)


def test_a_json_report_in_urdu_carries_its_language_and_urdu_explanations(
    engine: Engine, week: dict[str, Any]
) -> None:
    import json

    data = json.loads(render(_document(engine), Format.JSON, "ur"))
    assert data["language"] == "ur"
    explanations = [f["explanation"] for i in data["incidents"] for f in i["findings"]]
    assert explanations and all("جن حقائق پر انحصار کیا گیا" in e for e in explanations)


def test_an_unknown_report_language_is_refused_naming_the_choices() -> None:
    with pytest.raises(ReportError, match="lang: 'de'.*en, ps, fa-AF, ur"):
        ReportLanguage("de")


Word = tuple[str, float, float, float, float, int]  # text, top, bottom, left, right, page


def _words(pdf: bytes, tmp_path: Path) -> list[Word]:
    """Every word of the PDF with its box, as poppler lays it out."""
    path = tmp_path / "r.pdf"
    path.write_bytes(pdf)
    xml = subprocess.run(
        ["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    root = ElementTree.fromstring(re.sub(r"<!DOCTYPE[^>]*>", "", xml))
    box = ("yMin", "yMax", "xMin", "xMax")
    xhtml = "{http://www.w3.org/1999/xhtml}"
    return [
        (_logical(w.text or ""), *(float(w.get(k, 0)) for k in box), number)  # type: ignore[misc]
        for number, page in enumerate(root.iter(xhtml + "page"))
        for w in page.iter(xhtml + "word")
    ]


def _logical(text: str) -> str:
    """poppler gives an Arabic-script word in visual order (its letters right to left on the
    page, read off left to right); turn it back into the order it is written in."""
    return text[::-1] if re.search("[\u0600-\u06ff]", text) else text


def _line_of(word: Word, words: list[Word]) -> list[Word]:
    """The words whose middle height lies within ``word``'s box, left to right."""
    return sorted(
        (w for w in words if w[5] == word[5] and word[1] - 2 <= (w[1] + w[2]) / 2 <= word[2] + 2),
        key=lambda w: w[3],
    )


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) missing")
def test_the_urdu_pdf_reads_right_to_left_and_keeps_a_time_in_its_own_order(
    engine: Engine, week: dict[str, Any], tmp_path: Path
) -> None:
    """ "It occurred at 2025-10-27 09:00 UTC ..." is "یہ 2025-10-27 09:00 UTC پر پیش آیا" in
    Urdu: the Urdu words run right to left around the time, and the time itself reads left
    to right (date, then clock, then zone), as a whole, between them."""
    words = _words(render(_document(engine), Format.PDF, "ur"), tmp_path)
    checked = 0
    for zone in (w for w in words if w[0] == "UTC"):
        line = _line_of(zone, words)
        texts = [w[0] for w in line]
        at = texts.index("UTC")
        if at < 3 or texts[at + 1 : at + 2] != ["یہ"]:
            continue
        day, clock, after, before = line[at - 2], line[at - 1], line[at - 3], line[at + 1]
        assert re.fullmatch(r"\d{4}-\d\d-\d\d", day[0]), texts
        assert re.fullmatch(r"\d\d:\d\d", clock[0]), texts
        assert day[4] <= clock[3] and clock[4] <= zone[3]  # the time reads left to right
        assert before[3] >= zone[4]  # "یہ", logically before the time, stands to its right
        assert after[0] == "پر" and after[4] <= day[3]  # "پر", after it, to its left
        checked += 1
    assert checked >= 1, "no 'یہ <time> پر' sentence was found in the Urdu report"
