"""Rendering: HTML with inline SVG and no script, a PDF whose text is right, JSON as built."""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine

from truceline.db.engine import transaction
from truceline.reports.domain import ReportKind, period_ending
from truceline.reports.gather import build_document
from truceline.reports.maps import incident_map, project
from truceline.reports.render import Format, render, render_html

from .conftest import WEEK_END


@pytest.fixture
def engine(sqlite_engine: Engine) -> Engine:
    return sqlite_engine


def _document(engine: Engine, kind: ReportKind) -> dict[str, Any]:
    period = period_ending(date.fromisoformat(WEEK_END), now=datetime(2025, 11, 3, tzinfo=UTC))
    with transaction(engine) as session:
        return build_document(session, kind, period)


def test_the_html_has_the_map_and_chart_as_svg_and_no_javascript(
    engine: Engine, week: dict[str, Any]
) -> None:
    html = render_html(_document(engine, ReportKind.PUBLIC))
    assert html.count("<svg") == 2 and "<script" not in html
    assert 'class="boundary"' in html and "de facto" in html
    assert "UCDP" in html and "CC BY 4.0" in html and "Natural Earth" in html
    assert "RESTRICTED" not in html and "Allegations" not in html


def test_the_restricted_html_is_marked_and_keeps_pashto_text(
    engine: Engine, week: dict[str, Any]
) -> None:
    html = render_html(_document(engine, ReportKind.RESTRICTED))
    assert "Not for publication" in html and "Cooling-off clocks" in html
    assert "سپین بولدک" in html


def test_the_map_places_a_dot_where_the_incident_is() -> None:
    x, y = project(66.42, 31.02)
    svg = incident_map(
        [
            {
                "code": "I-1",
                "date": "2025-10-27",
                "area": "Kandahar (AF)",
                "location": {"lat": 31.02, "lon": 66.42},
                "findings": [{"finding": "violation"}],
            }
        ],
        title="t",
    )
    assert f'cx="{x:.1f}" cy="{y:.1f}"' in svg and "#b2182b" in svg


def test_json_is_the_document_itself(engine: Engine, week: dict[str, Any]) -> None:
    document = _document(engine, ReportKind.PUBLIC)
    assert json.loads(render(document, Format.JSON)) == document


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) missing")
def test_the_pdf_holds_the_report_text_including_pashto(
    engine: Engine, week: dict[str, Any], tmp_path: Path
) -> None:
    pdf = render(_document(engine, ReportKind.RESTRICTED), Format.PDF)
    assert pdf.startswith(b"%PDF")
    path = tmp_path / "r.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Restricted report of the ceasefire mechanism" in text
    assert "I-2025-0101" in text and "Since the ceasefire began" in text
    assert "بولدک" in text or "کدلوب" in text  # Pashto glyphs were laid out, not dropped
