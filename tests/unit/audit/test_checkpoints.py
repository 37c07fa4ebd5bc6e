from __future__ import annotations

import threading
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select, text
from sqlalchemy.exc import DBAPIError

from support_audit import ORIGIN, append_entries, current_size
from truceline.audit.checkpoints import (
    checkpoint_due,
    create_checkpoint,
    full_note,
    prove_consistency,
    prove_inclusion,
)
from truceline.audit.export import export_log
from truceline.audit.hashing import leaf_hash
from truceline.audit.keys import PrivateKey
from truceline.audit.merkle import root_of_leaves, verify_consistency, verify_inclusion
from truceline.audit.models import AuditEntry, AuditTreeNode
from truceline.audit.notes import parse_checkpoint_body, parse_note, verify_note_signature
from truceline.audit.tree import TreeError
from truceline.audit.verify import verify_export
from truceline.db.engine import transaction


def stored_leaves(engine: Engine) -> list[bytes]:
    with transaction(engine) as session:
        rows = session.scalars(select(AuditEntry.leaf_hash).order_by(AuditEntry.seq)).all()
    return [bytes.fromhex(value) for value in rows]


def test_checkpoint_signs_the_root_of_every_entry(engine: Engine, log_key: PrivateKey) -> None:
    before = current_size(engine)
    append_entries(engine, 20)
    with transaction(engine) as session:
        row = create_checkpoint(session, keys_dir=log_key.path.parent, origin=ORIGIN)
        note = parse_note(full_note(session, row))
    leaves = stored_leaves(engine)
    checkpoint = parse_checkpoint_body(note.body)
    assert checkpoint.size == row.tree_size == len(leaves) == before + 20
    assert checkpoint.root_hash == root_of_leaves(leaves)
    assert verify_note_signature(note.body, note.signatures[0], log_key.public)


def test_checkpoints_extend_the_stored_tree_without_rehashing_old_entries(
    engine: Engine, log_key: PrivateKey
) -> None:
    for batch in (37, 1, 90):
        append_entries(engine, batch)
        with transaction(engine) as session:
            row = create_checkpoint(session, keys_dir=log_key.path.parent, origin=ORIGIN)
        assert bytes.fromhex(row.root_hash) == root_of_leaves(stored_leaves(engine))
    with transaction(engine) as session:
        levels = dict(
            session.execute(
                select(AuditTreeNode.level, func.count()).group_by(AuditTreeNode.level)
            ).all()
        )
    total = len(stored_leaves(engine))
    # Only every 4th level is stored: one row per complete subtree of 16, 256, ... leaves.
    assert levels == {level: total >> level for level in (4, 8, 12) if total >> level}
    assert sum(levels.values()) <= total // 15


def test_proofs_from_the_database_verify_against_the_checkpoint(
    engine: Engine, log_key: PrivateKey
) -> None:
    append_entries(engine, 40)
    with transaction(engine) as session:
        first = create_checkpoint(session, keys_dir=log_key.path.parent, origin=ORIGIN)
    append_entries(engine, 60)
    with transaction(engine) as session:
        second = create_checkpoint(session, keys_dir=log_key.path.parent, origin=ORIGIN)
        inclusions = [prove_inclusion(session, seq) for seq in (0, 17, 40, second.tree_size - 1)]
        consistency = prove_consistency(session, first.tree_size)
    for proof in inclusions:
        assert proof.root_hash.hex() == second.root_hash
        assert verify_inclusion(
            proof.leaf_hash, proof.seq, proof.tree_size, proof.proof, proof.root_hash
        )
    assert verify_consistency(
        first.tree_size,
        second.tree_size,
        bytes.fromhex(first.root_hash),
        bytes.fromhex(second.root_hash),
        consistency.proof,
    )


def test_proofs_beyond_the_latest_checkpoint_are_refused(
    engine: Engine, log_key: PrivateKey
) -> None:
    append_entries(engine, 3)
    with transaction(engine) as session:
        create_checkpoint(session, keys_dir=log_key.path.parent, origin=ORIGIN)
    append_entries(engine, 3)
    size = current_size(engine)
    with transaction(engine) as session, pytest.raises(LookupError, match="latest checkpoint"):
        prove_inclusion(session, size - 1, size)
    with transaction(engine) as session, pytest.raises(LookupError, match="not in the tree"):
        prove_inclusion(session, size - 1)


