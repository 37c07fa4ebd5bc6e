"""Benchmark of the designations registry: alias resolution, ``covers`` look-ups, replay.

Run: ``.venv/bin/python benchmarks/bench_designations.py``. Each figure is
printed next to a baseline measured in the same run:
- resolution through the alias index vs a plain rapidfuzz scan of every alias;
- ``RegistryThreatDefinition.covers`` (dated positions, factions) vs the
  fixed-set ``StaticThreatDefinition``;
- a replay (two adjudication runs and a diff) vs a single adjudication run.
"""

from __future__ import annotations

import random
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from rapidfuzz import fuzz, process

from truceline.agreements.threat import StaticThreatDefinition
from truceline.db.engine import make_engine, transaction
from truceline.designations.definitions import definition_for, known_group_ids
from truceline.designations.domain.names import normalise_name
from truceline.designations.replay import replay
from truceline.designations.replay_adapter import adjudicate_facts
from truceline.designations.resolution import alias_index
from truceline.profile import initialise
from truceline.startup import wire

#: The code this benchmark times (tests/unit/benchmarks/test_code_paths.py imports each).
CODE_PATHS = (
    "truceline.designations.resolution.alias_index",
    "truceline.designations.definitions.definition_for",
    "truceline.designations.replay.replay",
)

QUERIES = [
    "TTP",
    "Tehreek-e-Taliban Pakistan",
    "Tehreek-i-Taliban Pakistan",
    "تحريك طالبان پاكستان",
    "فتنة الخوارج",
    "Majid Brigade",
    "Hafiz Gul Bahdur",
    "ISIS K",
    "Lashkar-e-Islaam",
    "Baloch Liberation Armi",
    "unknown gunmen",
    "Daesh Khorasan",
]


def timed(label: str, work: Callable[[], int], baseline: Callable[[], int], unit: str) -> None:
    start = time.perf_counter()
    count = work()
    ours = time.perf_counter() - start
    start = time.perf_counter()
    base_count = baseline()
    base = time.perf_counter() - start
    print(
        f"{label:<34} {count / ours:>12,.0f} {unit}/s   baseline {base_count / base:>12,.0f} {unit}/s"
        f"   ({ours:.2f}s vs {base:.2f}s)"
    )


def synthetic_facts(count: int) -> list[dict[str, object]]:
    rng = random.Random(17)
    start = datetime(2025, 10, 10, tzinfo=UTC)
    facts = []
    for i in range(count):
        when = start + timedelta(minutes=rng.randrange(60 * 24 * 40))
        group = rng.choice(["TTP", "JUA", "HGB", "BLA", "ISKP", "PK", "AF"])
        support = rng.random() < 0.5 and group not in {"PK", "AF"}
        facts.append(
            {
                "id": f"syn-{i}",
                "occurred_at": when.isoformat(),
                "location": {"lat": 32.0 + rng.random() * 3, "lon": 69.0 + rng.random() * 2},
                "event_type": "headquarters_or_base_established" if support else "armed_clash",
                "perpetrator": group,
                "attribution": [
                    {
                        "party": "AF",
                        "link": rng.choice(["facilitated", "tolerated"]),
                        "established": rng.random() < 0.5,
                    }
                ]
                if group not in {"PK", "AF"}
                else [],
                "targets": [] if support else ["security_forces"],
                "fatalities": {"security_forces": rng.randrange(5)},
            }
        )
    return facts


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(f"sqlite:///{Path(folder) / 'bench.sqlite3'}")
        initialise(engine)
        with transaction(engine) as session:
            run(session)
        engine.dispose()


def run(session: object) -> None:
    from sqlalchemy.orm import Session

    assert isinstance(session, Session)
    index = alias_index(session)
    names = QUERIES * 1000
    keys = list(index.exact)

    def ours() -> int:
        for name in names:
            index.resolve(name)
        return len(names)

    def scan() -> int:
        for name in names:
            process.extractOne(normalise_name(name), keys, scorer=fuzz.WRatio, score_cutoff=85)
        return len(names)

    timed("alias resolution (12k names)", ours, scan, "names")

    pk = definition_for(session, "PK")
    static = StaticThreatDefinition.of("static", ["TTP", "BLA", "BLF", "HGB", "LEI"])
    instants = [datetime(2025, 10, 1, tzinfo=UTC) + timedelta(hours=h) for h in range(1000)]
    groups = ["TTP", "JUA", "BLA_MB", "ISKP", "TTA"]

    def covers(definition: object) -> Callable[[], int]:
        def work() -> int:
            for at in instants:
                for _ in range(40):
                    for group in groups:
                        definition.covers(group, at=at)  # type: ignore[attr-defined]
            return len(instants) * 40 * len(groups)

        return work

    timed("covers() look-ups (200k)", covers(pk), covers(static), "calls")

    facts = synthetic_facts(20_000)
    known = known_group_ids(session)
    joint = definition_for(session, "joint")

    def one_replay() -> int:
        report = replay(session, candidate=pk, baseline=joint, facts=facts)
        print(f"  replay changed {report['changed']} of {report['findings']} findings")
        return len(facts)

    def one_run() -> int:
        adjudicate_facts(session, facts, known_groups=known, definition=joint)
        return len(facts)

    timed("replay PK vs joint (20k incidents)", one_replay, one_run, "incidents")


if __name__ == "__main__":
    wire()  # the audit capture and event subscriptions, as the app and CLI do
    main()
