"""Counting people: numerals, words, ranges, "at least" and vague quantities, in any digits."""

from __future__ import annotations

from truceline.extraction.numbers import quantities


def values(text: str) -> list[int]:
    return [q.value for q in quantities(text)]


def test_numerals_words_and_hyphenated_tens() -> None:
    assert values("12 soldiers, seven civilians and twenty-two militants") == [12, 7, 22]


def test_at_least_and_ranges_keep_what_the_text_establishes() -> None:
    assert values("at least 10 people") == [10]
    assert values("10 to 12 dead") == [10]
    assert values("between 3-5 wounded") == [3]


def test_vague_quantities_are_conservative_and_marked_uncertain() -> None:
    (quantity,) = quantities("a number of civilians")
    assert quantity.value == 2 and not quantity.certain
    assert values("dozens of worshippers") == [24]


def test_persian_and_arabic_indic_digits_are_read() -> None:
    assert values("۱۰ ملکي وګړي") == [10]
    assert values("٧ فوجی") == [7]