def test_a_checkpoint_is_due_when_entries_wait_too_long_or_pile_up(
    engine: Engine, log_key: PrivateKey
) -> None:
    hour = timedelta(hours=1)
    with transaction(engine) as session:
        assert checkpoint_due(session, max_age=hour, max_pending=100)  # never signed
        create_checkpoint(session, keys_dir=log_key.path.parent, origin=ORIGIN)
        assert not checkpoint_due(session, max_age=hour, max_pending=100)  # nothing new
    append_entries(engine, 5)
    with transaction(engine) as session:
        assert not checkpoint_due(session, max_age=hour, max_pending=100)
        assert checkpoint_due(session, max_age=hour, max_pending=5)
        assert checkpoint_due(session, max_age=timedelta(0), max_pending=100)


def test_signing_without_a_key_names_the_keys_directory(engine: Engine, tmp_path: Path) -> None:
    with transaction(engine) as session, pytest.raises(Exception, match="no log signing key"):
        create_checkpoint(session, keys_dir=tmp_path / "empty", origin=ORIGIN)


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_checkpoints SET root_hash = 'x'",
        "DELETE FROM audit_checkpoints",
        "UPDATE audit_tree_nodes SET hash = 'x'",
        "DELETE FROM audit_tree_nodes",
    ],
)
def test_database_refuses_to_rewrite_checkpoints_or_tree_nodes(
    engine: Engine, log_key: PrivateKey, statement: str
) -> None:
    append_entries(engine, 16)
    with transaction(engine) as session:
        create_checkpoint(session, keys_dir=log_key.path.parent, origin=ORIGIN)
    with pytest.raises(DBAPIError, match="append-only"), engine.begin() as conn:
        conn.execute(text(statement))


def _bypass_append_only_triggers(engine: Engine) -> None:
    """What a database superuser could do: switch the protection off."""
    with engine.begin() as conn:
        if engine.dialect.name == "sqlite":
            conn.execute(text("DROP TRIGGER audit_entries_no_update"))
        else:
            conn.execute(
                text("ALTER TABLE audit_entries DISABLE TRIGGER audit_entries_append_only")
            )


def test_a_superuser_edit_before_a_checkpoint_is_refused_by_the_signer(
    engine: Engine, log_key: PrivateKey
) -> None:
    append_entries(engine, 5)
    _bypass_append_only_triggers(engine)
    with engine.begin() as conn:
        conn.execute(text("UPDATE audit_entries SET canonical = '{}' WHERE seq = 3"))
    with transaction(engine) as session, pytest.raises(TreeError, match="seq 3: stored leaf"):
        create_checkpoint(session, keys_dir=log_key.path.parent, origin=ORIGIN)


def test_a_superuser_rewrite_after_a_checkpoint_is_caught_by_the_offline_verifier(
    engine: Engine, log_key: PrivateKey, tmp_path: Path
) -> None:
    append_entries(engine, 8)
    with transaction(engine) as session:
        size = create_checkpoint(session, keys_dir=log_key.path.parent, origin=ORIGIN).tree_size
    _bypass_append_only_triggers(engine)
    forged = '{"action":"incident.delete"}'
    with engine.begin() as conn:
        conn.execute(
            text("UPDATE audit_entries SET canonical = :c, leaf_hash = :h WHERE seq = 2"),
            {"c": forged, "h": leaf_hash(forged.encode()).hex()},
        )
    path = tmp_path / "audit.jsonl"
    with transaction(engine) as session:
        export_log(session, path, origin=ORIGIN, keys_dir=log_key.path.parent)
    report = verify_export(path.read_text(), [log_key.public])
    assert report.errors == [
        f"checkpoint #1 (size {size}): root hash does not match entries 0..{size - 1}"
    ]


def test_concurrent_appenders_take_turns_without_gaps(engine: Engine, log_key: PrivateKey) -> None:
    def writer(offset: int) -> None:
        for number in range(10):
            append_entries(engine, 1, start=offset * 100 + number)

    before = current_size(engine)
    threads = [threading.Thread(target=writer, args=(offset,)) for offset in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with transaction(engine) as session:
        seqs = session.scalars(select(AuditEntry.seq).order_by(AuditEntry.seq)).all()
        row = create_checkpoint(session, keys_dir=log_key.path.parent, origin=ORIGIN)
    assert list(seqs) == list(range(before + 40))
    assert bytes.fromhex(row.root_hash) == root_of_leaves(stored_leaves(engine))
