"""Accuracy of language identification on short SMS-style reports, with its confusion matrix.

    .venv/bin/python benchmarks/eval_langid.py [--data PATH] [--show-misses N]

Reads ``benchmarks/data/langid_messages.jsonl`` (one ``{"id", "language", "text"}``
per line: 220 messages each in English, Pashto, Dari and Urdu, written for this
set; ``benchmarks/data/make_langid_messages.py`` writes it) and labels every
message three ways in the same run:

- ``py3langid``: the model alone, restricted to the project's candidate languages;
- ``previous rules``: the model with the letter tie-break as it was before
  (no ہ among the Urdu letters, letters consulted only below 0.98 confidence);
- ``truceline``: ``truceline.intake.language.detect_language`` as it is now, and
  the same without its function words (a fairer figure: the words were chosen by
  the person who wrote the set's phrases).

For each it prints accuracy, per-language recall, and the confusion matrix
(rows: the true language, columns: the detected one; ``und`` = undetermined).
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from truceline.intake.language import TIE_BREAK_CONFIDENCE, _identifier, detect_language

DATA = Path(__file__).parent / "data" / "langid_messages.jsonl"
LABELS = ("en", "ps", "fa", "ur")
COLUMNS = (*LABELS, "other")

_OLD_PASHTO = frozenset("ټډړږښګڼۍېځڅ")
_OLD_URDU = frozenset("ٹڈڑںےھ")


#: The code this benchmark times (tests/unit/benchmarks/test_code_paths.py imports each).
CODE_PATHS = ("truceline.intake.language.detect_language",)


def model_only(text: str) -> str:
    return str(_identifier().classify(text)[0])


def previous_rules(text: str) -> str:
    """The detector before letters specific to each language decided (kept here to compare)."""
    if sum(ch.isalpha() for ch in text) < 3:
        return "und"
    code, confidence = _identifier().classify(text)
    if code in ("ps", "fa", "ur") and confidence < 0.98:
        pashto = sum(ch in _OLD_PASHTO for ch in text)
        urdu = sum(ch in _OLD_URDU for ch in text)
        return "ps" if pashto > urdu else "ur" if urdu > pashto else "fa"
    return str(code)


def letters_only(text: str) -> str:
    """Today's rules without the function words (they were chosen knowing this set's phrases)."""
    found = detect_language(text)
    if found.method != "function words":
        return found.code
    code, confidence = _identifier().classify(text)
    if code in ("ps", "ur") and confidence < TIE_BREAK_CONFIDENCE:
        return "fa"
    return str(code)


def current(text: str) -> str:
    return detect_language(text).code


def evaluate(rows: list[dict[str, str]], detector: Callable[[str], str]) -> dict[str, object]:
    matrix: dict[str, Counter[str]] = {label: Counter() for label in LABELS}
    misses: list[tuple[str, str, str]] = []
    for row in rows:
        found = detector(row["text"])
        matrix[row["language"]][found if found in LABELS else "other"] += 1
        if found != row["language"]:
            misses.append((row["language"], found, row["text"]))
    correct = sum(matrix[label][label] for label in LABELS)
    return {"accuracy": correct / len(rows), "matrix": matrix, "misses": misses}


def print_result(name: str, result: dict[str, object], show_misses: int) -> None:
    matrix: dict[str, Counter[str]] = result["matrix"]  # type: ignore[assignment]
    print(f"\n{name}: accuracy {result['accuracy']:.3f}")
    print("true\\found " + "".join(f"{c:>7}" for c in COLUMNS) + "   recall")
    for label in LABELS:
        total = sum(matrix[label].values())
        cells = "".join(f"{matrix[label][c]:>7}" for c in COLUMNS)
        print(f"{label:<10} {cells}   {matrix[label][label] / total:.3f}")
    misses: list[tuple[str, str, str]] = result["misses"]  # type: ignore[assignment]
    for true, found, text in misses[:show_misses]:
        print(f"    {true} -> {found}: {text}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--show-misses", type=int, default=0)
    args = parser.parse_args()
    rows = [json.loads(line) for line in args.data.read_text(encoding="utf-8").splitlines() if line]
    counts = Counter(row["language"] for row in rows)
    print(f"{len(rows)} messages: " + ", ".join(f"{k} {counts[k]}" for k in LABELS))
    for name, detector in (
        ("baseline: py3langid alone", model_only),
        ("baseline: previous rules", previous_rules),
        ("truceline letters only (no function words)", letters_only),
        ("truceline detect_language", current),
    ):
        print_result(name, evaluate(rows, detector), args.show_misses)


if __name__ == "__main__":
    main()
