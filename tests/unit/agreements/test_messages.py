"""Explanations as catalogue messages: English as before, every part translated, stored as JSON."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from truceline.agreements.domain import Finding
from truceline.agreements.messages import (
    FSI,
    PDI,
    Msg,
    Rendering,
    Text,
    Words,
    english_of,
    message_ids,
    msg,
    parts_from_json,
    parts_to_json,
)
from truceline.agreements.threat import StaticThreatDefinition
from truceline.agreements.translations import translated_text
from truceline.http.i18n import CATALOGUE_DIR, translations_for

from .factories import NORTH_WAZIRISTAN, PAKTIKA_URGUN, PK_LIST, TEST_JOINT, fact, judge

TIMES = (
    "2025-10-10T12:00:00+05:00",  # before any agreement
    "2025-10-16T12:00:00+05:00",  # the truce
    "2025-10-18T12:00:00+05:00",  # the extension
    "2025-10-25T12:00:00+05:00",  # Doha
    "2025-11-05T12:00:00+05:00",  # Doha and Istanbul
)
ATTRIBUTIONS: tuple[list[dict[str, Any]], ...] = (
    [],
    [{"party": "AF", "link": "facilitated", "established": True}],
    [{"party": "AF", "link": "directed", "established": False}],
    [{"party": "PK", "link": "tolerated", "established": True}],
    [
        {"party": "AF", "link": "sanctioned", "established": True},
        {"party": "PK", "link": "directed", "established": True},
    ],
)


def _many_findings() -> list[Finding]:
    """Findings down every branch of the rules: parties, groups, unknown perpetrators,
    links, targets, places (inside, outside, unknown) and each agreement's window."""
    found: list[Finding] = []
    cases = itertools.product(
        ("PK", "AF", "TTP", "ISKP", "unknown"),
        ("air_drone_strike", "armed_clash", "headquarters_or_base_established"),
        (["civilians"], ["security_forces", "critical_infrastructure"], ["militants"], []),
        ATTRIBUTIONS,
    )
    for n, (perpetrator, event_type, targets, links) in enumerate(cases):
        where = (PAKTIKA_URGUN, NORTH_WAZIRISTAN, {"lat": 10.0, "lon": 10.0}, None)[n % 4]
        item = fact(
            id=f"i-{n}",
            occurred_at=TIMES[n % len(TIMES)],
            perpetrator=perpetrator,
            event_type=event_type,
            targets=targets,
            attribution=links if perpetrator not in ("AF", "PK") else [],
            location=where,
        )
        definition = (TEST_JOINT, PK_LIST, StaticThreatDefinition.of("AF's list", {"ISKP"}))[n % 3]
        found.extend(judge(item, definition))
    return found


FINDINGS = _many_findings()


def test_the_cases_reach_every_kind_of_finding() -> None:
    assert {f.finding.value for f in FINDINGS} == {
        "violation", "no_violation", "spirit_concern", "outside_scope", "indeterminate"
    }  # fmt: skip


def test_the_english_rendering_of_the_parts_is_the_explanation_sent_by_the_api() -> None:
    for finding in FINDINGS:
        assert finding.explanation_parts, finding.incident
        assert english_of(finding.explanation_parts) == finding.explanation


class _Reader:
    def __init__(self, lang: str) -> None:
        self.lang = lang

    def gettext(self, message: str) -> str:
        return translations_for(self.lang).gettext(message)

    def text(self, key: str) -> str | None:
        return translated_text(self.lang, key)


def _translated_ids(catalogue: str) -> set[str]:
    from babel.messages.pofile import read_po

    with (CATALOGUE_DIR / catalogue / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return {m.id for m in read_po(handle) if m.id and m.string and not m.fuzzy}


@pytest.mark.parametrize(("lang", "catalogue"), [("ps", "ps"), ("fa-AF", "fa_AF"), ("ur", "ur")])
def test_no_part_of_any_explanation_falls_back_to_english(lang: str, catalogue: str) -> None:
    """Every sentence, phrase and list glue is translated in the catalogue, and every quoted
    agreement text in the profile's translations."""
    translated = _translated_ids(catalogue)
    for finding in FINDINGS:
        missing = message_ids(finding.explanation_parts) - translated
        assert not missing, (finding.incident, sorted(missing))
        rendering = Rendering(_Reader(lang), check_fallback=True)
        text = rendering.render(finding.explanation_parts)
        assert rendering.untranslated == [], (finding.incident, rendering.untranslated)
        assert "%(" not in text and "Facts relied on" not in text


@pytest.mark.parametrize("lang", ["ps", "fa-AF", "ur"])
def test_every_message_keeps_its_named_placeholders_in_translation(lang: str) -> None:
    import re

    ids = set().union(*(message_ids(f.explanation_parts) for f in FINDINGS))
    for message_id in ids:
        translated = translations_for(lang).gettext(message_id)
        assert sorted(set(re.findall(r"%\(\w+\)s", translated))) == sorted(
            set(re.findall(r"%\(\w+\)s", message_id))
        ), message_id


def test_parts_survive_a_round_trip_through_json() -> None:
    for finding in FINDINGS[:200]:
        stored = parts_to_json(finding.explanation_parts)
        assert parts_from_json(stored) == finding.explanation_parts


def test_a_malformed_stored_part_is_refused_with_what_it_was() -> None:
    with pytest.raises(ValueError, match="not an explanation part: 3"):
        parts_from_json([3])


def test_lists_read_in_the_readers_language() -> None:
    words = Words((Msg("civilians"), Msg("security forces"), Msg("militants")))
    assert english_of((words,)) == "civilians, security forces and militants"
    urdu = Rendering(_Reader("ur")).render((words,))
    assert urdu == "شہری، سکیورٹی فورسز اور عسکریت پسند"


def test_untranslated_values_are_isolated_but_translated_words_are_not() -> None:
    part = msg("The act was exactly that, so it is a violation by %(party)s on a direct basis.",
               party="XX")  # fmt: skip
    isolate = Rendering(_Reader("ur"), isolate=lambda v: f"{FSI}{v}{PDI}").render((part,))
    assert f"{FSI}XX{PDI}" in isolate and isolate.startswith("عمل")


def test_a_data_text_without_translation_is_shown_in_english_and_reported() -> None:
    rendering = Rendering(_Reader("ur"), check_fallback=True)
    assert rendering.render((Text("clause/not-in-the-profile", "Original"),)) == "Original"
    assert rendering.untranslated == ["clause/not-in-the-profile"]
