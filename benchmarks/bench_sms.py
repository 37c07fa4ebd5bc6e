"""Short-message parsing: throughput, and accuracy per language on the labelled corpus.

    .venv/bin/python benchmarks/bench_sms.py

Throughput: every message of the corpus parsed many times with the place
lexicon of the border registry (about 2,400 names), next to two baselines
measured in the same run: the same parser without a lexicon, and a naive
reader that only splits on spaces and looks each word up in the keyword
table (no typos, no places, no numbers). Accuracy: the share of messages read
entirely right (place, event, killed, injured, day, hour), per language, on
the development corpus (328 messages, written while the parser was built) and
on the held-out set (60 messages, written after it was frozen).
"""

from __future__ import annotations

import json
import platform
import time
from pathlib import Path

from truceline.community.districts import build_registry
from truceline.community.evaluation import evaluate
from truceline.community.registry import place_index_for
from truceline.community.sms import _lexicon, normalise, parse_message
from truceline.geo.gazetteer import default_gazetteer

#: The code this benchmark times (tests/unit/benchmarks/test_code_paths.py imports each).
CODE_PATHS = ("truceline.community.sms.parse_message",)

DATA = Path(__file__).resolve().parents[1] / "tests" / "data" / "community"
ROUNDS = 20


def _rows(name: str) -> list[dict]:
    return [json.loads(line) for line in (DATA / name).read_text(encoding="utf-8").splitlines()]


def _naive(text: str) -> int:
    lexicon = _lexicon()
    return sum(1 for word in normalise(text).split() if word in lexicon)


def _rate(label: str, function, texts: list[str]) -> float:  # type: ignore[no-untyped-def]
    function(texts[0])  # warm caches
    start = time.perf_counter()
    for _ in range(ROUNDS):
        for text in texts:
            function(text)
    elapsed = time.perf_counter() - start
    rate = ROUNDS * len(texts) / elapsed
    print(f"  {label:<44} {rate:>10,.0f} messages/s  {1e6 / rate:>7.1f} µs/message")
    return rate


def main() -> None:
    print(
        f"machine: {platform.processor() or platform.machine()}, Python {platform.python_version()}"
    )
    lexicon = place_index_for(build_registry(default_gazetteer())).lexicon
    corpus, heldout = _rows("sms_corpus.jsonl"), _rows("sms_heldout.jsonl")
    texts = [row["text"] for row in corpus]
    print(f"throughput over {len(texts)} messages x {ROUNDS} rounds:")
    naive = _rate("baseline: split + keyword lookup", _naive, texts)
    bare = _rate("parser without place lexicon", parse_message, texts)
    full = _rate("parser with the border place lexicon", lambda t: parse_message(t, lexicon), texts)
    print(f"  parser/naive cost ratio: {naive / full:.1f}x; lexicon cost: {bare / full:.1f}x")
    for title, rows in (("development corpus", corpus), ("held-out set", heldout)):
        print(f"accuracy, {title} (exact = every field right):")
        for language, score in sorted(evaluate(rows, lexicon).items()):
            figures = score.as_json()
            fields = ", ".join(f"{k} {v:.0%}" for k, v in figures["fields"].items())
            print(f"  {language}: {figures['messages']:>3} messages, exact {figures['exact']:.1%}, "
                  f"language {figures['language']:.0%}; {fields}")  # fmt: skip


if __name__ == "__main__":
    main()
