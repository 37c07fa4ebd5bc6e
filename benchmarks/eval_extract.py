"""How well ``truceline extract`` reads: per-field accuracy against a naive baseline, and speed.

Code path: ``truceline.extraction.reader.Reader.read`` (what ``truceline
extract`` runs). Two labelled sets:

1. ``benchmarks/data/extraction_statements.jsonl``: short statements and news
   items written for this project in the style of ISPR, Afghan ministry and
   wire reports on the October-November 2025 events (not quotations), each
   labelled by hand with the event's day, type, perpetrator, province, district
   and counts (a list where either of two answers is right). ``split: dev`` (22)
   are those the rules were written with; ``split: held_out`` (20, six in
   Pashto, Dari and Urdu) were written and labelled afterwards and scored as
   they came, without changing the rules for them.
2. UCDP GED's own labels: for every GED event with a ``source_headline``, the
   first headline is read with its ``source_date`` as the published day and
   compared with UCDP's day (``date_start``), province (``adm_1``), district
   (``adm_2``) and deaths (``best``; also "within low-high"). The held-out fifth
   (``id % 5 == 0``) is the score; the rules are developed on the other four
   fifths (``--ged-split dev``) without looking at it.

Baseline in the same run: the naive regular-expression reader a newcomer would
write (the published day, the first number before "killed/dead", one keyword per
event type, the first place the geoparser finds in the whole text).
Run: ``.venv/bin/python benchmarks/eval_extract.py [--ged ../shared/data/ucdp_ged_pakistan_1989_2014.csv]``.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import time
from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz

from truceline.extraction.reader import ExtractedEvent, Reader

#: The code this benchmark times (tests/unit/benchmarks/test_code_paths.py imports each).
CODE_PATHS = ("truceline.extraction.reader.Reader.read",)

HERE = Path(__file__).resolve().parent
STATEMENTS = HERE / "data" / "extraction_statements.jsonl"
DEFAULT_GED = HERE.parents[1] / "shared" / "data" / "ucdp_ged_pakistan_1989_2014.csv"
NAIVE_TYPES = (("air_drone_strike", "strike"), ("suicide_bomb", "suicide"), ("armed_clash", "clash"),
               ("remote_explosive_landmine_ied", "blast"), ("arrests", "arrest"))  # fmt: skip


def naive_read(reader: Reader, text: str, published: date | None) -> dict[str, Any]:
    killed = re.search(r"(\d+)\s+(?:\w+\s+)?(?:killed|dead)", text)
    kind = next((k for k, word in NAIVE_TYPES if word in text.lower()), "attack")
    places = reader.geoparser.locate(text)
    return {
        "occurred_on": published.isoformat() if published else None,
        "found": True,
        "event_type": kind,
        "perpetrator": None,
        "admin1": places[0].admin1 if places else None,
        "admin2": places[0].admin2 if places else None,
        "killed": int(killed.group(1)) if killed else 0,
        "injured": 0,
        "captured": 0,
    }


def reader_read(reader: Reader, text: str, published: date | None) -> dict[str, Any]:
    events = reader.read(text, published=published)
    first: ExtractedEvent | None = events[0] if events else None
    if first is None:
        return {"found": False, "occurred_on": None, "event_type": None, "perpetrator": None, "admin1": None,
                "admin2": None, "killed": 0, "injured": 0, "captured": 0}  # fmt: skip
    data = first.as_json()
    data["found"] = True
    data["admin1"] = (data["location"] or {}).get("admin1")
    data["admin2"] = (data["location"] or {}).get("admin2")
    return data


#: Provinces renamed or merged since UCDP coded them (FATA joined Khyber Pakhtunkhwa in 2018).
PROVINCE_NOW = {"federally administered tribal areas": "khyber pakhtunkhwa"}


def same_province(found: str | None, truth: str | list[str] | None) -> bool:
    """The same province or district, whatever the spelling ("Kurram agency" is Kurram)."""
    if isinstance(truth, list):
        return any(same_province(found, one) for one in truth)
    if not found or not truth:
        return found == truth
    truth = PROVINCE_NOW.get(truth.lower(), truth)
    clean = [
        re.sub(r"\b(province|agency|district|tehsil)\b|[-']", " ", x.lower()).split()
        for x in (found, truth)
    ]
    a, b = (" ".join(words) for words in clean)
    return bool(fuzz.ratio(a, b) >= 85 or (a and b and (a in b or b in a)))


def score(rows: list[tuple[dict[str, Any], dict[str, Any]]], fields: list[str]) -> dict[str, float]:
    hits: dict[str, int] = defaultdict(int)
    scored: dict[str, int] = defaultdict(int)
    for found, truth in rows:
        for name in fields:
            if name == "admin2" and not truth.get("admin2"):
                continue  # no district to find (a province-wide or two-country text)
            scored[name] += 1
            if name in ("admin1", "admin2"):
                hits[name] += same_province(found.get(name), truth.get(name))
            elif name == "found":
                hits[name] += bool(found.get("found"))
            elif name == "killed_in_range":
                hits[name] += truth["low"] <= found["killed"] <= truth["high"]
            else:
                hits[name] += found.get(name) == truth.get(name)
    return {name: hits[name] / max(scored[name], 1) for name in fields}


def statements(reader: Reader, split: str) -> tuple[dict[str, dict[str, float]], int, float]:
    items = [
        json.loads(line)
        for line in STATEMENTS.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    items = [i for i in items if i["split"] == split]
    fields = [
        "found",
        "occurred_on",
        "event_type",
        "perpetrator",
        "admin1",
        "admin2",
        "killed",
        "injured",
        "captured",
    ]
    results: dict[str, dict[str, float]] = {}
    elapsed = 0.0
    for name, read in (("reader", reader_read), ("naive", naive_read)):
        started = time.perf_counter()
        pairs = [
            (read(reader, i["text"], date.fromisoformat(i["published"])), i["label"]) for i in items
        ]
        if name == "reader":
            elapsed = time.perf_counter() - started
        results[name] = score(pairs, fields)
    return results, len(items), elapsed


def ged(reader: Reader, path: Path, split: str) -> tuple[dict[str, dict[str, float]], int, float]:
    rows = [r for r in csv.DictReader(path.open(encoding="utf-8")) if r["source_headline"].strip()]
    held_out = [r for r in rows if (int(r["id"]) % 5 == 0) == (split == "held_out")]
    results: dict[str, dict[str, float]] = {}
    elapsed = 0.0
    for name, read in (("reader", reader_read), ("naive", naive_read)):
        pairs = []
        started = time.perf_counter()
        for row in held_out:
            text = row["source_headline"].split(";")[0]
            published = (
                date.fromisoformat(row["source_date"].split(";")[0][:10])
                if row["source_date"]
                else None
            )
            truth = {"occurred_on": row["date_start"][:10], "admin1": row["adm_1"], "admin2": row["adm_2"],
                     "killed": int(row["best"]), "low": int(row["low"]), "high": int(row["high"])}  # fmt: skip
            pairs.append((read(reader, text, published), truth))
        if name == "reader":
            elapsed = time.perf_counter() - started
        results[name] = score(
            pairs, ["found", "occurred_on", "admin1", "admin2", "killed", "killed_in_range"]
        )
    return results, len(held_out), elapsed


def show(title: str, results: dict[str, dict[str, float]], n: int, elapsed: float) -> None:
    print(f"\n{title}: {n} documents, reader {n / elapsed:,.0f} documents/s")
    print(f"{'field':<18}{'reader':>9}{'naive':>9}")
    for name in results["reader"]:
        print(f"{name:<18}{results['reader'][name]:>9.0%}{results['naive'][name]:>9.0%}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ged", type=Path, default=DEFAULT_GED)
    parser.add_argument(
        "--ged-split",
        choices=("held_out", "dev"),
        default="held_out",
        help="score GED's held-out fifth (the figure to report) or the four fifths to develop on",
    )
    args = parser.parse_args()
    reader = Reader()
    reader.read("Warm-up: an attack by the TTP in Kabul killed two.", published=None)
    show("Hand-labelled statements the rules were written with", *statements(reader, "dev"))
    show("Hand-labelled statements written afterwards (held out)", *statements(reader, "held_out"))
    if args.ged.is_file():
        title = "held-out fifth" if args.ged_split == "held_out" else "development four fifths"
        show(f"UCDP GED headlines ({title})", *ged(reader, args.ged, args.ged_split))
    else:
        print(f"\n{args.ged} not found: GED evaluation skipped")


if __name__ == "__main__":
    main()
