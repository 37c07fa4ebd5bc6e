"""Finding place-name mentions in a description (the first half of geoparsing).

A description is cut into segments at commas, semicolons, brackets and slashes;
a name never spans two segments. Within a segment the longest spans are looked
up first: by exact normalised name, then by spelling skeleton, then (for
capitalised words only) by fuzzy ratio against names with the same initial.
Each mention also records the clues around it: a type word after it ("Kech
district"), a word of nearness before it ("near Torkham"), and a distance with
a direction ("45 km west of Miranshah").
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from truceline.geo.gazetteer import Gazetteer
from truceline.geo.normalize import is_arabic_script, loose_key, normalize_name, variant_key
from truceline.geo.vocabulary import (
    AREA_WORDS,
    DIRECTIONS,
    DISTANCE_UNITS_KM,
    NEAR_WORDS,
    STOPWORDS,
    TYPE_WORDS,
)

EXACT_QUALITY = 1.0
VARIANT_QUALITY = 0.85
#: A match on the loose skeleton (``normalize.loose_key``): the geoparser keeps it only
#: where another mention of the description places the candidate.
LOOSE_QUALITY = 0.75
FUZZY_CUTOFF = 86.0
MAX_SPAN_WORDS = 6
#: How far back "<direction> of" makes a name a landmark ("north of the main town of X").
REFERENCE_WINDOW = 6
#: Shorter skeletons ("khl") join too many unrelated names (Khel, Kohlu).
MIN_VARIANT_KEY = 4
_SEGMENT_BREAK = re.compile(r"[,;()\[\]/|:]+|\s-\s")
_NUMBER = re.compile(r"^(\d+)(km|kms)?$")


@dataclass
class Mention:
    """A span of the description that names one or more gazetteer places."""

    start: int
    end: int
    text: str
    quality: float
    candidates: list[int]
    type_kind: str | None = None
    near: bool = False
    area: bool = False
    offset_km: float | None = None
    azimuth: float | None = None
    direction: str | None = None
    #: A capitalised word right next to the span that is no name, type or clue word
    #: ("Parang Dara", "Goth Hajwani in Sui"): the span is likely part of another name.
    partial: bool = False
    #: Matched on the loose skeleton only (Bokhar for Bokar): trusted with context alone.
    loose: bool = False
    #: Named as a landmark to find another place by ("south of Mir Ali", "near Kahan").
    reference: bool = False


@dataclass
class Tokens:
    """The normalised words of a description, with their segment and capitalisation."""

    words: list[str]
    segments: list[int]
    name_like: list[bool]

    def same_segment(self, start: int, end: int) -> bool:
        return self.segments[start] == self.segments[end - 1]


def tokenize(text: str) -> Tokens:
    """Split a description into normalised words, remembering which look like names."""
    any_upper = any(ch.isupper() for ch in text)
    words: list[str] = []
    segments: list[int] = []
    name_like: list[bool] = []
    for number, segment in enumerate(_SEGMENT_BREAK.split(text)):
        for raw in segment.split():
            normalised = normalize_name(raw).split()
            capital = raw[:1].isupper() or not any_upper or is_arabic_script(raw)
            for word in normalised:
                words.append(word)
                segments.append(number)
                name_like.append(capital)
    return Tokens(words, segments, name_like)


def find_mentions(tokens: Tokens, gazetteer: Gazetteer) -> list[Mention]:
    """Non-overlapping mentions, longest spans first, with their surrounding clues."""
    claimed = [False] * len(tokens.words)
    mentions: list[Mention] = []
    for start, end in _open_spans(tokens, claimed, gazetteer):
        mention = _lookup(tokens, start, end, gazetteer)
        if mention is not None:
            claimed[start:end] = [True] * (end - start)
            mentions.append(mention)
    mentions.extend(_fuzzy_mentions(tokens, claimed, gazetteer))
    mentions.extend(_loose_mentions(tokens, claimed, gazetteer))
    mentions.sort(key=lambda m: m.start)
    for mention in mentions:
        _read_clues(tokens, mention)
        mention.partial = _has_unknown_neighbour(tokens, claimed, mention)
    return mentions


def _has_unknown_neighbour(tokens: Tokens, claimed: list[bool], mention: Mention) -> bool:
    for i in (mention.start - 1, mention.end):
        if i < 0 or i >= len(tokens.words) or claimed[i]:
            continue
        if tokens.segments[i] != tokens.segments[mention.start]:
            continue
        word = tokens.words[i]
        if not tokens.name_like[i] or not word.isalpha() or is_arabic_script(word):
            continue
        if word in STOPWORDS or word in TYPE_WORDS or word in AREA_WORDS or word in NEAR_WORDS:
            continue
        if word in DIRECTIONS:
            continue
        return True
    return False


def _may_start_name(tokens: Tokens, start: int, end: int) -> bool:
    """Spans start on a name-like word; a stopword may start only a longer exact
    name ("North Waziristan", "Upper Dir"), checked in ``_lookup``."""
    first = tokens.words[start]
    if tokens.words[start] in STOPWORDS and end - start == 1:
        return False
    return tokens.same_segment(start, end) and not first.isdigit() and tokens.name_like[start]


def _lookup(tokens: Tokens, start: int, end: int, gazetteer: Gazetteer) -> Mention | None:
    text = " ".join(tokens.words[start:end])
    ids = gazetteer.by_name.get(text)
    if ids:
        return Mention(start, end, text, EXACT_QUALITY, list(ids))
    if tokens.words[start] in STOPWORDS or tokens.words[end - 1] in STOPWORDS or len(text) < 4:
        return None
    key = variant_key(text)
    ids = gazetteer.by_variant.get(key) if len(key) >= MIN_VARIANT_KEY else None
    if ids:
        return Mention(start, end, text, VARIANT_QUALITY, list(ids))
    if end - start > 1 and tokens.words[end - 1] not in TYPE_WORDS:
        # A longer name on the loose skeleton ("Khar Qamar" for Kar Qamar) before a
        # shorter exact one inside it (Khar) can claim its words.
        ids = gazetteer.by_loose.get(loose_key(text))
        if ids:
            return Mention(start, end, text, LOOSE_QUALITY, list(ids), loose=True)
    return None


def _loose_mentions(tokens: Tokens, claimed: list[bool], gazetteer: Gazetteer) -> list[Mention]:
    """Spans of words no exact or skeleton match claimed that meet a name on the loose
    skeleton; the last pass, so that they never take words from a closer match."""
    found: list[Mention] = []
    for start, end in _open_spans(tokens, claimed, gazetteer):
        words = tokens.words[start:end]
        if words[0] in STOPWORDS or words[-1] in STOPWORDS or words[-1] in TYPE_WORDS:
            continue
        ids = gazetteer.by_loose.get(loose_key(" ".join(words)))
        if ids:
            claimed[start:end] = [True] * (end - start)
            found.append(Mention(start, end, " ".join(words), LOOSE_QUALITY, list(ids)))
            found[-1].loose = True
    return found


def _open_spans(
    tokens: Tokens, claimed: list[bool], gazetteer: Gazetteer
) -> Iterator[tuple[int, int]]:
    """Spans of words that may start a name and no match has claimed yet, longest first
    (a span claimed while iterating is skipped: ``claimed`` is read as it changes)."""
    longest = min(MAX_SPAN_WORDS, gazetteer.longest_name_words)
    for length in range(longest, 0, -1):
        for start in range(len(tokens.words) - length + 1):
            end = start + length
            if not any(claimed[start:end]) and _may_start_name(tokens, start, end):
                yield start, end


def _fuzzy_mentions(tokens: Tokens, claimed: list[bool], gazetteer: Gazetteer) -> list[Mention]:
    """Near-miss spellings of capitalised words that matched nothing exactly."""
    found: list[Mention] = []
    for start, word in enumerate(tokens.words):
        if claimed[start] or not tokens.name_like[start] or word in STOPWORDS:
            continue
        if len(word) < 5 or not word.isalpha():
            continue
        choices = gazetteer.names_by_initial.get(word[0], [])
        best = process.extractOne(word, choices, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
        if best is None:
            continue
        name, ratio, _ = best
        quality = 0.6 + 0.25 * (ratio - FUZZY_CUTOFF) / (100.0 - FUZZY_CUTOFF)
        claimed[start] = True
        found.append(Mention(start, start + 1, word, quality, list(gazetteer.by_name[name])))
    return found


def _read_clues(tokens: Tokens, mention: Mention) -> None:
    words, start, end = tokens.words, mention.start, mention.end
    after = (
        words[end]
        if end < len(words) and tokens.segments[end] == tokens.segments[end - 1]
        else None
    )
    before = words[max(0, start - 3) : start]
    last_word = mention.text.split()[-1]
    if last_word in TYPE_WORDS and len(mention.text.split()) > 1:
        mention.type_kind = TYPE_WORDS[last_word]
    elif after in TYPE_WORDS:
        mention.type_kind = TYPE_WORDS[after]
    elif start > 0 and words[start - 1] in ("district", "tehsil", "agency", "province"):
        mention.type_kind = TYPE_WORDS[words[start - 1]]
    mention.area = after in AREA_WORDS or last_word in AREA_WORDS
    mention.near = any(word in NEAR_WORDS for word in before)
    mention.reference = bool(before) and before[-1] in NEAR_WORDS or _after_direction(tokens, start)
    _read_offset(words, mention)


def _after_direction(tokens: Tokens, start: int) -> bool:
    """Whether "<direction> of|from" comes up to ``REFERENCE_WINDOW`` words before, in the
    same segment ("southeast of the province's capital Quetta")."""
    first = max(1, start - REFERENCE_WINDOW)
    for j in range(start - 1, first - 1, -1):
        if tokens.segments[j] != tokens.segments[start]:
            return False
        if tokens.words[j] in ("of", "from") and tokens.words[j - 1] in DIRECTIONS:
            return True
    return False


def _read_offset(words: list[str], mention: Mention) -> None:
    """``<number> <unit> <direction> of|from <mention>``, e.g. "45 kilometres west of"."""
    i = mention.start - 1
    if i < 2 or words[i] not in ("of", "from"):
        return
    i -= 1
    direction = words[i]
    if i >= 1 and words[i - 1] in ("north", "south") and direction in ("east", "west"):
        direction = words[i - 1] + direction
        i -= 1
    if direction not in DIRECTIONS:
        return
    number, unit_km = _distance_before(words, i)
    if number is None:
        return
    mention.offset_km = number * unit_km
    mention.azimuth = DIRECTIONS[direction]
    mention.direction = direction
    mention.near = True


def _distance_before(words: list[str], direction_index: int) -> tuple[float | None, float]:
    i = direction_index - 1
    if i < 0:
        return None, 1.0
    if words[i] in DISTANCE_UNITS_KM and i >= 1 and words[i - 1].isdigit():
        return float(words[i - 1]), DISTANCE_UNITS_KM[words[i]]
    match = _NUMBER.match(words[i])
    if match and match.group(2):
        return float(match.group(1)), 1.0
    return None, 1.0
