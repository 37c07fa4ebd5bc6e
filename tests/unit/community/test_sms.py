"""The short-message parser: fields in any order, four languages, typos, and bad input."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from truceline.community.sms import PlaceLexicon, normalise, parse_message

PLACES = PlaceLexicon.from_names(
    [("Chaman", "Chaman"), ("چمن", "Chaman"), ("Spin Boldak", "Spin Boldak"),
     ("سپین بولدک", "Spin Boldak"), ("Barmal", "Barmal"), ("برمل", "Barmal"),
     ("Torkham", "Torkham"), ("طورخم", "Torkham"), ("Wana", "Wana"), ("Spin", "Spin")]
)  # fmt: skip


def test_the_canonical_english_message_gives_every_field() -> None:
    parsed = parse_message("P Chaman SHELLING 2 KILLED 3 INJURED T 14:30", PLACES)
    assert (parsed.place, parsed.place_known) == ("Chaman", True)
    assert parsed.event_type == "shelling_artillery_missile_attack"
    assert (parsed.killed, parsed.injured, parsed.hour, parsed.minute) == (2, 3, 14, 30)
    assert parsed.complete and parsed.language == "en"


@pytest.mark.parametrize(
    ("text", "language", "place", "event", "killed", "injured"),
    [
        ("ځای برمل توپ ۲ مړه ۳ ټپي نن", "ps", "Barmal", "shelling_artillery_missile_attack", 2, 3),
        ("در چمن ۲ نفر کشته و ۳ نفر زخمی گلوله باری", "fa", "Chaman", "shelling_artillery_missile_attack", 2, 3),
        ("طورخم میں فائرنگ ۱ ہلاک ۲ زخمی", "ur", "Torkham", "cross_border_fire", 1, 2),
        ("chaman mein firing 2 halak 3 zakhmi", "ur", "Chaman", "cross_border_fire", 2, 3),
        ("barmal ke dze 4 mra", "ps", "Barmal", "cross_border_fire", 4, None),
    ],
)  # fmt: skip
def test_each_language_reads_its_own_keywords(
    text: str, language: str, place: str, event: str, killed: int | None, injured: int | None
) -> None:
    parsed = parse_message(text, PLACES)
    assert (parsed.language, parsed.place, parsed.event_type) == (language, place, event)
    assert (parsed.killed, parsed.injured) == (killed, injured)


def test_numbers_in_any_digit_script_and_either_side_of_the_keyword() -> None:
    for text in ("Chaman firing 2K 3W", "Chaman firing K2 W3", "Chaman firing killed ۲ injured ٣"):
        parsed = parse_message(text, PLACES)
        assert (parsed.killed, parsed.injured) == (2, 3), text


def test_a_typo_in_a_keyword_or_a_place_is_still_read() -> None:
    parsed = parse_message("shellin chamn 2 kiled", PLACES)
    assert (parsed.event_type, parsed.place, parsed.killed) == (
        "shelling_artillery_missile_attack",
        "Chaman",
        2,
    )


def test_a_longer_place_name_wins_over_a_shorter_one_inside_it() -> None:
    assert parse_message("spin boldak firing", PLACES).place == "Spin Boldak"


def test_mixed_scripts_in_one_message() -> None:
    parsed = parse_message("Chaman میں firing ۲ زخمی", PLACES)
    assert (parsed.place, parsed.event_type, parsed.injured) == ("Chaman", "cross_border_fire", 2)


def test_time_words_give_days_ago_and_hour() -> None:
    parsed = parse_message("Chaman firing yesterday night", PLACES)
    assert (parsed.days_ago, parsed.hour) == (1, 22)
    urdu = parse_message("چمن فائرنگ رات ۱۱ بجے", PLACES)
    assert urdu.hour == 23


def test_a_missing_event_is_reported_as_missing() -> None:
    parsed = parse_message("P Chaman 2 killed", PLACES)
    assert parsed.missing == ["event"] and parsed.readable


def test_a_message_without_any_keyword_is_unreadable() -> None:
    parsed = parse_message("hello can you help", PLACES)
    assert not parsed.readable
    assert parsed.missing == ["event"] or "place" in parsed.missing


def test_without_a_lexicon_the_free_words_are_the_place() -> None:
    parsed = parse_message("Kotkai firing 1 injured")
    assert (parsed.place, parsed.place_known) == ("kotkai", False)


def test_normalise_unifies_arabic_letter_variants_and_digits() -> None:
    assert normalise("مړي ٣ ۴ ك") == normalise("مړی 3 4 ک")


@given(st.text(max_size=300))
def test_any_text_is_parsed_without_raising(text: str) -> None:
    parsed = parse_message(text, PLACES)
    assert isinstance(parsed.missing, list)
    assert parsed.language in {"en", "ps", "fa", "ur"}


def test_a_superscript_digit_is_unread_rather_than_an_error() -> None:
    # "²".isdigit() is true but int("²") fails: it used to raise inside the parser.
    parsed = parse_message("SHELLING ² KILLED 2")
    assert parsed.killed == 2


def test_eastern_arabic_digits_are_read_as_numbers() -> None:
    assert parse_message("SHELLING ٣ KILLED").killed == 3
