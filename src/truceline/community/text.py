"""Text handling shared by the message parser: normalising, and matching with typos (pure).

``normalise`` gives one spelling per Arabic letter, ASCII digits and lower case,
so that keyword and place tables are compared with what people type.
``PlaceLexicon`` holds known place names; ``nearest`` finds the candidates a
misspelt word is closest to (optimal string alignment: a swap of two
neighbouring letters counts as one typo), with an allowance that grows with
the word's length.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from rapidfuzz import process
from rapidfuzz.distance import OSA

#: Shorter place names are matched only as spelt: a typo allowance there finds false friends.
MIN_FUZZY_PLACE = 5

_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_LETTERS = str.maketrans(
    {"ي": "ی", "ى": "ی", "ې": "ی", "ۍ": "ی", "ئ": "ی", "ك": "ک", "ګ": "گ", "ہ": "ه", "ۀ": "ه", "ة": "ه",
     "ھ": "ه", "ە": "ه", "أ": "ا", "إ": "ا", "ٱ": "ا", "\u200c": " ", "\u200d": "", "ـ": ""}
)  # fmt: skip
_SEPARATORS = re.compile(r"[*#;,|/+=_()\[\]{}!?؟،؛.\-\"']+")


def normalise(text: str) -> str:
    """Lower case, ASCII digits, one spelling per Arabic letter, separators as spaces."""
    text = unicodedata.normalize("NFKC", text).translate(_DIGITS).translate(_LETTERS)
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
    return text.casefold()


@dataclass(frozen=True)
class PlaceLexicon:
    """Known place names (normalised) mapped to the name a report should carry.

    Names are ranked in the order given: on a misspelling equally close to two
    names, the earlier (a district before a village) wins.
    """

    names: dict[str, str]
    lengths: dict[int, list[str]] = field(default_factory=dict)
    order: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.lengths:
            self.lengths.update(by_length(self.names))
        if not self.order:
            for canonical in self.names.values():
                self.order.setdefault(canonical, len(self.order))

    @classmethod
    def from_names(cls, pairs: list[tuple[str, str]]) -> PlaceLexicon:
        """``pairs`` of (spelling, canonical name); every spelling is normalised here."""
        names: dict[str, str] = {}
        for spelling, canonical in pairs:
            key = " ".join(words(normalise(spelling)))
            if len(key) >= 3:
                names.setdefault(key, canonical)
        return cls(names)

    def lookup(self, phrase: str) -> str | None:
        found = self.match(phrase)
        return found[0] if found else None

    def match(self, phrase: str) -> tuple[str, int] | None:
        """The place ``phrase`` names and how many typos that took (0: spelt as known)."""
        if phrase in self.names:
            return self.names[phrase], 0
        if len(phrase) < MIN_FUZZY_PLACE:
            return None
        keys = nearest(phrase, self.lengths)
        places = {self.names[key] for key in keys}
        distance = edit_distance(phrase, next(iter(keys)), 2) if keys else 0
        if len(places) <= 1:
            return (next(iter(places)), distance) if places else None
        ranked = sorted(places, key=self.rank)
        if self.rank(ranked[0]) < self.rank(ranked[1]):
            return ranked[0], distance
        return None

    def rank(self, canonical: str) -> int:
        return self.order.get(canonical, len(self.order))


def words(text: str) -> list[str]:
    """The words of a normalised text, separators dropped."""
    return _SEPARATORS.sub(" ", text).split()


def closest(word: str, by_length: dict[int, list[str]]) -> str | None:
    """The nearest candidate within the typo allowance of ``word`` (none on a tie)."""
    found = nearest(word, by_length)
    return next(iter(found)) if len(found) == 1 else None


def nearest(word: str, by_length: dict[int, list[str]]) -> set[str]:
    """The candidates at the smallest edit distance from ``word``, within its typo allowance.

    Distance is optimal string alignment (a swap of two neighbouring letters is one typo)."""
    allowance = typo_allowance(len(word))
    if allowance == 0:
        return set()
    best: dict[int, set[str]] = {}
    for length in range(len(word) - allowance, len(word) + allowance + 1):
        candidates = by_length.get(length)
        if not candidates:
            continue
        for candidate, distance, _ in process.extract(
            word, candidates, scorer=OSA.distance, score_cutoff=allowance, limit=None
        ):
            best.setdefault(int(distance), set()).add(candidate)
    return best[min(best)] if best else set()


def by_length(names: Iterable[str]) -> dict[int, list[str]]:
    """Names of at least four characters grouped by length, for ``_closest``."""
    groups: dict[int, list[str]] = {}
    for name in names:
        if len(name) >= 4:
            groups.setdefault(len(name), []).append(name)
    return groups


def typo_allowance(length: int) -> int:
    if length >= 8:
        return 2
    return 1 if length >= 4 else 0


def edit_distance(a: str, b: str, limit: int) -> int:
    """Optimal-string-alignment distance, or ``limit + 1`` once it exceeds ``limit``."""
    return int(OSA.distance(a, b, score_cutoff=limit))
