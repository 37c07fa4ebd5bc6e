"""Rendering a report document as JSON, HTML or PDF, and signing the result.

HTML comes from ``templates/report.html`` with the map and chart inlined as
SVG; PDF is that HTML laid out by WeasyPrint. A report is written in one of the
interface's four languages (``lang``): its words come from the same catalogues
as the pages, the findings' explanations are rendered from their catalogue
messages, and Pashto, Dari and Urdu reports are laid out right to left.
WeasyPrint shapes Arabic script and orders bidirectional text itself (Pango,
HarfBuzz and FriBidi), with the Noto Naskh Arabic and Noto Nastaliq Urdu fonts
of Debian's fonts-noto-core; codes, dates and other Latin values are wrapped in
Unicode isolates (FSI…PDI) so that they keep their own order in a right-to-left
line. Signing uses the audit context's detached document signatures, so anyone
holding the public key can check a report.
"""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from truceline.reports.language import ReportLanguage, css_string, iso_filter, localised
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
_environment.filters["iso"] = iso_filter
_environment.filters["cssstr"] = css_string


def render_json(document: dict[str, Any]) -> bytes:
    return (json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode()


def render_html(document: dict[str, Any], lang: str = "en") -> str:
    language = ReportLanguage(lang)
    template = _environment.get_template("report.html")
    document = localised(document, language)
    return template.render(
        doc=document,
        map_svg=incident_map(document["incidents"], title=document["title"]),
        chart_svg=area_chart(document["areas"]),
        legend_html=legend(None if language.english else language.finding_label),
        **language.template_context(document),
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


def render_pdf(document: dict[str, Any], lang: str = "en") -> bytes:
    from weasyprint import HTML  # imported late: loading Pango takes a moment

    pdf = HTML(string=render_html(document, lang)).write_pdf()
    assert pdf is not None
    return bytes(pdf)


def render(document: dict[str, Any], fmt: Format, lang: str = "en") -> bytes:
    """The document in ``fmt`` and language ``lang`` (JSON: explanations in that language)."""
    if fmt is Format.JSON:
        if lang == "en":
            return render_json(document)
        return render_json({**localised(document, ReportLanguage(lang)), "language": lang})
    if fmt is Format.HTML:
        return render_html(document, lang).encode("utf-8")
    return render_pdf(document, lang)


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
