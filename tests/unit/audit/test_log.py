from __future__ import annotations

import pytest
from sqlalchemy import Engine, func, select, text
from sqlalchemy.exc import DBAPIError

from truceline.audit.actor import SYSTEM
from truceline.audit.log import append_entry
from truceline.audit.models import AuditEntry
from truceline.db.engine import transaction


def test_entries_get_consecutive_sequence_numbers_and_leaf_hashes(engine: Engine) -> None:
    with transaction(engine) as session:
        first = append_entry(session, actor=SYSTEM, action="create", object_type="x", object_id=1)
        second = append_entry(
            session, actor=SYSTEM, action="update", object_type="x", object_id=1, after={"a": 1}
        )
    assert second.seq == first.seq + 1
    assert len(second.leaf_hash) == 64
    assert second.after_hash is not None and first.after_hash is None


def test_many_entries_of_one_commit_are_numbered_in_the_order_they_were_recorded(
    engine: Engine,
) -> None:
    """They are written together (80 to a statement), after the entries already there."""
    with transaction(engine) as session:
        before = session.scalar(select(func.count(AuditEntry.seq)))
    with transaction(engine) as session:
        entries = [
            append_entry(session, actor=SYSTEM, action=f"step-{n}", object_type="x", object_id=n)
            for n in range(170)
        ]
    assert [entry.seq for entry in entries] == list(range(before, before + 170))
    with transaction(engine) as session:
        stored = session.execute(
            select(AuditEntry.seq, AuditEntry.action, AuditEntry.leaf_hash)
            .where(AuditEntry.seq >= before)
            .order_by(AuditEntry.seq)
        ).all()
    assert [row.action for row in stored[:170]] == [f"step-{n}" for n in range(170)]
    assert [row.leaf_hash for row in stored[:170]] == [entry.leaf_hash for entry in entries]


@pytest.mark.parametrize(
    "statement", ["UPDATE audit_entries SET actor = 'x'", "DELETE FROM audit_entries"]
)
def test_database_refuses_to_rewrite_the_log(engine: Engine, statement: str) -> None:
    with transaction(engine) as session:
        append_entry(session, actor=SYSTEM, action="create", object_type="x", object_id=1)
    with pytest.raises(DBAPIError, match="append-only"), engine.begin() as conn:
        conn.execute(text(statement))


def test_entries_of_a_rolled_back_savepoint_are_dropped(engine: Engine) -> None:
    with transaction(engine) as session:
        kept = append_entry(session, actor=SYSTEM, action="kept", object_type="x", object_id=1)
        try:
            with session.begin_nested():
                append_entry(session, actor=SYSTEM, action="dropped", object_type="x", object_id=2)
                raise RuntimeError("undo the savepoint")
        except RuntimeError:
            pass
        with session.begin_nested():
            append_entry(session, actor=SYSTEM, action="nested", object_type="x", object_id=3)
    with transaction(engine) as session:
        actions = session.scalars(select(AuditEntry.action).order_by(AuditEntry.seq)).all()
    assert "dropped" not in actions
    assert actions[-2:] == ["kept", "nested"]
    assert kept.seq == len(actions) - 2


def test_a_transaction_reading_the_log_sees_its_own_entries(engine: Engine) -> None:
    with transaction(engine) as session:
        before = session.scalar(select(func.count(AuditEntry.seq)))
        append_entry(session, actor=SYSTEM, action="create", object_type="x", object_id=1)
        assert session.scalar(select(func.count(AuditEntry.seq))) == before + 1


def test_the_audit_turn_is_taken_at_commit_not_at_the_first_change(engine: Engine) -> None:
    """Two transactions that both appended can run side by side until they commit."""
    with transaction(engine) as first:
        append_entry(first, actor=SYSTEM, action="first", object_type="x", object_id=1)
        if engine.dialect.name == "postgresql":
            with engine.connect() as other:  # the lock is free while ``first`` works on
                free = other.execute(select(func.pg_try_advisory_xact_lock(6962))).scalar_one()
                assert free is True
        pending = first.info.get("truceline_audit_pending")
        assert pending and pending[0][0].seq is None


def test_add_logged_flushes_first_so_the_entry_names_the_new_rows_id(engine: Engine) -> None:
    from truceline.accounts.models import User
    from truceline.audit.hashing import content_hash
    from truceline.audit.log import add_logged

    with transaction(engine) as session:
        user = User(name="layla", role="mediator")
        add_logged(session, user, actor=SYSTEM, action="user.create", object_type="user",
                   after=lambda u: {"id": u.id})  # fmt: skip
        entry = session.scalars(select(AuditEntry).order_by(AuditEntry.seq.desc())).first()
        assert user.id is not None
        assert entry is not None and entry.object_id == str(user.id)
        assert entry.after_hash == content_hash({"id": user.id})


def test_services_add_flush_and_log_through_the_one_helper() -> None:
    """No service repeats ``session.add``, ``session.flush``, ``append_entry`` by hand."""
    import ast
    from pathlib import Path

    import truceline

    repeated = []
    for path in Path(truceline.__file__).parent.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            body = getattr(node, "body", None)
            if not isinstance(body, list):
                continue
            for first, second, third in zip(body, body[1:], body[2:], strict=False):
                calls = [s.value for s in (first, second, third) if isinstance(s, ast.Expr)]
                names = [getattr(getattr(c, "func", None), "attr", None) for c in calls[:2]]
                last = getattr(getattr(calls[-1], "func", None), "id", None) if calls else None
                if len(calls) == 3 and names == ["add", "flush"] and last == "append_entry":
                    repeated.append(f"{path.name}:{first.lineno}")
    assert repeated == [], f"use audit.log.add_logged: {repeated}"
