"""Parsing short community messages into report fields (pure: no I/O, never raises on input).

``parse_message(text, places)`` reads a message written in the grammar of
``community.grammar`` and returns a ``ParsedMessage``: place, event type,
killed and injured counts, when (days ago, hour), the sender's language, and
what is missing. Anything it cannot read is listed in ``unread`` rather than
dropped, so a reply can ask for it. ``places`` is an optional lexicon of known
place names (``PlaceLexicon``); with it, a place written without the PLACE
keyword is still found, misspellings included.

Reading proceeds in three steps: ``normalise`` (case, digits, Arabic letter
variants, separators), ``_tag`` (each word or two-word phrase looked up in the
keyword table, allowing one typo in longer words), and ``_assemble`` (numbers
attached to the count keyword next to them, the words after PLACE or before a
postposition taken as the place).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from truceline.community.grammar import EN, FA, LANGUAGES, PS, UR, Keyword, build_lexicon
from truceline.community.text import PlaceLexicon, by_length, nearest, normalise, words

__all__ = ["ParsedMessage", "PlaceLexicon", "normalise", "parse_message"]

REQUIRED_FIELDS = ("place", "event")
MAX_COUNT = 10_000
MAX_PLACE_WORDS = 4

_TIME = re.compile(r"\b([01]?\d|2[0-3])[:.]([0-5]\d)\b")
_DATE = re.compile(r"\b(\d{1,2})[-/.](\d{1,2})(?:[-/.](\d{2,4}))?\b")
_DIGIT_LETTER = re.compile(r"(?<=\d)(?=[^\d\s:])|(?<=[^\d\s:])(?=\d)")
_PASHTO_LETTERS = set("ټډړښږځڅڼګۍې")
_URDU_LETTERS = set("ےہڈٹڑںھ")


@dataclass
class ParsedMessage:
    """What a message says, and what it leaves out."""

    text: str
    language: str = EN
    place: str | None = None
    place_known: bool = False
    event_type: str | None = None
    killed: int | None = None
    injured: int | None = None
    civilians: bool = False
    days_ago: int | None = None
    hour: int | None = None
    minute: int = 0
    unread: list[str] = field(default_factory=list)
    keywords_seen: int = 0

    @property
    def missing(self) -> list[str]:
        return [name for name in REQUIRED_FIELDS if getattr(self, _ATTRIBUTE[name]) is None]

    @property
    def complete(self) -> bool:
        return not self.missing

    @property
    def readable(self) -> bool:
        """Whether anything at all was understood (else the reply explains the grammar)."""
        return self.keywords_seen > 0 or self.place_known

    def as_json(self) -> dict[str, object]:
        return {
            "language": self.language,
            "place": self.place,
            "event_type": self.event_type,
            "killed": self.killed,
            "injured": self.injured,
            "civilians": self.civilians,
            "days_ago": self.days_ago,
            "hour": self.hour,
            "minute": self.minute,
            "missing": self.missing,
            "unread": self.unread,
        }


_ATTRIBUTE = {"place": "place", "event": "event_type"}


@dataclass
class _Token:
    word: str
    keyword: Keyword | None = None
    number: int | None = None
    used: bool = False


def parse_message(text: str, places: PlaceLexicon | None = None) -> ParsedMessage:
    """Read one message; never raises for any input string."""
    result = ParsedMessage(text=text, language=_script_language(text))
    normalised = normalise(text)
    normalised = _take_clock_time(normalised, result)
    normalised = _DATE.sub(" ", normalised)
    tokens = _tag(words(_DIGIT_LETTER.sub(" ", normalised)), places)
    _assemble(tokens, result, places)
    result.language = _language(text, tokens, result.language)
    return result


def _take_clock_time(text: str, result: ParsedMessage) -> str:
    match = _TIME.search(text)
    if match is None:
        return text
    result.hour, result.minute = int(match.group(1)), int(match.group(2))
    result.keywords_seen += 1
    return text[: match.start()] + " " + text[match.end() :]


@lru_cache(maxsize=1)
def _lexicon() -> dict[str, Keyword]:
    return {normalise(spelling): keyword for spelling, keyword in build_lexicon().items()}


@lru_cache(maxsize=1)
def _keyword_lengths() -> dict[int, list[str]]:
    return by_length(_lexicon())


def _tag(words: list[str], places: PlaceLexicon | None = None) -> list[_Token]:
    """Look each word (or two-word phrase) up: a known place name of several words first,
    then the keyword table, allowing typos; numbers become numbers."""
    lexicon = _lexicon()
    tokens: list[_Token] = []
    index = 0
    while index < len(words):
        size = _place_phrase_size(words, index, places, lexicon)
        if size:
            tokens.append(_Token(" ".join(words[index : index + size])))
            index += size
            continue
        word = words[index]
        pair = f"{word} {words[index + 1]}" if index + 1 < len(words) else ""
        pair_keyword = _pair_keyword(word, pair, lexicon)
        if pair_keyword is not None:
            tokens.append(_Token(pair, pair_keyword))
            index += 2
            continue
        if word.isdecimal():  # not isdigit: int() refuses superscripts such as "²"
            tokens.append(_Token(word, number=int(word) if len(word) <= 6 else None))
        else:
            tokens.append(_Token(word, lexicon.get(word) or _fuzzy_keyword(word, lexicon)))
        index += 1
    return tokens


def _place_phrase_size(
    words: list[str], index: int, places: PlaceLexicon | None, lexicon: dict[str, Keyword]
) -> int:
    """How many words from ``index`` spell a known place exactly (0: none).

    A single word that is also a keyword stays a keyword."""
    if places is None:
        return 0
    for size in (3, 2, 1):
        phrase = " ".join(words[index : index + size])
        if index + size <= len(words) and phrase in places.names:
            if size == 1 and phrase in lexicon:
                return 0
            return size
    return 0


def _pair_keyword(word: str, pair: str, lexicon: dict[str, Keyword]) -> Keyword | None:
    """A two-word keyword, exact or misspelt ("گولا باری", "تیر اندازی"), but never a pair
    whose first word is a keyword on its own."""
    if not pair:
        return None
    if pair in lexicon:
        return lexicon[pair]
    if word in lexicon or word.isdigit() or pair.split()[1].isdigit():
        return None
    return _fuzzy_keyword(pair, lexicon)


def _fuzzy_keyword(word: str, lexicon: dict[str, Keyword]) -> Keyword | None:
    """The keyword ``word`` misspells, if all the nearest spellings mean the same thing."""
    meanings = {
        (lexicon[k].field, lexicon[k].value): lexicon[k] for k in nearest(word, _keyword_lengths())
    }
    return next(iter(meanings.values())) if len(meanings) == 1 else None


# --- assembling fields from tagged words ----------------------------------------------


def _assemble(tokens: list[_Token], result: ParsedMessage, places: PlaceLexicon | None) -> None:
    for index, token in enumerate(tokens):
        if token.keyword is not None and token.keyword.field == "hour_marker":
            _read_hour(tokens, index, result)
    for index, token in enumerate(tokens):
        if token.keyword is not None and token.keyword.field != "hour_marker":
            _read_keyword(tokens, index, result)
    if places is not None:
        _settle_known_place(tokens, result, places)
    if result.place is None:
        result.place = _first_free_run(tokens)
    result.unread = [t.word for t in tokens if not t.used and t.keyword is None]


def _read_hour(tokens: list[_Token], index: int, result: ParsedMessage) -> None:
    marker = tokens[index]
    assert marker.keyword is not None
    marker.used = True
    result.keywords_seen += 1
    position = marker.keyword.value
    neighbour = index + 1 if position == "before" else index - 1
    number = _free_number(tokens, neighbour)
    if number is None:
        return
    hour = number.number or 0
    if position == "pm" and hour < 12:
        hour += 12
    if 0 <= hour <= 23:
        result.hour, result.minute = hour, 0
        number.used = True


def _read_keyword(tokens: list[_Token], index: int, result: ParsedMessage) -> None:
    keyword = tokens[index].keyword
    assert keyword is not None
    tokens[index].used = True
    result.keywords_seen += 1
    kind, value = keyword.field, keyword.value
    if kind == "event" and result.event_type is None:
        result.event_type = str(value)
    elif kind in ("killed", "injured"):
        number = _number_before(tokens, index) or _free_number(tokens, index + 1)
        if number is not None and (number.number or 0) <= MAX_COUNT:
            number.used = True
            setattr(result, kind, number.number)
    elif kind == "civilians":
        result.civilians = True
    elif kind == "day":
        result.days_ago = max(int(value), 0)
    elif kind == "part":
        _read_part_of_day(result, int(value))
    elif kind == "place" and result.place is None:
        result.place = _placewords(tokens, range(index + 1, len(tokens)))
    elif kind == "place_after" and result.place is None:
        result.place = _placewords(tokens, range(index - 1, -1, -1), backwards=True)


def _read_part_of_day(result: ParsedMessage, hour: int) -> None:
    """ "Night", "evening": the hour itself, or the afternoon/evening reading of "at 9"."""
    if result.hour is None:
        result.hour = hour
    elif result.hour < 12 <= hour:
        result.hour += 12


def _number_before(tokens: list[_Token], index: int) -> _Token | None:
    """The free number just before a count keyword, looking past a counting word."""
    before = index - 1
    keyword = tokens[before].keyword if before >= 0 else None
    if keyword is not None and keyword.field in ("counter", "civilians"):
        tokens[before].used = True
        before -= 1
    return _free_number(tokens, before)


def _free_number(tokens: list[_Token], index: int) -> _Token | None:
    if 0 <= index < len(tokens):
        token = tokens[index]
        if token.number is not None and not token.used:
            return token
    return None


def _placewords(tokens: list[_Token], indexes: range, *, backwards: bool = False) -> str | None:
    """Free words next to a place keyword, up to the next keyword or number."""
    taken: list[_Token] = []
    for index in indexes:
        token = tokens[index]
        if token.keyword is not None or token.number is not None or token.used:
            break
        taken.append(token)
        if len(taken) == MAX_PLACE_WORDS:
            break
    for token in taken:
        token.used = True
    words = [t.word for t in (reversed(taken) if backwards else taken)]
    return " ".join(words) or None


def _settle_known_place(tokens: list[_Token], result: ParsedMessage, places: PlaceLexicon) -> None:
    """Prefer a known place: the words after PLACE if they name one, else the most precise
    known place anywhere in the message (a district before a village before a province)."""
    if result.place is not None:
        canonical = places.lookup(result.place)
        if canonical is not None:
            result.place, result.place_known = canonical, True
            return
    found = _best_known_place(tokens, places)
    if found is not None:
        canonical, window = found
        for token in window:
            token.used = True
        result.place, result.place_known = canonical, True


def _best_known_place(
    tokens: list[_Token], places: PlaceLexicon
) -> tuple[str, list[_Token]] | None:
    """The longest name first, then the fewest typos, then the most precise kind of place."""
    best: tuple[tuple[int, int, int], str, list[_Token]] | None = None
    for size in (3, 2, 1):
        for start in range(len(tokens) - size + 1):
            window = tokens[start : start + size]
            if any(t.keyword is not None or t.number is not None for t in window):
                continue
            found = places.match(" ".join(t.word for t in window))
            if found is None:
                continue
            key = (-size, found[1], places.rank(found[0]))
            if best is None or key < best[0]:
                best = (key, found[0], window)
    return (best[1], best[2]) if best else None


def _first_free_run(tokens: list[_Token]) -> str | None:
    """Without a keyword or a known name, the first run of unclaimed words is taken as the place."""
    for index, token in enumerate(tokens):
        free = not token.used and token.keyword is None and token.number is None
        if free and len(token.word) > 1:
            return _placewords(tokens, range(index, len(tokens)))
    return None


# --- the sender's language ---------------------------------------------------------


def _script_language(text: str) -> str:
    letters = set(text)
    if letters & _PASHTO_LETTERS:
        return PS
    if letters & _URDU_LETTERS:
        return UR
    if any("\u0600" <= ch <= "\u06ff" for ch in text):
        return FA
    return EN


def _language(text: str, tokens: list[_Token], by_script: str) -> str:
    """The language of the reply: letters peculiar to Pashto or Urdu first, then keywords."""
    votes = dict.fromkeys(LANGUAGES, 0.0)
    if by_script in (PS, UR):
        votes[by_script] += 3.0
    elif by_script == FA:
        votes[FA] += 0.5
    for token in tokens:
        if token.keyword is not None and token.used:
            for language in token.keyword.languages:
                votes[language] += 1.0 / len(token.keyword.languages)
    best = max(votes.values())
    if best == 0:
        return by_script
    winners = [language for language in LANGUAGES if votes[language] == best]
    return by_script if by_script in winners else winners[0]
