"""Where an event happened, read from its sentences through the geoparser.

The place phrases of a text ("in the Urgun and Barmal districts of Paktika
province", "near Angoor Adda") go to the geoparser, which uses the district and
province named with a place; the phrase that resolves best and most precisely
wins. Failing that: the dateline's city, then a region wire reports name for a
province ("northwest Pakistan"), then any place named in the event's sentences.
A place is proposed only above a minimum score: no place is better than a wrong one.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from truceline.events.taxonomy import PlacePrecision
from truceline.extraction.lexicon import NOT_A_PLACE, REGION_PROVINCES
from truceline.geo.geoparse import Geoparser, Match

#: Place phrases: a preposition, then up to eight words of names and place words.
PLACE_PHRASE = re.compile(
    r"\b(?:in|near|at|of|from|across|along|inside)\s+(?:the\s+)?"
    r"((?:[A-Z][\w'’-]*|district|province|agency|area|region|tehsil|valley|town|village|border|crossing|of|and|the|tribal|northwestern|northern|southern|eastern|western|central)"
    r"(?:\s+(?:[A-Z][\w'’-]*|district|districts|province|agency|area|region|tehsil|valley|town|village|crossing|of|and|the)){0,8})"
)
ARABIC_SCRIPT_WORD = re.compile(
    r"[\u0600-\u06FF][\u0600-\u06FF\u200c]+(?:\s+[\u0600-\u06FF][\u0600-\u06FF\u200c]+){0,2}"
)
MIN_PLACE_SCORE = 0.3
DATELINE_CITY = re.compile(r"^\s*([A-Z][A-Za-z .'-]{2,40}),")

#: A place found: the match and the span of text it was read from.
Located = tuple[Match, int, int]


def _blank_regions(text: str) -> str:
    """Region names that are no place, blanked out (offsets kept)."""
    return NOT_A_PLACE.sub(lambda m: " " * len(m.group()), text)


def place_phrases(text: str) -> list[tuple[str, int]]:
    """Phrases that may name the place: English ones after a preposition; in Pashto,
    Dari or Urdu every run of words, and the whole sentence, whose district and
    province words ("ولسوالی سپین بولدک ولایت کندهار") the geoparser reads together."""
    text = _blank_regions(text)
    phrases = [(m.group(1), m.start(1)) for m in PLACE_PHRASE.finditer(text)]
    words = [(m.group(0), m.start()) for m in ARABIC_SCRIPT_WORD.finditer(text)]
    if words:
        phrases += [*words, (text.strip(), len(text) - len(text.lstrip()))]
    return [(p, s) for p, s in phrases if any(c.isupper() for c in p[:1]) or not p.isascii()]


def _best_phrase(geoparser: Geoparser, group: Sequence[tuple[str, int]]) -> Located | None:
    best: tuple[float, Located] | None = None
    for text, sentence_start in group:
        for phrase, offset in place_phrases(text):
            matches = geoparser.locate(phrase)
            if matches and matches[0].score >= MIN_PLACE_SCORE:
                top = matches[0]
                rank = top.score - 0.02 * top.precision
                if best is None or rank > best[0]:
                    start = sentence_start + offset
                    best = (rank, (top, start, start + len(phrase)))
    return best[1] if best else None


def _dateline_city(geoparser: Geoparser, full: str) -> Located | None:
    line = DATELINE_CITY.match(full)
    matches = geoparser.locate(line.group(1)) if line else []
    if line and matches and matches[0].score >= MIN_PLACE_SCORE:
        return matches[0], line.start(1), line.end(1)
    return None


def _region(geoparser: Geoparser, group: Sequence[tuple[str, int]]) -> Located | None:
    """The province a wire report names as a region ("northwest Pakistan"), if any."""
    for text, sentence_start in group:
        for province, pattern in REGION_PROVINCES:
            found = pattern.search(text)
            matches = geoparser.locate(province) if found else []
            if found and matches:
                return matches[0], sentence_start + found.start(), sentence_start + found.end()
    return None


def _anywhere(geoparser: Geoparser, group: Sequence[tuple[str, int]], full: str) -> Located | None:
    (_, first), (last_text, last) = group[0], group[-1]
    matches = geoparser.locate(_blank_regions(full[first : last + len(last_text)]))
    if matches and matches[0].score >= MIN_PLACE_SCORE:
        return matches[0], first, last + len(last_text)
    return None


def find_place(geoparser: Geoparser, group: Sequence[tuple[str, int]], full: str) -> Located | None:
    """The place of the event told by ``group`` (sentences of ``full``), with its span."""
    found = _best_phrase(geoparser, group) or _dateline_city(geoparser, full)
    if found is None or found[0].precision >= PlacePrecision.COUNTRY:
        found = _region(geoparser, group) or found
    return found or _anywhere(geoparser, group, full)
