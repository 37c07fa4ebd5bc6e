"""Translations of the designation profile's texts (criteria titles, evidence summaries), as data.

``profile_translations.yaml`` pairs each English original with its translations
and their source ("official text" or "working translation"), which pages show
beside the text. Lookups are by the English original, so a summary whose
English is changed or added later is shown in English until it is translated.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import yaml

from truceline.agreements.translations import SOURCES, TranslatedText, TranslationDataError

TRANSLATIONS_FILE = "profile_translations.yaml"
SECTIONS = ("criteria", "evidence")


@cache
def designation_translations(language: str) -> dict[str, TranslatedText]:
    """English original -> its translation in ``language`` (empty for English)."""
    data = _load()
    found: dict[str, TranslatedText] = {}
    for section in SECTIONS:
        for row, item in enumerate(data.get(section) or [], start=1):
            source = item.get("source")
            if source not in SOURCES:
                raise TranslationDataError(
                    f"{TRANSLATIONS_FILE} {section} row {row}: source {source!r} is not one of"
                    f" {', '.join(SOURCES)}"
                )
            if item.get(language) and item.get("en"):
                found[_key(item["en"])] = TranslatedText(str(item[language]).strip(), source)
    return found


def translate(language: str, english: str) -> TranslatedText | None:
    return designation_translations(language).get(_key(english))


def _key(text: str) -> str:
    return " ".join(str(text).split())


@cache
def _load() -> dict[str, Any]:
    folder = resources.files("truceline.designations")
    data = yaml.safe_load(folder.joinpath(TRANSLATIONS_FILE).read_text("utf-8")) or {}
    if not isinstance(data, dict):
        raise TranslationDataError(f"{TRANSLATIONS_FILE}: expected criteria and evidence lists")
    return data
