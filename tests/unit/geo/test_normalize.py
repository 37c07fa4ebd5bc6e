from __future__ import annotations

import pytest

from truceline.geo.normalize import is_arabic_script, loose_key, normalize_name, variant_key


@pytest.mark.parametrize(
    ("a", "b"), [("Khōst", "khost"), ("KHOST,", "khost"), ("Spīn Bōldak", "spin boldak")]
)
def test_diacritics_case_and_punctuation_are_folded(a: str, b: str) -> None:
    assert normalize_name(a) == b


def test_pashto_and_urdu_letter_variants_meet() -> None:
    assert normalize_name("زور کوټ") == normalize_name("زور کوٹ") == normalize_name("زور كوت")


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("khost", "khowst"),
        ("miram shah", "miramshah"),
        ("urgun", "orgun"),
        ("datta khel", "dattakhel"),
    ],
)
def test_spelling_variants_share_a_skeleton(a: str, b: str) -> None:
    assert variant_key(a) == variant_key(b) != ""


def test_different_names_keep_different_skeletons() -> None:
    assert variant_key("khost") != variant_key("kabul")


def test_arabic_script_has_no_latin_skeleton() -> None:
    assert variant_key(normalize_name("خوست")) == ""
    assert is_arabic_script("خوست") and not is_arabic_script("Khost")


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Bokhar", "Bokar"),
        ("Zaka Khel", "Zakha Khel"),
        ("Gowak", "Gawak"),
        ("Wacha Mela", "Wacha Mehla"),
    ],
)
def test_loose_skeleton_joins_spellings_the_variant_skeleton_keeps_apart(a: str, b: str) -> None:
    assert variant_key(normalize_name(a)) != variant_key(normalize_name(b))
    assert loose_key(normalize_name(a)) == loose_key(normalize_name(b)) != ""


def test_arabic_script_has_no_loose_skeleton() -> None:
    assert loose_key(normalize_name("خوست")) == ""
