"""Audit log benchmarks: append cost, checkpoint cost, proof size and verify time.

Code paths timed: ``truceline.audit.log.append_entry`` (with the commit that writes
it), ``truceline.audit.checkpoints.create_checkpoint``, ``prove_inclusion`` and
``prove_consistency``, ``truceline.audit.verify.verify_export`` and the RFC 9162
proof code of ``truceline.audit.merkle``.

Run: ``.venv/bin/python benchmarks/bench_audit.py`` (add ``--postgres URL`` to also
measure appends and checkpoints on PostgreSQL; URL of a server where the user may
create a scratch database). Each figure is printed next to its baseline from the
same run:

1. append: transactions that write one incident row, with and without the
   ``append_entry`` that records it; and ``append_entry`` alone against a raw
   insert of a comparable row.
2. checkpoint: on a database pre-filled with ``--db-entries`` entries, the first
   checkpoint (integrates everything), then one after 1,000 more entries; the
   baseline is recomputing the root from every stored leaf (what a checkpoint
   would cost without stored subtree hashes). Proofs served from the database.
3. proofs at 1k … 10M entries: the tree is built in memory (``MemoryTree``, the
   same code path as the database's node source but without a database, since
   filling a database with 10M rows takes too long for a routine run); proof
   length and verify time against the baseline of recomputing the root.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import multiprocessing
import random
import resource
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, insert, select, text
from sqlalchemy.engine import make_url

from truceline.audit.checkpoints import create_checkpoint, prove_consistency, prove_inclusion
from truceline.audit.hashing import canonical_json, content_hash, leaf_hash
from truceline.audit.keys import PrivateKey, generate_key
from truceline.audit.log import Actor, append_entry
from truceline.audit.merkle import (
    Frontier,
    MemoryTree,
    consistency_proof,
    inclusion_proof,
    verify_consistency,
    verify_inclusion,
)
from truceline.audit.models import AuditEntry
from truceline.audit.notes import Checkpoint, Note, sign_note_body
from truceline.audit.tree import log_size
from truceline.audit.verify import verify_export
from truceline.db.engine import make_engine, session_factory, transaction
from truceline.incidents.models import Incident
from truceline.profile import initialise
from truceline.startup import wire

#: The code this benchmark times (tests/unit/benchmarks/test_code_paths.py imports each).
CODE_PATHS = (
    "truceline.audit.log.append_entry",
    "truceline.audit.checkpoints.create_checkpoint",
    "truceline.audit.checkpoints.prove_inclusion",
    "truceline.audit.checkpoints.prove_consistency",
    "truceline.audit.verify.verify_export",
    "truceline.audit.merkle.inclusion_proof",
)

ORIGIN = "bench.truceline/audit"
ACTOR = Actor(name="liaison-af", role="party_liaison", party="AF")
NOW = datetime(2025, 10, 15, 12, 0, tzinfo=UTC)
ROUNDS = 5


def incident_row(number: int) -> dict[str, object]:
    return {
        "code": f"BENCH-{uuid.uuid4().hex[:12]}-{number}",
        "title": "Cross-border fire near Spin Boldak",
        "occurred_at": NOW,
        "time_precision": 1,
        "lat": 31.0,
        "lon": 66.4,
        "geo_precision": 2,
        "place_name": "Spin Boldak",
        "event_type": "armed_clash",
        "perpetrator": "unknown",
        "perpetrator_label": "",
        "target_label": "",
        "targets": [],
        "casualties": {},
        "attribution": [],
        "verification_state": "reported",
        "released": False,
        "notes": "",
        "origin_record": {},
        "created_at": NOW,
        "updated_at": NOW,
    }


def rate(count: int, seconds: float) -> str:
    return f"{count / seconds:10.0f}/s ({seconds / count * 1e6:8.1f} µs each)"


def timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def bench_append(engine: Engine, count: int) -> None:
    factory = session_factory(engine)

    def orm_writes(with_audit: bool) -> None:
        for number in range(count):
            with factory() as session, session.begin():
                incident = Incident(**incident_row(number))  # type: ignore[arg-type]
                session.add(incident)
                if with_audit:
                    session.flush()
                    append_entry(
                        session,
                        actor=ACTOR,
                        action="incident.create",
                        object_type="incident",
                        object_id=incident.id,
                        after=incident_row(number),
                    )
                else:
                    session.flush()

    def raw_inserts() -> None:
        for number in range(count):
            with engine.begin() as conn:
                conn.execute(insert(Incident.__table__), [incident_row(number)])

    def appends_alone() -> None:
        for number in range(count):
            with factory() as session, session.begin():
                append_entry(
                    session,
                    actor=ACTOR,
                    action="incident.update",
                    object_type="incident",
                    object_id=number,
                    before={"state": "reported"},
                    after=incident_row(number),
                )

    orm_writes(False)  # warm-up
    appends_alone()
    # Interleave the variants in rounds and keep each one's median: the machine is shared.
    rounds: dict[str, list[float]] = {"plain": [], "audited": [], "raw": [], "alone": []}
    cpu: dict[str, list[float]] = {"plain": [], "audited": []}
    for _ in range(ROUNDS):
        for name, with_audit in (("plain", False), ("audited", True)):
            started = time.process_time()
            rounds[name].append(timed(lambda: orm_writes(with_audit)))  # noqa: B023
            cpu[name].append(time.process_time() - started)
        rounds["raw"].append(timed(raw_inserts))
        rounds["alone"].append(timed(appends_alone))
    plain, audited, raw, alone = (statistics.median(rounds[k]) for k in rounds)
    plain_cpu, audited_cpu = statistics.median(cpu["plain"]), statistics.median(cpu["audited"])
    print(f"  incident write, no audit (baseline)  {rate(count, plain)}")
    print(f"  incident write + append_entry        {rate(count, audited)}")
    print(f"  -> append adds {100 * (audited - plain) / plain:5.1f}% to the write it records")
    print(f"  -> in CPU time of this process: {plain_cpu / count * 1e6:7.1f} µs and "
          f"{audited_cpu / count * 1e6:7.1f} µs, "
          f"+{100 * (audited_cpu - plain_cpu) / plain_cpu:4.1f}%")  # fmt: skip
    print(f"  raw insert of an incident (baseline) {rate(count, raw)}")
    print(f"  append_entry alone, own transaction  {rate(count, alone)}")


def fill_log(engine: Engine, count: int) -> None:
    """Write ``count`` well-formed entries directly (bulk), as append_entry would.

    They follow the entries already there (``initialise`` writes some: the profile).
    """
    with transaction(engine) as session:
        first = log_size(session)
    batch: list[dict[str, object]] = []
    for seq in range(first, first + count):
        body = {
            "recorded_at": NOW.isoformat(),
            "actor": ACTOR.name,
            "role": ACTOR.role,
            "party": ACTOR.party,
            "action": "incident.update",
            "object_type": "incident",
            "object_id": str(seq),
            "before_hash": None,
            "after_hash": content_hash({"n": seq}),
        }
        canonical = canonical_json(body)
        batch.append(
            {
                **body,
                "seq": seq,
                "recorded_at": NOW,
                "canonical": canonical,
                "leaf_hash": leaf_hash(canonical.encode()).hex(),
            }
        )
        if len(batch) == 20000 or seq == first + count - 1:
            with engine.begin() as conn:
                conn.execute(insert(AuditEntry.__table__), batch)
            batch = []


def bench_checkpoint(engine: Engine, entries: int, keys_dir: Path) -> None:
    fill_log(engine, entries)

    def recompute_root() -> bytes:
        with transaction(engine) as session:
            frontier = Frontier()
            for digest in session.scalars(select(AuditEntry.leaf_hash).order_by(AuditEntry.seq)):
                frontier.append(bytes.fromhex(digest))
            return frontier.root()

    def checkpoint() -> int:
        with transaction(engine) as session:
            return create_checkpoint(session, keys_dir=keys_dir, origin=ORIGIN).tree_size

    baseline = timed(recompute_root)
    first = timed(checkpoint)
    with transaction(engine) as session:
        for number in range(1000):
            append_entry(session, actor=ACTOR, action="x", object_type="x", object_id=number)
    incremental = timed(checkpoint)
    empty = timed(checkpoint)
    print(f"  recompute root from all {entries} leaves (baseline)  {baseline * 1e3:9.1f} ms")
    print(f"  first checkpoint (integrates all {entries})          {first * 1e3:9.1f} ms")
    print(f"  checkpoint after 1,000 new entries                   {incremental * 1e3:9.1f} ms")
    print(f"  checkpoint with nothing new                          {empty * 1e3:9.1f} ms")
    with transaction(engine) as session:
        size = log_size(session)
        seqs = random.sample(range(size), 50)
        start = time.perf_counter()
        proofs = [prove_inclusion(session, seq) for seq in seqs]
        inclusion_ms = (time.perf_counter() - start) / len(seqs) * 1e3
        start = time.perf_counter()
        consistency = prove_consistency(session, entries // 3)
        consistency_ms = (time.perf_counter() - start) * 1e3
    longest = max(len(proof.proof) for proof in proofs)
    print(
        f"  inclusion proof from the database at {size}: {inclusion_ms:6.2f} ms, ≤{longest} hashes"
    )
    print(
        f"  consistency proof from the database:           {consistency_ms:6.2f} ms, "
        f"{len(consistency.proof)} hashes"
    )


def first_checkpoint_memory(entries: int) -> tuple[int, float, float, float, float]:
    """In a fresh process: fill the log, then time the first checkpoint and read peak memory."""
    with scratch_database("sqlite", None) as engine, tempfile.TemporaryDirectory() as keys:
        generate_key(ORIGIN, "log", directory=Path(keys))
        fill_log(engine, entries)
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        started, cpu_started = time.perf_counter(), time.process_time()
        with transaction(engine) as session:
            size = create_checkpoint(session, keys_dir=Path(keys), origin=ORIGIN).tree_size
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
        after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return size, seconds, cpu, before, after


def bench_checkpoint_memory(sizes: list[int]) -> None:
    for entries in sizes:
        with multiprocessing.get_context("spawn").Pool(1) as pool:
            size, seconds, cpu, before, after = pool.apply(first_checkpoint_memory, (entries,))
        print(f"  first checkpoint of {size} entries: {seconds:6.1f} s wall, {cpu:5.1f} s CPU; "
              f"peak RSS {before:.0f} MiB after filling, {after:.0f} MiB after the checkpoint")  # fmt: skip


def bench_proofs(sizes: list[int], samples: int) -> None:
    tree = MemoryTree()
    counter = 0
    print(
        f"  {'entries':>10} {'build s':>8} {'incl. hashes':>12} {'incl. verify µs':>15}"
        f" {'cons. hashes':>12} {'cons. verify µs':>15} {'root recompute ms':>17}"
    )
    for size in sizes:
        start = time.perf_counter()
        while counter < size:
            tree.append(hashlib.sha256(counter.to_bytes(8, "big")).digest())
            counter += 1
        build = time.perf_counter() - start
        root = tree.root()
        rng = random.Random(size)
        inclusion = [(i, inclusion_proof(tree, i, size)) for i in rng.sample(range(size), samples)]
        olds = [rng.randrange(1, size) for _ in range(samples)]
        consistency = [(m, tree.root(m), consistency_proof(tree, m, size)) for m in olds]
        start = time.perf_counter()
        for index, proof in inclusion:
            assert verify_inclusion(tree.node(0, index), index, size, proof, root)
        incl_us = (time.perf_counter() - start) / samples * 1e6
        start = time.perf_counter()
        for old, old_root, proof in consistency:
            assert verify_consistency(old, size, old_root, root, proof)
        cons_us = (time.perf_counter() - start) / samples * 1e6
        recompute = timed(partial(_recompute, tree, size)) * 1e3
        incl_len = statistics.mean(len(p) for _, p in inclusion)
        cons_len = statistics.mean(len(p) for *_, p in consistency)
        print(
            f"  {size:>10} {build:8.1f} {incl_len:12.1f} {incl_us:15.1f}"
            f" {cons_len:12.1f} {cons_us:15.1f} {recompute:17.1f}"
        )


def bench_verify(entries: int, key: PrivateKey) -> None:
    """Write a synthetic export of ``entries`` (one signed checkpoint) and verify it offline."""
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "audit.jsonl"
        frontier = Frontier()
        with path.open("w", encoding="utf-8") as out:
            header = {"type": "header", "format": "truceline-audit-log", "version": 1}
            header.update(origin=ORIGIN, exported_at=NOW.isoformat(), entries=entries)
            out.write(json.dumps({**header, "checkpoints": 1}) + "\n")
            for seq in range(entries):
                canonical = canonical_json({"action": "incident.update", "object_id": str(seq)})
                digest = leaf_hash(canonical.encode())
                frontier.append(digest)
                record = {"type": "entry", "seq": seq, "leaf_hash": digest.hex()}
                out.write(json.dumps({**record, "canonical": canonical}) + "\n")
            body = Checkpoint(ORIGIN, entries, frontier.root(), int(time.time()) + 1).body()
            note = Note(body, (sign_note_body(body, ORIGIN, key.signing_key),))
            out.write(json.dumps({"type": "checkpoint", "note": note.text()}) + "\n")
        megabytes = path.stat().st_size / 1e6
        start = time.perf_counter()
        report = verify_export(path, [key.public])
        seconds = time.perf_counter() - start
    assert report.valid, report.errors[:3]
    print(
        f"  verify an export of {entries} entries ({megabytes:.0f} MB): {seconds:.1f} s, "
        f"{entries / seconds:,.0f} entries/s"
    )


def _recompute(tree: MemoryTree, size: int) -> bytes:
    frontier = Frontier()
    for index in range(size):
        frontier.append(tree.node(0, index))
    return frontier.root()


def _fsync_every_commit(dbapi_connection: Any, _record: Any) -> None:
    """synchronous=FULL: each commit reaches the disk, as a deployment that must not lose data."""
    dbapi_connection.execute("PRAGMA synchronous=FULL")


@contextmanager
def scratch_database(kind: str, postgres_url: str | None) -> Iterator[Engine]:
    if kind.startswith("sqlite"):
        with tempfile.TemporaryDirectory() as directory:
            engine = make_engine(f"sqlite:///{directory}/bench.sqlite3")
            if kind == "sqlite-durable":
                event.listen(engine, "connect", _fsync_every_commit)
            initialise(engine)
            yield engine
            engine.dispose()
        return
    assert postgres_url
    admin = create_engine(postgres_url, isolation_level="AUTOCOMMIT")
    name = f"tl_bench_{uuid.uuid4().hex[:10]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(postgres_url).set(database=name).render_as_string(hide_password=False)
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(text("CREATE EXTENSION IF NOT EXISTS postgis"))
        initialise(engine)
        yield engine
    finally:
        engine.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--appends", type=int, default=400, help="transactions per round")
    parser.add_argument("--db-entries", type=int, default=200_000)
    parser.add_argument("--sizes", default="1000,100000,1000000,10000000")
    parser.add_argument("--samples", type=int, default=200)
    parser.add_argument("--export-entries", type=int, default=1_000_000)
    parser.add_argument("--postgres", help="PostgreSQL server URL for a scratch database")
    parser.add_argument(
        "--checkpoint-memory", default="", help="log sizes for the first checkpoint's memory"
    )
    args = parser.parse_args(argv)
    back_ends = ["sqlite", "sqlite-durable", *(["postgres"] if args.postgres else [])]
    with tempfile.TemporaryDirectory() as keys:
        log_key = generate_key(ORIGIN, "log", directory=Path(keys))
        for kind in back_ends:
            print(f"[{kind}] append ({ROUNDS} interleaved rounds of {args.appends} transactions)")
            with scratch_database(kind, args.postgres) as engine:
                bench_append(engine, args.appends)
            if kind == "sqlite-durable":
                continue
            print(f"[{kind}] checkpoint and proofs from the database")
            with scratch_database(kind, args.postgres) as engine:
                bench_checkpoint(engine, args.db_entries, Path(keys))
        print("[offline] verifier (streams the file twice; memory O(log n))")
        bench_verify(args.export_entries, log_key)
    if args.checkpoint_memory:
        print("[sqlite] first checkpoint, each size in a fresh process")
        bench_checkpoint_memory([int(size) for size in args.checkpoint_memory.split(",")])
    print("[memory] proofs (tree built in memory with the same Merkle code)")
    bench_proofs([int(size) for size in args.sizes.split(",")], args.samples)


if __name__ == "__main__":
    wire()  # the audit capture and event subscriptions, as the app and CLI do
    main()
