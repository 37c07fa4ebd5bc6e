"""The agreements' texts translated as data: every text of the profile, each with its source."""

from __future__ import annotations

import pytest

from truceline.agreements import translations
from truceline.agreements.documents import builtin_documents
from truceline.designations.translations import designation_translations


@pytest.mark.parametrize("lang", ["ps", "fa-AF", "ur"])
def test_every_title_and_clause_of_the_profile_is_translated_with_its_source(lang: str) -> None:
    texts = translations.profile_translations(lang)
    for document in builtin_documents():
        assert f"agreement/{document.id}/title" in texts, document.id
        for clause in document.clauses:
            assert f"clause/{clause.id}" in texts, clause.id
            if clause.asymmetric:
                assert f"clause/{clause.id}/asymmetry" in texts, clause.id
    assert {t.source for t in texts.values()} <= set(translations.SOURCES)


def test_english_has_no_translations() -> None:
    assert translations.profile_translations("en") == {}


def test_a_translation_of_a_clause_the_profile_lacks_is_refused_naming_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data = {"doha-2025-10-19": {"ur": {"source": "working translation",
                                       "clauses": {"no-such-clause": {"text": "متن"}}}}}  # fmt: skip
    monkeypatch.setattr(translations, "_load", lambda: data)
    translations.profile_translations.cache_clear()
    try:
        with pytest.raises(translations.TranslationDataError, match="no-such-clause.text"):
            translations.profile_translations("ur")
    finally:
        translations.profile_translations.cache_clear()


def test_a_translation_without_a_known_source_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    data = {"doha-2025-10-19": {"ps": {"source": "machine", "title": "x"}}}
    monkeypatch.setattr(translations, "_load", lambda: data)
    translations.profile_translations.cache_clear()
    try:
        with pytest.raises(translations.TranslationDataError, match="doha-2025-10-19.ps.source"):
            translations.profile_translations("ps")
    finally:
        translations.profile_translations.cache_clear()


@pytest.mark.parametrize("lang", ["ps", "fa-AF", "ur"])
def test_every_evidence_summary_of_the_designation_profile_is_translated(lang: str) -> None:
    from importlib import resources

    import yaml

    data = yaml.safe_load(
        resources.files("truceline.designations").joinpath("profile_data.yaml").read_text("utf-8")
    )
    found = designation_translations(lang)
    for item in data["evidence"]:
        assert " ".join(item["summary"].split()) in found, item["summary"]
    for criterion in data["criteria"]:
        assert criterion["title"] in found, criterion["code"]
