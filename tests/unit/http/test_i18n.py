"""Interface languages: choosing one, catalogues, numbers and times."""

from __future__ import annotations

import gettext
import io
from datetime import UTC, datetime
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from truceline.http.i18n import (
    CATALOGUE_DIR,
    LANGUAGES,
    UIContext,
    language_from_accept_header,
    normalise_language,
    resolve_ui_context,
)

CATALOGUES = sorted(CATALOGUE_DIR.glob("*/LC_MESSAGES/messages.po"))


def test_prs_and_fa_af_both_mean_dari() -> None:
    assert normalise_language("prs") == "fa-AF"
    assert normalise_language("fa_AF") == "fa-AF"
    assert normalise_language("ur-PK") == "ur"
    assert normalise_language("de") is None


def test_accept_language_picks_the_first_supported() -> None:
    assert language_from_accept_header("de-DE,ps;q=0.8,en;q=0.5") == "ps"
    assert language_from_accept_header("de") is None


def test_there_is_a_catalogue_for_every_language_but_english() -> None:
    folders = {path.parents[1].name for path in CATALOGUES}
    expected = {lang.babel_locale for lang in LANGUAGES.values() if lang.code != "en"}
    assert folders == expected


@pytest.mark.parametrize("po_path", CATALOGUES, ids=lambda p: p.parents[1].name)
def test_every_message_is_translated_and_not_fuzzy(po_path: Path) -> None:
    with po_path.open("rb") as handle:
        catalog = read_po(handle)
    untranslated = [
        m.id
        for m in catalog
        if m.id and (not m.string or (isinstance(m.string, tuple) and not all(m.string)))
    ]
    assert untranslated == []
    assert not catalog.fuzzy
    assert [m.id for m in catalog if m.id and m.fuzzy] == []


@pytest.mark.parametrize("po_path", CATALOGUES, ids=lambda p: p.parents[1].name)
def test_committed_mo_matches_its_po(po_path: Path) -> None:
    """A fresh clone uses the committed .mo files: they must say what the .po says."""
    with po_path.open("rb") as handle:
        catalog = read_po(handle)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    expected = gettext.GNUTranslations(buffer)
    with po_path.with_suffix(".mo").open("rb") as handle:
        committed = gettext.GNUTranslations(handle)
    assert committed._catalog == expected._catalog  # type: ignore[attr-defined]


def test_pot_template_lists_every_catalogue_message() -> None:
    with (CATALOGUE_DIR / "messages.pot").open("rb") as handle:
        template = {m.id for m in read_po(handle) if m.id}
    for po_path in CATALOGUES:
        with po_path.open("rb") as handle:
            assert {m.id for m in read_po(handle) if m.id} == template, po_path


def test_numbers_use_each_locales_digits_and_separators() -> None:
    assert UIContext(LANGUAGES["en"], "UTC").number(1234567) == "1,234,567"
    assert UIContext(LANGUAGES["fa-AF"], "UTC").number(1234) == "۱٬۲۳۴"
    assert UIContext(LANGUAGES["ur"], "UTC").number(1234) == "1,234"


def test_times_carry_their_zone_as_people_say_it() -> None:
    instant = datetime(2025, 10, 17, 16, 30, tzinfo=UTC)
    assert (
        UIContext(LANGUAGES["en"], "Asia/Kabul")
        .datetime_text(instant)
        .endswith("21:00 AFT (UTC+4:30)")
    )
    assert (
        UIContext(LANGUAGES["en"], "Asia/Karachi")
        .datetime_text(instant)
        .endswith("21:30 PKT (UTC+5)")
    )
    assert UIContext(LANGUAGES["en"], "UTC").datetime_text(instant) == "Oct 17, 2025 16:30 UTC"


def test_a_time_in_a_right_to_left_page_isolates_its_zone() -> None:
    instant = datetime(2025, 10, 17, 16, 30, tzinfo=UTC)
    text = UIContext(LANGUAGES["ur"], "Asia/Karachi").datetime_text(instant)
    assert "UTC, UTC+00:00" not in text
    assert text.endswith(
        "\u2068" + UIContext(LANGUAGES["ur"], "UTC").gettext("PKT (UTC+5)") + "\u2069"
    )


def test_choosing_a_language_does_not_change_the_time_zone() -> None:
    from starlette.requests import Request

    def ui_for(query: bytes, cookie: str = "") -> UIContext:
        headers = [(b"cookie", cookie.encode())] if cookie else []
        scope = {"type": "http", "query_string": query, "headers": headers}
        return resolve_ui_context(Request(scope))

    assert ui_for(b"lang=ur").zone == "UTC"
    assert ui_for(b"lang=ps").zone == "UTC"
    assert ui_for(b"lang=ur", "tz=Asia/Kabul").zone == "Asia/Kabul"
    assert ui_for(b"lang=ur&tz=Asia/Karachi").zone == "Asia/Karachi"


def test_translations_are_used() -> None:
    assert UIContext(LANGUAGES["ur"], "UTC").gettext("Incidents") == "واقعات"
    assert UIContext(LANGUAGES["en"], "UTC").gettext("Incidents") == "Incidents"


def _source_messages() -> set[str]:
    """Every message the sources mark for translation, read as ``make i18n`` reads them."""
    from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
    from babel.messages.frontend import parse_mapping_cfg

    root = CATALOGUE_DIR.parents[3]
    with (CATALOGUE_DIR / "babel.cfg").open() as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    keywords = {**DEFAULT_KEYWORDS, "N_": None}
    found = extract_from_dir(str(root), method_map, options_map, keywords=keywords)
    return {m if isinstance(m, str) else m[0] for _f, _l, m, _c, _ctx in found}


def test_every_marked_string_in_the_sources_is_in_the_catalogues() -> None:
    """A new ``_()``/``N_()`` string must be extracted and translated (``make i18n``)."""
    with (CATALOGUE_DIR / "messages.pot").open("rb") as handle:
        template = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id}
    marked = _source_messages()
    assert len(marked) > 200, "the extraction found too few messages: check babel.cfg"
    missing = sorted(marked - template)
    assert missing == [], f"run `make i18n` and translate: {missing[:20]}"
