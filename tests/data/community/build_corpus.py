"""Build ``sms_corpus.jsonl`` from the hand-written, hand-labelled ``corpus_<lang>.txt`` files.

Each line of a ``corpus_<lang>.txt`` file is one message as a reporter might
type it, with its labels (``lang|text|place|event|killed|injured|days_ago|hour|
minute|tags``, ``-`` for "not stated"). This script copies every message and
adds, for most of them, one variant made the way messages get damaged in
practice: digits typed in the other script, two adjacent letters swapped in a
word, fields joined with ``*`` or ``#``, or Latin letters in capitals. A
variant keeps the labels of its original: the damage does not change what the
sender meant. The generator is seeded, so the file is reproducible.

``heldout.txt`` (to ``sms_heldout.jsonl``, no variants) was written after the
parser was frozen and has never been used to change it: its figures are the
honest estimate for messages the parser's author did not anticipate.

    .venv/bin/python tests/data/community/build_corpus.py
"""

from __future__ import annotations

import json
import random
from pathlib import Path

HERE = Path(__file__).parent
EVENTS = {
    "SH": "shelling_artillery_missile_attack",
    "FI": "cross_border_fire",
    "AIR": "air_drone_strike",
    "IED": "remote_explosive_landmine_ied",
    "CL": "armed_clash",
    "INC": "incursion",
    "CC": "crossing_closure",
    "AB": "abduction_forced_disappearance",
}
ASCII, PERSIAN = "0123456789", "۰۱۲۳۴۵۶۷۸۹"
VARIANTS = ("digits", "typo", "separators", "capitals")


def _value(text: str) -> int | None:
    return None if text == "-" else int(text)


def read(path: Path) -> list[dict[str, object]]:
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        lang, text, place, event, killed, injured, days, hour, minute, tags = line.split("|")
        rows.append({
            "id": f"{lang}-{number:03d}", "language": lang, "text": text,
            "expect": {"place": None if place == "-" else place,
                       "event_type": EVENTS.get(event), "killed": _value(killed),
                       "injured": _value(injured), "days_ago": _value(days), "hour": _value(hour),
                       "minute": int(minute)},
            "tags": tags.split(","),
        })  # fmt: skip
    return rows


def damage(text: str, kind: str, rng: random.Random) -> str | None:
    if kind == "digits":
        if any(c in ASCII for c in text):
            return text.translate(str.maketrans(ASCII, PERSIAN))
        if any(c in PERSIAN for c in text):
            return text.translate(str.maketrans(PERSIAN, ASCII))
        return None
    if kind == "typo":
        words = [i for i, w in enumerate(text.split(" ")) if len(w) >= 6 and not w.isdigit()]
        if not words:
            return None
        parts = text.split(" ")
        index = rng.choice(words)
        word = parts[index]
        at = rng.randrange(1, len(word) - 2)
        parts[index] = word[:at] + word[at + 1] + word[at] + word[at + 2 :]
        return " ".join(parts)
    if kind == "separators":
        return rng.choice("*#").join(text.split(" "))
    upper = text.upper()
    return upper if upper != text else None


def build() -> list[dict[str, object]]:
    rng = random.Random(20251019)
    corpus: list[dict[str, object]] = []
    for path in sorted(HERE.glob("corpus_*.txt")):
        for position, row in enumerate(read(path)):
            corpus.append(row)
            if "unreadable" in row["tags"] or position % 5 == 4:  # type: ignore[operator]
                continue
            kind = VARIANTS[position % len(VARIANTS)]
            damaged = damage(str(row["text"]), kind, rng)
            if damaged and damaged != row["text"]:
                corpus.append(row | {"id": f"{row['id']}-{kind}", "text": damaged,
                                     "tags": [*row["tags"], f"variant:{kind}"]})  # type: ignore[misc]  # fmt: skip
    return corpus


def write(rows: list[dict[str, object]], name: str) -> None:
    with (HERE / name).open("w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"{len(rows)} messages written to {HERE / name}")


if __name__ == "__main__":
    write(build(), "sms_corpus.jsonl")
    write(read(HERE / "heldout.txt"), "sms_heldout.jsonl")
