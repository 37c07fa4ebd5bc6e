"""Rendering a report document as JSON, HTML or PDF, and signing the result.

HTML comes from ``templates/report.html`` with the map and chart inlined as
SVG; PDF is that HTML laid out by WeasyPrint (system Pango; Noto fonts cover
Pashto, Dari and Urdu script). Signing uses the audit context's detached
document signatures, so anyone holding the public key can check a report.
"""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from truceline.reports.maps import area_chart, incident_map, legend, risk_map
from truceline.warning.risk_svg import reliability_svg


class Format(StrEnum):
    PDF = "pdf"
    HTML = "html"
    JSON = "json"


MEDIA_TYPES = {
    Format.PDF: "application/pdf",
    Format.HTML: "text/html; charset=utf-8",
    Format.JSON: "application/json",
}

_environment = Environment(
    loader=PackageLoader("truceline.reports", "templates"),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)


def render_json(document: dict[str, Any]) -> bytes:
    return (json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode()


def render_html(document: dict[str, Any]) -> str:
    template = _environment.get_template("report.html")
    return template.render(
        doc=document,
        map_svg=incident_map(document["incidents"], title=document["title"]),
        chart_svg=area_chart(document["areas"]),
        legend_html=legend(),
        **_risk_pictures(document),
    )


def _risk_pictures(document: dict[str, Any]) -> dict[str, str]:
    """The restricted edition's risk map and reliability diagram, when a forecast is stored."""
    risk = (document.get("restricted") or {}).get("risk")
    if not risk:
        return {}
    pictures = {"risk_map_svg": risk_map(risk["districts"], title="District risk")}
    backtest = risk.get("backtest")
    if backtest and backtest.get("reliability"):
        title = f"Reliability, {backtest['from']} to {backtest['to']}"
        pictures["reliability_svg"] = reliability_svg(backtest["reliability"], title=title)
    return pictures


def render_pdf(document: dict[str, Any]) -> bytes:
    from weasyprint import HTML  # imported late: loading Pango takes a moment

    pdf = HTML(string=render_html(document)).write_pdf()
    assert pdf is not None
    return bytes(pdf)


def render(document: dict[str, Any], fmt: Format) -> bytes:
    if fmt is Format.JSON:
        return render_json(document)
    if fmt is Format.HTML:
        return render_html(document).encode("utf-8")
    return render_pdf(document)


def signing_keys(keys_dir: Path) -> list[Any]:
    """The installation's signing keys valid now; raises with what to do when there are none."""
    try:
        from truceline.audit.keys import signing_keys_at
    except ImportError as error:  # the audit context's signing is not installed
        raise RuntimeError("document signing is not available in this installation") from error
    from truceline.db.base import utcnow

    return list(signing_keys_at(keys_dir, utcnow()))


def write_signature(path: Path, keys: list[Any]) -> Path:
    """Write ``path``.sig, a detached signature of the file by ``keys``."""
    from truceline.audit.signing import sign_document

    target = path.with_name(path.name + ".sig")
    target.write_text(sign_document(path.read_bytes(), keys), encoding="utf-8")
    return target
