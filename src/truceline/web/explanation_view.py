"""A finding's explanation in the reader's language, with mixed-direction values isolated.

Findings keep their explanation as catalogue messages (``agreements.messages``);
here they are rendered with the page's catalogue and the agreement profile's
translated texts. Codes, ids, dates and other untranslated values are wrapped
in ``<bdi>`` so that a Latin code or a date keeps its own order inside Pashto,
Dari or Urdu text. A finding stored before explanations were kept as messages
has only its English text: it is shown as English, marked so (``lang="en"``).
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup, escape

from truceline.agreements.explanations import definition_phrase
from truceline.agreements.messages import Msg, Rendering, Words, parts_from_json
from truceline.agreements.translations import source_of, translated_text
from truceline.http.i18n import N_, UIContext

MISSING_FACTS = "Missing facts: %(facts)s."
SOURCE_LABELS = {
    "official text": N_("official text"),
    "working translation": N_("working translation"),
}  # noqa: E501


class PageReader:
    """The page's catalogue and the agreement profile's translations for one language."""

    def __init__(self, ui: UIContext) -> None:
        self.ui = ui

    def gettext(self, message: str) -> str:
        return self.ui.gettext(message)

    def text(self, key: str) -> str | None:
        return translated_text(self.ui.code, key)


def html_rendering(ui: UIContext) -> Rendering:
    return Rendering(PageReader(ui), isolate=lambda v: f"<bdi>{v}</bdi>", escape=_escape)


def _escape(text: str) -> str:
    return str(escape(text))


def explanation_html(finding: Any, ui: UIContext) -> Markup:
    """The explanation of a stored finding for this page, with the sources of quoted texts."""
    parts_json = getattr(finding, "explanation_parts", None)
    if not parts_json:
        return _english_only(finding.explanation, ui)
    rendering = html_rendering(ui)
    text = rendering.render(parts_from_json(parts_json))
    sources = sorted({s for k in rendering.texts_used if (s := source_of(ui.code, k))})
    if sources:
        labels = ", ".join(ui.gettext(SOURCE_LABELS.get(s, s)) for s in sources)
        note = ui.gettext("Agreement texts quoted in: %(source)s") % {"source": labels}
        text += f' <span class="text-source" data-text-source="{escape(",".join(sources))}">({escape(note)})</span>'
    return Markup(text)


def missing_facts_html(finding: Any, ui: UIContext) -> Markup:
    """The missing facts of a stored finding, listed in the reader's language."""
    parts_json = getattr(finding, "explanation_parts", None)
    if not parts_json:
        return _english_only("; ".join(finding.missing_facts), ui)
    for part in parts_from_json(parts_json):
        if isinstance(part, Msg) and part.id == MISSING_FACTS:
            facts = dict(part.args)["facts"]
            if isinstance(facts, Words):
                return Markup(html_rendering(ui).arg(facts))
    return Markup("")


def _english_only(text: str, ui: UIContext) -> Markup:
    if ui.code == "en":
        return Markup(escape(text))
    return Markup('<span lang="en" dir="ltr">{}</span>').format(text)


def agreement_text_html(key: str, english: str, ui: UIContext, *, original: bool = True) -> Markup:
    """An agreement's text (``agreement/<id>/title``, ``clause/<id>``) in the reader's language,
    marked with its source, and (``original``) the English original isolated beside it."""
    found = source_of(ui.code, key)
    if found is None:
        if ui.code == "en":
            return Markup("{}").format(english)
        return Markup('<bdi lang="en" dir="ltr">{}</bdi>').format(english)
    label = ui.gettext(SOURCE_LABELS.get(found, found))
    text = Markup(
        '<span data-text-key="{}">{}</span> <span class="text-source" data-text-source="{}">({})</span>'
    ).format(key, translated_text(ui.code, key), found, label)
    if original:
        text += Markup(' <bdi class="original muted" lang="en" dir="ltr">{}</bdi>').format(english)
    return text


def definition_html(name: str, ui: UIContext) -> Markup:
    """A threat definition's name ("the joint list", "PK's list") in the reader's language."""
    return Markup(html_rendering(ui).arg(definition_phrase(name)))
