"""Text normalisation for place names in Latin and Arabic script (pure functions).

Two keys are derived from every name, both for gazetteer entries and for the
words of a description:

- ``normalize_name``: case, diacritics (Khōst -> khost), punctuation and the
  letter variants of Arabic, Persian, Pashto and Urdu (ي/ی, ك/ک, ټ/ٹ/ت ...) folded;
- ``variant_key``: a coarser spelling skeleton for Latin transliterations, so that
  Khost/Khowst, Miramshah/Miram Shah or Urgun/Orgun meet. A match on it scores
  lower than an exact match.

To support another transliteration habit, add a rule to ``_LATIN_VARIANT_RULES``.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Letters written differently across Arabic, Persian, Pashto and Urdu, folded to one form.
_ARABIC_SCRIPT_FOLDS = str.maketrans(
    {
        "ي": "ی",
        "ى": "ی",
        "ې": "ی",
        "ۍ": "ی",
        "ئ": "ی",
        "ے": "ی",
        "ك": "ک",
        "ګ": "گ",
        "ة": "ه",
        "ۀ": "ه",
        "ە": "ه",
        "ھ": "ه",
        "ہ": "ه",
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ؤ": "و",
        "ټ": "ت",
        "ٹ": "ت",
        "ډ": "د",
        "ڈ": "د",
        "ړ": "ر",
        "ڑ": "ر",
        "ښ": "ش",
        "ږ": "ژ",
        "ڼ": "ن",
        "ں": "ن",
        "ـ": None,
    }
)
_NON_WORD = re.compile(r"[^\w]+", re.UNICODE)
_DIGITS_AND_UNDERSCORE = re.compile(r"[_]+")


@lru_cache(maxsize=65536)
def normalize_name(text: str) -> str:
    """Lower-case, fold diacritics and script variants, keep words separated by one space."""
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    folded = stripped.translate(_ARABIC_SCRIPT_FOLDS).casefold()
    folded = folded.replace("ʼ", "").replace("'", "").replace("’", "").replace("`", "")
    words = _DIGITS_AND_UNDERSCORE.sub(" ", _NON_WORD.sub(" ", folded))
    return " ".join(words.split())


_LATIN_VARIANT_RULES: tuple[tuple[str, str], ...] = (
    ("ph", "f"),
    ("ck", "k"),
    ("q", "k"),
    ("ow", "o"),
    ("ou", "u"),
    ("oo", "u"),
    ("ee", "i"),
    ("ey", "i"),
    ("ay", "ai"),
    ("y", "i"),
    ("dh", "d"),
    ("th", "t"),
    ("v", "w"),
)
_DOUBLE_LETTER = re.compile(r"(.)\1+")
_VOWELS = re.compile(r"[aeiou]")


@lru_cache(maxsize=65536)
def variant_key(normalized: str) -> str:
    """The spelling skeleton of a normalised Latin name (empty for other scripts).

    Spaces go (``miram shah`` = ``miramshah``), doubled letters collapse, common
    transliteration pairs fold, and vowels after the first letter are dropped;
    a leading vowel becomes ``a`` (Urgun = Orgun).
    """
    joined = normalized.replace(" ", "")
    if not joined.isascii() or not joined.isalpha():
        return ""
    for old, new in _LATIN_VARIANT_RULES:
        joined = joined.replace(old, new)
    joined = _DOUBLE_LETTER.sub(r"\1", joined)
    head, tail = joined[:1], _VOWELS.sub("", joined[1:])
    if head in "aeiou":
        head = "a"
    return head + tail if len(head + tail) >= 3 else ""


#: Letters a loose skeleton ignores after the first: vowels, and the ``h`` and ``w``/``y``
#: glides that English spellings of Pashto and Urdu names add or drop at will
#: (Bokhar/Bokar, Mehla/Mela, Gowak/Gawak, Garyoum/Ghariom).
_LOOSE_DROPPED = re.compile(r"[aeiouhy]")


@lru_cache(maxsize=65536)
def loose_key(normalized: str) -> str:
    """A coarser skeleton than ``variant_key``: also drops ``h`` and ``y`` after the first
    letter and collapses the doubles this leaves (Zaka Khel = Zakha Khel = ``zkl``).

    It joins many unrelated names, so the geoparser trusts a match on it only when
    another mention of the description places the candidate (see ``geo.mentions``).
    """
    joined = normalized.replace(" ", "")
    if not joined.isascii() or not joined.isalpha():
        return ""
    for old, new in _LATIN_VARIANT_RULES:
        if old != "ow":  # the w stays: Gowak = Gawak
            joined = joined.replace(old, new)
    head, tail = joined[:1], _LOOSE_DROPPED.sub("", joined[1:])
    if head in "aeiou":
        head = "a"
    key = _DOUBLE_LETTER.sub(r"\1", head + tail)
    return key if len(key) >= 3 else ""


def is_arabic_script(text: str) -> bool:
    """True when the text has letters of the Arabic script (Pashto, Dari, Urdu)."""
    return any("\u0600" <= ch <= "\u06ff" or "\u0750" <= ch <= "\u077f" for ch in text)


def is_latin_or_arabic(text: str) -> bool:
    """True for names worth keeping in the gazetteer (Latin or Arabic script only)."""
    for ch in text:
        if ch.isalpha() and not (
            ch.isascii()
            or is_arabic_script(ch)
            or "\u00c0" <= ch <= "\u024f"
            or "\u1e00" <= ch <= "\u1eff"
        ):
            return False
    return True
