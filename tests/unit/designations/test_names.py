"""Normalising names across scripts, letter forms, diacritics and spacing."""

from __future__ import annotations

import pytest

from truceline.designations.domain.names import compact_key, normalise_name, script_of


@pytest.mark.parametrize(
    ("variant", "canonical"),
    [
        ("تحريك طالبان پاكستان", "تحریک طالبان پاکستان"),  # Arabic yeh and kaf
        ("فتنة الخوارج", "فتنہ الخوارج"),  # teh marbuta vs Urdu heh goal
        ("فِتْنَة الخَوارِج", "فتنه الخوارج"),  # short vowels
        ("حافظ ګل بهادر", "حافظ گل بہادر"),  # Pashto gaf, Urdu heh
        ("Fitna al-Khawārij", "fitna al khawarij"),  # Latin diacritics and hyphen
        ("  TEHRIK-I-TALIBAN   Pakistan ", "tehrik i taliban pakistan"),
        ("داعش\u200cخراسان", "داعش خراسان"),  # zero-width non-joiner
    ],
)
def test_variants_normalise_to_the_same_key(variant: str, canonical: str) -> None:
    assert normalise_name(variant) == normalise_name(canonical)


def test_compact_key_ignores_spacing() -> None:
    assert compact_key("Daesh Khorasan") == compact_key("DaeshKhorasan")


def test_script_is_detected() -> None:
    assert script_of("تحریک طالبان پاکستان") == "Arab"
    assert script_of("Tehrik-i-Taliban") == "Latn"
