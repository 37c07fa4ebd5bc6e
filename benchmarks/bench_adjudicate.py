"""Adjudications per second, against the cost of loading and validating the same facts.

Generates N synthetic incidents (seeded) as one JSON document, then measures
in the same run:

1. baseline: ``json.loads`` + ``parse_facts`` (loading and validating facts);
2. adjudication of the validated facts against the built-in profile, with the
   fallback joint definition, building every finding with its explanation and
   facts hash.

Goal: at least 50,000 incidents/s and adjudication under 2x the baseline.
Times are CPU seconds of this process (``time.process_time``), so the
figures stay comparable on a busy machine; the run is single-threaded.
Run: ``.venv/bin/python benchmarks/bench_adjudicate.py [--incidents N] [--seed S]``.
"""

from __future__ import annotations

import argparse
import json
import random
import time
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from truceline.agreements.adjudication import Adjudicator
from truceline.agreements.documents import builtin_index
from truceline.agreements.facts import parse_facts
from truceline.agreements.threat import StaticThreatDefinition

#: The code this benchmark times (tests/unit/benchmarks/test_code_paths.py imports each).
CODE_PATHS = ("truceline.agreements.adjudication.Adjudicator",)

#: The registry's stable group ids, and a joint list that names nobody and leaves the
#: disputed groups undecided: fixed inputs so that these tests do not depend on the seed data.
TEST_GROUP_IDS = frozenset({"TTP", "ISKP", "BLA", "BLF", "HGB", "JUA", "LEI", "TTA"})
TEST_JOINT = StaticThreatDefinition(
    name="the joint list (test fixture)",
    group_ids=frozenset(),
    undecided=frozenset({"TTP", "BLA", "BLF"}),
)

START = datetime(2025, 10, 10, tzinfo=UTC)
SPAN_SECONDS = 35 * 24 * 3600
OFFSETS = [timezone(timedelta(hours=5)), timezone(timedelta(hours=4, minutes=30)), UTC]
EVENT_TYPES = [
    "air_drone_strike",
    "suicide_bomb",
    "armed_clash",
    "shelling_artillery_missile_attack",
    "remote_explosive_landmine_ied",
    "cross_border_fire",
    "incursion",
    "headquarters_or_base_established",
    "peaceful_protest",
]
PERPETRATORS = ["AF", "PK", "TTP", "ISKP", "BLA", "BLF", "HGB", "JUA", "unknown"]
TARGETS = ["security_forces", "civilians", "critical_infrastructure", "territory", "militants"]
LINKS = ["directed", "facilitated", "sanctioned", "tolerated", "none"]


def synthetic_incident(rng: random.Random, number: int) -> dict[str, Any]:
    moment = START + timedelta(seconds=rng.randrange(SPAN_SECONDS))
    location: dict[str, Any] | None = {
        "lat": round(rng.uniform(24.0, 38.0), 4),
        "lon": round(rng.uniform(60.0, 78.5), 4),
    }
    if rng.random() < 0.3:
        location["country"] = rng.choice(["AF", "PK"])  # type: ignore[index]
    if rng.random() < 0.02:
        location = None
    perpetrator = rng.choice(PERPETRATORS)
    attribution = []
    if perpetrator not in {"AF", "PK"} and rng.random() < 0.5:
        attribution.append(
            {
                "party": rng.choice(["AF", "PK"]),
                "link": rng.choice(LINKS),
                "established": rng.random() < 0.3,
            }
        )
    return {
        "id": f"synthetic-{number}",
        "occurred_at": moment.astimezone(rng.choice(OFFSETS)).isoformat(),
        "location": location,
        "event_type": rng.choice(EVENT_TYPES),
        "perpetrator": perpetrator,
        "attribution": attribution,
        "targets": rng.sample(TARGETS, rng.randint(0, 2)),
        "fatalities": {"civilians": rng.randint(0, 5), "security_forces": rng.randint(0, 5)},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--incidents", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=20251019)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    text = json.dumps([synthetic_incident(rng, n) for n in range(args.incidents)])
    print(f"incidents: {args.incidents:,} (seed {args.seed}), {len(text) / 1e6:.0f} MB of JSON")

    started = time.process_time()
    facts, errors = parse_facts(json.loads(text), known_groups=TEST_GROUP_IDS)
    validate_s = time.process_time() - started
    assert not errors, errors[:3]
    del text

    adjudicator = Adjudicator(builtin_index(), definition=TEST_JOINT, known_groups=TEST_GROUP_IDS)
    started = time.process_time()
    produced = 0
    for item in facts:
        produced += len(adjudicator.adjudicate(item))
    adjudicate_s = time.process_time() - started

    n = args.incidents
    print(
        f"baseline  load + validate : {validate_s:7.2f} CPU s  {n / validate_s:>10,.0f} incidents/s"
    )
    print(
        f"adjudicate               : {adjudicate_s:7.2f} CPU s  {n / adjudicate_s:>10,.0f} incidents/s"
    )
    print(f"findings produced        : {produced:,}")
    print(f"adjudication / baseline  : {adjudicate_s / validate_s:.2f}x  (goal < 2x)")
    goal_met = n / adjudicate_s >= 50_000 and adjudicate_s < 2 * validate_s
    print(f"goal (>= 50,000/s and < 2x baseline): {'met' if goal_met else 'NOT met'}")


if __name__ == "__main__":
    main()
