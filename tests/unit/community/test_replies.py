"""Replies in the sender's language that ask for what is missing and name nobody."""

from __future__ import annotations

import pytest

from truceline.community.grammar import EXAMPLES, LANGUAGES
from truceline.community.replies import TEMPLATES, ReplyKind, ask_missing, outcome_text, render
from truceline.community.sms import parse_message


@pytest.mark.parametrize("kind", list(ReplyKind))
def test_every_reply_exists_in_every_language(kind: ReplyKind) -> None:
    assert set(TEMPLATES[kind]) == set(LANGUAGES)


def test_asking_back_names_the_missing_field_in_the_senders_language() -> None:
    reply = ask_missing(parse_message("ځای برمل ۲ مړه"))
    assert "پېښه" in reply and EXAMPLES["ps"] in reply
    assert "EVENT" in ask_missing(parse_message("P Chaman 2 killed"))


def test_the_acknowledgement_carries_the_confirmation_code() -> None:
    assert "RPT-1234" in render(ReplyKind.ACKNOWLEDGED, "ur", code="RPT-1234")


def test_an_unknown_language_falls_back_to_english() -> None:
    assert render(ReplyKind.HELD, "de").startswith("Message received")


def test_outcomes_read_as_words_not_state_codes() -> None:
    assert outcome_text("determined", "en") == "confirmed"
    assert outcome_text("refuted", "fa") == "تأیید نشد"


@pytest.mark.parametrize("example", list(EXAMPLES.values()))
def test_each_documented_example_parses_complete(example: str) -> None:
    parsed = parse_message(example)
    assert parsed.complete and parsed.killed == 2 and parsed.injured == 3
