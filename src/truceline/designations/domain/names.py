"""Normalising group names so that any spelling, in any script, finds the same key.

The same name reaches the mechanism as "Tehreek-e-Taliban", "Tehrik-i-Taliban",
or in Urdu, Pashto or Dari script with Arabic or Persian letter forms, with or
without short vowels and zero-width joiners. ``normalise_name`` folds all of
these onto one key; to handle a new variant, extend ``LETTER_FOLDS``.
"""

from __future__ import annotations

import re
import unicodedata

#: Arabic-script letters that differ between Arabic, Persian, Pashto and Urdu
#: orthography but name the same sound in group names.
LETTER_FOLDS: dict[str, str] = {
    "ي": "ی",  # Arabic yeh -> Persian yeh
    "ى": "ی",  # alef maksura
    "ې": "ی",  # Pashto yeh variants
    "ۍ": "ی",
    "ئ": "ی",
    "ے": "ی",  # Urdu yeh barree
    "ك": "ک",  # Arabic kaf -> keheh
    "ة": "ه",  # teh marbuta
    "ۀ": "ه",
    "ہ": "ه",  # Urdu heh goal
    "ھ": "ه",  # heh doachashmee
    "ە": "ه",
    "أ": "ا",
    "إ": "ا",
    "آ": "ا",
    "ٱ": "ا",
    "ؤ": "و",
    "ګ": "گ",  # Pashto gaf
    "ڪ": "ک",
}

_INVISIBLE = re.compile("[\u200d\u200e\u200f\ufeff\u0640]")  # ZWJ, direction marks, tatweel
_NOT_WORD = re.compile(r"[\W_]+")
_FOLD_TABLE = str.maketrans(LETTER_FOLDS)


def normalise_name(text: str) -> str:
    """A comparison key: case-folded, without diacritics or punctuation, one space between words.

    Decomposing first turns hamza and madda forms (أ, ؤ, ئ, آ) and Latin accents
    (ā, ī) into a base letter plus a combining mark; dropping the marks also drops
    Arabic short vowels (harakat). The remaining letter forms are then folded.
    """
    # Casefold between two decompositions: compatibility forms (𝐀) only lower-case once decomposed.
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", text).casefold())
    bare = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    # A zero-width non-joiner separates parts of a word like a space would.
    bare = _INVISIBLE.sub("", bare).replace("\u200c", " ").translate(_FOLD_TABLE)
    words = _NOT_WORD.sub(" ", unicodedata.normalize("NFC", bare))
    return " ".join(words.split())


def compact_key(text: str) -> str:
    """The normalised key without spaces: "Daesh Khorasan" and "DaeshKhorasan" meet here."""
    return normalise_name(text).replace(" ", "")


def script_of(text: str) -> str:
    """``Arab`` if the text is mostly Arabic script, else ``Latn`` (ISO 15924 codes)."""
    arabic = sum(1 for ch in text if "\u0600" <= ch <= "\u06ff" or "\u0750" <= ch <= "\u077f")
    letters = sum(1 for ch in text if ch.isalpha())
    return "Arab" if letters and arabic * 2 >= letters else "Latn"
