"""The labelled message corpus: well formed, large enough, and read accurately."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from truceline.community.districts import build_registry
from truceline.community.evaluation import evaluate
from truceline.community.registry import place_index_for
from truceline.events.taxonomy import EVENT_TYPES
from truceline.geo.gazetteer import default_gazetteer

DATA = Path(__file__).resolve().parents[2] / "data" / "community"


def _rows(name: str) -> list[dict]:
    return [json.loads(line) for line in (DATA / name).read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def lexicon():  # type: ignore[no-untyped-def]
    return place_index_for(build_registry(default_gazetteer())).lexicon


def test_the_corpus_has_300_messages_in_all_four_languages_with_the_hard_cases() -> None:
    rows = _rows("sms_corpus.jsonl")
    assert len(rows) >= 300
    assert set(Counter(r["language"] for r in rows)) == {"en", "ps", "fa", "ur"}
    tags = Counter(tag for r in rows for tag in r["tags"])
    for needed in ("typo", "mixed_script", "missing_place", "missing_event", "unreadable"):
        assert tags[needed] >= 4, needed
    assert all(r["expect"]["event_type"] in (None, *EVENT_TYPES) for r in rows)
    assert len({r["id"] for r in rows}) == len(rows)


def test_accuracy_on_the_held_out_messages_stays_above_the_published_floor(lexicon) -> None:  # type: ignore[no-untyped-def]
    scores = evaluate(_rows("sms_heldout.jsonl"), lexicon)
    assert set(scores) == {"en", "ps", "fa", "ur"}
    for language, score in scores.items():
        assert score.exact / score.messages >= 0.8, (language, score.failures)


def test_a_parser_that_reads_nothing_scores_zero_on_the_stated_fields(lexicon) -> None:  # type: ignore[no-untyped-def]
    row = {"id": "x", "language": "en", "text": "", "tags": [],
           "expect": {"place": "Chaman", "event_type": "cross_border_fire", "killed": 1,
                      "injured": None, "days_ago": None, "hour": None, "minute": 0}}  # fmt: skip
    score = evaluate([row], lexicon)["en"]
    assert score.exact == 0 and score.fields_right["place"] == 0
