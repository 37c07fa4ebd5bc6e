"""Translations of the agreements' own texts, kept as data in the agreement profile.

Catalogue messages translate the sentences the software writes; the texts of
the agreements (titles, clauses, the reasons a clause binds one side only) are
*data*, and a reader must know whether a translation is the agreement's own
text in that language or one the mechanism made. ``profile/translations.yaml``
therefore gives, per agreement and language, the ``source`` ("official text"
or "working translation") and the texts.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

from truceline.agreements.documents import builtin_documents

SOURCES = ("official text", "working translation")
LANGUAGES = ("ps", "fa-AF", "ur")
TRANSLATIONS_FILE = "translations.yaml"


class TranslationDataError(ValueError):
    """The translations file is malformed (the message names the agreement and field)."""


@dataclass(frozen=True, slots=True)
class TranslatedText:
    text: str
    source: str


@cache
def profile_translations(language: str) -> dict[str, TranslatedText]:
    """Every translated agreement text for ``language``, by the key the explanations use.

    Keys: ``agreement/<id>/title``, ``clause/<clause id>`` and
    ``clause/<clause id>/asymmetry``. English (or an unknown language) has none.
    """
    data = _load()
    originals = _originals()
    texts: dict[str, TranslatedText] = {}
    for agreement_id, languages in data.items():
        entry = (languages or {}).get(language)
        if not entry:
            continue
        source = entry.get("source")
        if source not in SOURCES:
            raise TranslationDataError(
                f"{agreement_id}.{language}.source: {source!r} is not one of {', '.join(SOURCES)}"
            )
        texts.update(_texts_of(agreement_id, entry, source, originals))
    return texts


def _texts_of(
    agreement_id: str, entry: dict[str, Any], source: str, originals: dict[str, str]
) -> dict[str, TranslatedText]:
    found: dict[str, TranslatedText] = {}
    if entry.get("title"):
        found[f"agreement/{agreement_id}/title"] = TranslatedText(str(entry["title"]), source)
    for clause_id, item in (entry.get("clauses") or {}).items():
        for key, field in (
            (f"clause/{clause_id}", "text"),
            (f"clause/{clause_id}/asymmetry", "asymmetry"),
        ):
            if not item.get(field):
                continue
            if key not in originals:
                raise TranslationDataError(
                    f"{agreement_id}.clauses.{clause_id}.{field}: the profile has no such text"
                )
            found[key] = TranslatedText(" ".join(str(item[field]).split()), source)
    return found


@cache
def _originals() -> dict[str, str]:
    originals: dict[str, str] = {}
    for document in builtin_documents():
        originals[f"agreement/{document.id}/title"] = document.title
        for clause in document.clauses:
            originals[f"clause/{clause.id}"] = clause.text.strip()
            if clause.asymmetric:
                originals[f"clause/{clause.id}/asymmetry"] = clause.asymmetric.reason.strip()
    return originals


@cache
def _load() -> dict[str, Any]:
    folder = resources.files("truceline.agreements").joinpath("profile")
    data = yaml.safe_load(folder.joinpath(TRANSLATIONS_FILE).read_text("utf-8")) or {}
    if not isinstance(data, dict):
        raise TranslationDataError(f"{TRANSLATIONS_FILE}: expected a mapping of agreement ids")
    return data


def translated_text(language: str, key: str) -> str | None:
    found = profile_translations(language).get(key)
    return found.text if found else None


def source_of(language: str, key: str) -> str | None:
    found = profile_translations(language).get(key)
    return found.source if found else None
