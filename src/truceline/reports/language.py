"""The language a periodic report is written in: its words, names and right-to-left layout.

Reports use the interface's catalogues (``web/i18n``), so a report in Pashto,
Dari or Urdu reads like the pages do. The document itself stays
language-neutral: ``localised`` renders the findings' explanations (stored as
catalogue messages) for the reader, and ``template_context`` gives the
template its translated title, summary and labels. Values that are not words
(codes, dates, clause ids) are wrapped in Unicode isolates (FSI…PDI) in a
right-to-left report, so a Latin code keeps its order inside Urdu text.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from babel.dates import format_date
from jinja2 import pass_context
from jinja2.runtime import Context

from truceline.action_requests.labels import ACTIONS, OUTCOMES, RESPONSES, STATES
from truceline.agreements.labels import FINDING_LABELS
from truceline.agreements.messages import Rendering, isolate_unicode, parts_from_json
from truceline.agreements.translations import translated_text
from truceline.events.taxonomy import acled_label
from truceline.http.i18n import LANGUAGES, N_, normalise_language, translations_for
from truceline.http.labels import PARTY_NAMES
from truceline.reports.domain import ReportError
from truceline.verification.labels import state_label

#: Fonts of Debian's fonts-noto-core (installed with WeasyPrint's system libraries).
LATIN_FONTS = '"Noto Sans", "Noto Naskh Arabic", "Noto Nastaliq Urdu", "DejaVu Sans", sans-serif'
FONTS = {
    "en": LATIN_FONTS,
    "ps": '"Noto Naskh Arabic", "Noto Sans", "DejaVu Sans", sans-serif',
    "fa-AF": '"Noto Naskh Arabic", "Noto Sans", "DejaVu Sans", sans-serif',
    # Naskh, not Nastaliq, for Urdu too: poppler and other readers extract Nastaliq's stacked
    # ligatures as broken words, and a report's text must stay searchable and quotable.
    "ur": '"Noto Naskh Arabic", "Noto Nastaliq Urdu", "Noto Sans", "DejaVu Sans", sans-serif',
}
#: The states, asked actions, responses and verification outcomes of requests for action
#: (the requests pages' names of them).
REQUEST_WORDS = {**STATES, **ACTIONS, **RESPONSES, **OUTCOMES}
TITLES = {
    "public": N_("Public report of the ceasefire mechanism, %(start)s – %(end)s"),
    "restricted": N_("Restricted report of the ceasefire mechanism, %(start)s – %(end)s"),
}
SUMMARY = N_(
    "Between %(start)s and %(end)s the mechanism determined and released %(total)s"
    " incident(s) along the Afghanistan–Pakistan border, %(change)s in the previous %(days)s"
    " days; %(cumulative)s since the ceasefire began."
)
MORE = N_("%(count)s more than")
FEWER = N_("%(count)s fewer than")
AS_MANY = N_("as many as")


class ReportLanguage:
    """One of ``en``, ``ps``, ``fa-AF`` (``prs``), ``ur``; anything else is a ``ReportError``."""

    def __init__(self, lang: str | None) -> None:
        code = normalise_language(lang or "en")
        if code is None:
            raise ReportError(
                f"lang: {lang!r} is not a report language; use one of {', '.join(LANGUAGES)}"
            )
        self.code = code
        self.language = LANGUAGES[code]

    @property
    def english(self) -> bool:
        return self.code == "en"

    def gettext(self, message: str) -> str:
        return translations_for(self.code).gettext(message)

    def text(self, key: str) -> str | None:
        return translated_text(self.code, key)

    def isolate(self, value: object) -> str:
        text = "" if value is None else str(value)
        return isolate_unicode(text) if self.language.rtl and text else text

    def day(self, value: date) -> str:
        return format_date(value, "d MMMM y", locale=self.language.babel_locale)

    def template_context(self, document: dict[str, Any]) -> dict[str, Any]:
        """What ``report.html`` needs besides the document, in this language."""
        _ = self.gettext
        return {
            "_": _,
            "lang": self.code,
            "dir": "rtl" if self.language.rtl else "ltr",
            "fonts": FONTS[self.code],
            "title": document["title"] if self.english else self._title(document),
            "summary": document["summary"] if self.english else self._summary(document),
            "finding": self.finding_label,
            "party": self.party_name,
            "party_name": self.party_name,
            "event_type": lambda kind: _(acled_label(kind)),
            "state": lambda code: _(state_label(code)),
            "actor": self._actor,
            "request_word": lambda code: (
                _(REQUEST_WORDS[code]) if code in REQUEST_WORDS else self.isolate(code)
            ),
        }

    def party_name(self, code: str) -> str:
        """A party by name in this language; an unknown code as it is, isolated."""
        return self.gettext(PARTY_NAMES[code]) if code in PARTY_NAMES else self.isolate(code)

    def finding_label(self, kind: str) -> str:
        """A finding kind as the map legend names it (``no_finding_recorded`` included)."""
        if kind == "no_finding_recorded":
            return self.gettext("no finding recorded")
        return self.gettext(FINDING_LABELS.get(kind, kind))

    def _actor(self, code: str | None, label: str | None) -> str:
        if code in PARTY_NAMES:
            return self.gettext(PARTY_NAMES[code])
        if code == "unknown":
            return self.gettext("Unknown")
        return self.isolate(label or code or "")

    def _period_days(self, document: dict[str, Any]) -> tuple[str, str]:
        start = date.fromisoformat(document["period"]["start"][:10])
        end = date.fromisoformat(document["period"]["end"][:10]) - timedelta(days=1)
        return self.day(start), self.day(end)

    def _title(self, document: dict[str, Any]) -> str:
        start, end = self._period_days(document)
        return self.gettext(TITLES[document["kind"]]) % {"start": start, "end": end}

    def _summary(self, document: dict[str, Any]) -> str:
        counts = document["counts"]
        change = counts["total"] - counts["previous"]
        if change > 0:
            change_text = self.gettext(MORE) % {"count": change}
        elif change < 0:
            change_text = self.gettext(FEWER) % {"count": -change}
        else:
            change_text = self.gettext(AS_MANY)
        start, end = self._period_days(document)
        return self.gettext(SUMMARY) % {
            "start": start,
            "end": end,
            "total": counts["total"],
            "change": change_text,
            "days": document["period"]["days"],
            "cumulative": counts["cumulative"],
        }


def localised(document: dict[str, Any], language: ReportLanguage) -> dict[str, Any]:
    """The document with every finding's explanation in ``language`` (a copy; English: as is)."""
    if language.english:
        return document
    rendering = Rendering(language, isolate=isolate_unicode if language.language.rtl else str)

    def incident(item: dict[str, Any]) -> dict[str, Any]:
        findings = [_finding(f, rendering) for f in item.get("findings", [])]
        return {**item, "findings": findings}

    return {
        **document,
        "incidents": [incident(i) for i in document["incidents"]],
        "access_restrictions": [incident(i) for i in document.get("access_restrictions", [])],
    }


def _finding(finding: dict[str, Any], rendering: Rendering) -> dict[str, Any]:
    parts = finding.get("explanation_parts")
    if not parts:
        return finding
    return {**finding, "explanation": rendering.render(parts_from_json(parts))}


@pass_context
def iso_filter(context: Context, value: object) -> str:
    """``{{ value | iso }}``: the value isolated (FSI…PDI) in a right-to-left report."""
    text = "" if value is None else str(value)
    return isolate_unicode(text) if context.get("dir") == "rtl" and text else text


def css_string(value: object) -> str:
    """A value safe inside a CSS string literal (page headers and footers)."""
    return str(value).replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
