"""Accuracy of ``geo locate`` on UCDP GED place descriptions the gazetteer never saw.

    .venv/bin/python benchmarks/eval_geolocate.py [--ged PATH] [--without-ged] [--show-misses N]
        [--split dev|test|all]

The held-out events are split again by a second hash: ``dev`` (half of them) is the
part whose misses may be looked at while tuning; ``test`` (the other half) is the
part to quote, never inspected. A naive baseline (the longest exact gazetteer
name in the description, its first entry, no context) runs on the same rows, and
the run ends with the throughput of ``locate_many`` on them.

Takes the GED events held out of the gazetteer build (``is_held_out``: 20% of
event ids by hash), keeps those with ``where_prec`` 1 or 2, geoparses their
``where_description`` and counts a hit when the top match lies within 25 km
(geodesic) of GED's own coordinates. Reports the hit rate over all of them and
the share with no match at all, and the same over the events whose GED place
(name and point) never occurs in the training split, a stricter test: many
held-out events happen in towns the training events also name. ``--without-ged`` first rebuilds the gazetteer in
memory from the other sources only, to show what the GED training names add.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from pathlib import Path

from truceline.geo.border import WGS84
from truceline.geo.build_gazetteer import DEFAULT_GED, build, is_held_out, read_ged_rows
from truceline.geo.gazetteer import Gazetteer, Place, default_gazetteer
from truceline.geo.geoparse import Geoparser, Match
from truceline.geo.mentions import tokenize

#: The code this benchmark times (tests/unit/benchmarks/test_code_paths.py imports each).
CODE_PATHS = ("truceline.geo.geoparse.Geoparser",)

HIT_KM = 25.0
FAR_KM = 100.0


def evaluation_rows(ged: Path) -> list[dict[str, str]]:
    """Held-out GED events located exactly (1) or within 25 km (2)."""
    return [
        row
        for row in read_ged_rows(ged)
        if is_held_out(row["id"]) and row["where_prec"] in ("1", "2")
    ]


def in_split(row: dict[str, str], split: str) -> bool:
    """``dev`` or ``test`` half of the held-out events (a second hash of the id)."""
    if split == "all":
        return True
    digest = hashlib.sha256(("dev" + row["id"].strip()).encode()).digest()
    is_dev = int.from_bytes(digest[:4], "big") % 2 == 0
    return is_dev == (split == "dev")


class Baseline:
    """The longest exact gazetteer name anywhere in the description; its first entry."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer

    def locate(self, text: str) -> list[Match]:
        words = tokenize(text).words
        for length in range(min(6, len(words)), 0, -1):
            for start in range(len(words) - length + 1):
                ids = self.gazetteer.by_name.get(" ".join(words[start : start + length]))
                if ids:
                    p = self.gazetteer.places[ids[0]]
                    return [
                        Match(
                            p.name,
                            p.lat,
                            p.lon,
                            p.country,
                            p.admin1,
                            p.admin2,
                            int(p.precision),
                            1.0,
                            p.kind,
                            p.id,
                            p.name,
                            p.sources,
                        )
                    ]
        return []


def place_key(row: dict[str, str]) -> tuple[str, float, float]:
    return (
        row["where_coordinates"].strip(),
        round(float(row["latitude"]), 4),
        round(float(row["longitude"]), 4),
    )


def training_place_keys(ged: Path) -> set[tuple[str, float, float]]:
    """GED places (name and point) that the training split, hence the gazetteer, has seen."""
    return {place_key(row) for row in read_ged_rows(ged) if not is_held_out(row["id"])}


def evaluate(
    parser: Geoparser | Baseline, rows: list[dict[str, str]], show_misses: int
) -> dict[str, object]:
    hits = unmatched = far = 0
    misses: list[str] = []
    by_precision: dict[str, list[int]] = {"1": [0, 0], "2": [0, 0]}
    for row in rows:
        by_precision[row["where_prec"]][1] += 1
        matches = parser.locate(row["where_description"])
        if not matches:
            unmatched += 1
            continue
        top = matches[0]
        _, _, metres = WGS84.inv(float(row["longitude"]), float(row["latitude"]), top.lon, top.lat)
        if metres / 1000.0 <= HIT_KM:
            hits += 1
            by_precision[row["where_prec"]][0] += 1
            continue
        if metres / 1000.0 > FAR_KM:
            far += 1
        if len(misses) < show_misses:
            misses.append(f"{row['where_description']!r} -> {top.name} ({metres / 1000:.0f} km)")
    total = len(rows)
    return {
        "events": total,
        "top_match_within_25km": round(hits / total, 4) if total else None,
        "no_match": round(unmatched / total, 4) if total else None,
        "top_match_over_100km_off": round(far / total, 4) if total else None,
        "within_25km_by_where_prec": {
            prec: {"events": n, "rate": round(h / n, 4) if n else None}
            for prec, (h, n) in by_precision.items()
        },
        "misses_shown": misses,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ged", type=Path, default=DEFAULT_GED)
    parser.add_argument("--without-ged", action="store_true", help="gazetteer built without GED")
    parser.add_argument("--show-misses", type=int, default=0)
    parser.add_argument("--split", choices=("dev", "test", "all"), default="test")
    args = parser.parse_args()
    if args.without_ged:
        document = build(None)
        places = [Place.from_record(r) for r in document["places"]]  # type: ignore[attr-defined]
        gazetteer = Gazetteer(places)
    else:
        gazetteer = default_gazetteer()
    rows = [row for row in evaluation_rows(args.ged) if in_split(row, args.split)]
    seen = training_place_keys(args.ged)
    geoparser = Geoparser(gazetteer)
    result: dict[str, object] = {"split": args.split}
    result.update(evaluate(geoparser, rows, args.show_misses))
    unseen = [row for row in rows if place_key(row) not in seen]
    result["events_at_places_unseen_in_training"] = evaluate(geoparser, unseen, 0)
    baseline = Baseline(gazetteer)
    result["baseline_longest_exact_name"] = {
        "all": evaluate(baseline, rows, 0),
        "unseen": evaluate(baseline, unseen, 0),
    }
    texts = [row["where_description"] for row in rows] * 5
    started = time.perf_counter()
    geoparser.locate_many(texts)
    elapsed = time.perf_counter() - started
    result["locate_many_descriptions_per_second"] = round(len(texts) / elapsed)
    result["gazetteer"] = (
        "without GED names" if args.without_ged else "shipped (GED training split)"
    )
    json.dump(result, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
