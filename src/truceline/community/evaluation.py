"""Accuracy of the short-message parser on a labelled corpus (pure).

A corpus row holds a message, its language and the fields a person reading it
would extract (``expect``). ``evaluate`` parses every message and counts, per
language, the messages read entirely right, each field read right, and the
reply language guessed right. A field the sender did not state is expected to
be read as absent (``None``), so a parser that invents values loses points.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from truceline.community.sms import ParsedMessage, PlaceLexicon, parse_message

FIELDS = ("place", "event_type", "killed", "injured", "days_ago", "hour")


@dataclass
class LanguageScore:
    messages: int = 0
    exact: int = 0
    language_right: int = 0
    fields_right: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIELDS, 0))
    failures: list[dict[str, Any]] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        share = self.messages or 1
        return {
            "messages": self.messages,
            "exact": round(self.exact / share, 3),
            "language": round(self.language_right / share, 3),
            "fields": {name: round(count / share, 3) for name, count in self.fields_right.items()},
        }


def field_matches(parsed: ParsedMessage, expect: dict[str, Any]) -> dict[str, bool]:
    got = {
        "place": parsed.place if parsed.place_known else None,
        "event_type": parsed.event_type,
        "killed": parsed.killed,
        "injured": parsed.injured,
        "days_ago": parsed.days_ago,
        "hour": parsed.hour,
    }
    matches = {name: got[name] == expect.get(name) for name in FIELDS}
    if expect.get("hour") is not None and parsed.minute != expect.get("minute", 0):
        matches["hour"] = False
    return matches


def evaluate(
    rows: Iterable[dict[str, Any]], lexicon: PlaceLexicon | None
) -> dict[str, LanguageScore]:
    scores: dict[str, LanguageScore] = defaultdict(LanguageScore)
    for row in rows:
        score = scores[row["language"]]
        parsed = parse_message(row["text"], lexicon)
        matches = field_matches(parsed, row["expect"])
        score.messages += 1
        score.language_right += parsed.language == row["language"]
        for name, right in matches.items():
            score.fields_right[name] += right
        if all(matches.values()):
            score.exact += 1
        else:
            wrong = [name for name, right in matches.items() if not right]
            score.failures.append({"id": row["id"], "text": row["text"], "wrong": wrong,
                                   "parsed": parsed.as_json()})  # fmt: skip
    return dict(scores)
