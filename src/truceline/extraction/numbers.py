"""Counting people in news text: numerals, number words, "at least", ranges, vague quantities (pure).

A count is read from the words just before a casualty word ("at least 12
soldiers were killed", "two civilians injured", "killing five militants",
"10 to 12 dead"). Ranges keep their lower end and "at least" its number: the
mechanism records what the text establishes, not the most it could mean. Vague
quantities get a conservative number and a lower confidence, stated in
``VAGUE``. Eastern Arabic and Persian digits are read too, so Pashto, Dari and
Urdu statements give their numbers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

UNITS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100,
    "dozen": 12, "a dozen": 12,
}  # fmt: skip
#: Vague quantities: the number recorded (the least the phrase usually means).
VAGUE = {
    "a number of": 2, "several": 3, "a few": 2, "few": 2, "some": 2, "dozens": 24,
    "dozens of": 24, "scores of": 40, "many": 3, "multiple": 2,
}  # fmt: skip
#: Persian/Urdu (۰–۹) and Arabic-Indic (٠–٩) digits as ASCII.
DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")

_WORD = "|".join(sorted((re.escape(w) for w in UNITS), key=len, reverse=True))
_VAGUE = "|".join(sorted((re.escape(w) for w in VAGUE), key=len, reverse=True))
#: A quantity: "at least 12", "10 to 12", "10-12", "twenty-two", "a number of", "12".
QUANTITY = re.compile(
    rf"(?P<least>\bat least\s+|\bup to\s+|\bmore than\s+|\bover\s+)?"
    rf"(?:(?P<low>\d[\d,]*)\s*(?:-|–|to)\s*(?P<high>\d[\d,]*)"
    rf"|(?P<num>\d[\d,]*)"
    rf"|(?P<tens>\b(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety))[- ](?P<ones>one|two|three|four|five|six|seven|eight|nine)\b"
    rf"|(?P<vague>\b(?:{_VAGUE})\b)"
    rf"|(?P<word>\b(?:{_WORD})\b))",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Quantity:
    """A count read from the text, with where it stands and how sure the reading is."""

    value: int
    start: int
    end: int
    certain: bool


def read_quantity(match: re.Match[str]) -> Quantity:
    """The number a ``QUANTITY`` match stands for."""
    groups = match.groupdict()
    certain = True
    if groups["low"]:
        value = int(groups["low"].replace(",", ""))
    elif groups["num"]:
        value = int(groups["num"].replace(",", ""))
    elif groups["tens"]:
        value = UNITS[groups["tens"].lower()] + UNITS[groups["ones"].lower()]
    elif groups["vague"]:
        value, certain = VAGUE[groups["vague"].lower()], False
    else:
        value = UNITS[groups["word"].lower()]
    return Quantity(value, match.start(), match.end(), certain)


def quantities(text: str) -> list[Quantity]:
    """Every quantity in ``text`` (digits of any script), in order."""
    ascii_digits = text.translate(DIGITS)
    return [read_quantity(m) for m in QUANTITY.finditer(ascii_digits)]
