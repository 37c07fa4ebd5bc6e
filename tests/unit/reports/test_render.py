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

from truceline.config import get_settings
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
        return build_document(session, kind, period, settings=get_settings())


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


def _store_forecast_before_the_cutoff(engine: Engine) -> None:
    from truceline.warning.risk_models import RiskForecast

    districts = [
        {"unit": "AF:urgun", "name": "Urgun", "country": "AF", "admin1": "Paktika",
         "lat": 32.95, "lon": 69.18, "p_event": 0.42, "p_fatal": 0.3},
        {"unit": "PK:kurram", "name": "Kurram", "country": "PK", "admin1": "KP",
         "lat": 33.7, "lon": 70.2, "p_event": 0.03, "p_fatal": 0.02},
    ]  # fmt: skip
    backtest = {
        "units": 2, "periods": 10, "horizon_days": 30, "from": "2011-01-01", "to": "2011-10-01",
        "model": {"brier": 0.05, "log_loss": 0.2}, "persistence": {"brier": 0.07, "log_loss": 0.3},
        "climatology": {"brier": 0.06, "log_loss": 0.25},
        "reliability": [{"bin_from": 0.0, "bin_to": 0.1, "forecast": 0.02, "observed": 0.03, "count": 9}],
    }  # fmt: skip
    with transaction(engine) as session:
        session.add(
            RiskForecast(
                forecast_date=datetime(2025, 10, 29, tzinfo=UTC), horizon_days=30, model={},
                backtest=backtest, districts=districts,
                computed_at=datetime(2025, 10, 29, 6, tzinfo=UTC),
            )
        )  # fmt: skip


def test_the_restricted_report_has_the_district_forecast_with_its_backtest_score(
    engine: Engine, week: dict[str, Any]
) -> None:
    assert "No district forecast was stored" in render_html(
        _document(engine, ReportKind.RESTRICTED)
    )
    _store_forecast_before_the_cutoff(engine)
    html = render_html(_document(engine, ReportKind.RESTRICTED))
    assert "District risk" in html and "Urgun" in html and "42%" in html
    assert "Brier score 0.0500 against 0.0700 for persistence and 0.0600 for climatology" in html
    assert html.count("<svg") == 4  # incidents, areas, district risk, reliability
    public = render_html(_document(engine, ReportKind.PUBLIC))
    assert "District risk" not in public and "Urgun" not in public
