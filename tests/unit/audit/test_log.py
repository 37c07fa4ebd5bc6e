from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import Engine, func, select, text
from sqlalchemy.exc import DBAPIError

from truceline.audit.actor import SYSTEM
from truceline.audit.log import append_entry
from truceline.audit.models import AuditEntry
from truceline.audit.one_round_trip import commit_in_one_round_trip
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


def test_a_commits_entries_and_its_state_entry_are_written_in_one_insert_consecutively(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sqlalchemy import event

    from truceline.accounts.models import User
    from truceline.audit import log
    from truceline.audit.log import add_logged

    inserts: list[str] = []
    locks: list[str] = []
    commits_in_one_round_trip: list[list[str]] = []

    def seen(_conn: object, _cursor: object, statement: str, *_rest: object) -> None:
        if statement.startswith("INSERT INTO audit_entries"):
            inserts.append(statement)
        if "pg_advisory_xact_lock" in statement:
            locks.append(statement)

    def one_round_trip(connection: Any, *, lock: int, statements: Any, then: Any) -> Any:
        commits_in_one_round_trip.append([sql for sql, _ in statements])
        locks.extend([f"pg_advisory_xact_lock({lock})"] if lock is not None else [])
        inserts.extend(sql for sql, _ in statements)
        return commit_in_one_round_trip(connection, lock=lock, statements=statements, then=then)

    monkeypatch.setattr(log, "commit_in_one_round_trip", one_round_trip)
    event.listen(engine, "before_cursor_execute", seen)
    with transaction(engine) as session:
        for name in ("amina", "bilal"):
            add_logged(session, User(name=name, role="mediator"), actor=SYSTEM,
                       action="user.create", object_type="user")  # fmt: skip
    event.remove(engine, "before_cursor_execute", seen)
    with transaction(engine) as session:
        last = session.scalars(select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(3)).all()
        count, top = session.execute(select(func.count(), func.max(AuditEntry.seq))).one()
    assert len(inserts) == 1
    assert len(locks) == (1 if engine.dialect.name == "postgresql" else 0)
    # On PostgreSQL the lock, the INSERT, the digests and the COMMIT went in one round trip.
    assert len(commits_in_one_round_trip) == (1 if engine.dialect.name == "postgresql" else 0)
    assert [e.action for e in reversed(last)] == ["user.create", "user.create", "audit.state"]
    assert [e.seq for e in reversed(last)] == [top - 2, top - 1, top]
    assert count == top + 1  # no gaps anywhere in the log


def test_two_commits_writing_a_tables_first_digests_at_once_both_succeed(engine: Engine) -> None:
    """Both look up the table's digest schema, find none, and create it in turn, not twice."""
    import threading
    from datetime import UTC, datetime

    from sqlalchemy import event

    from truceline.audit.models import AuditStateSchema
    from truceline.incidents.models import Incident

    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite serialises writers; the race needs concurrent writers")
    looked_up = threading.Barrier(2, timeout=10)
    waited: set[int] = set()

    def after(_conn: object, _cursor: object, statement: str, *_rest: object) -> None:
        thread = threading.get_ident()
        if "FROM audit_state_schemas" in statement and thread not in waited:
            waited.add(thread)
            looked_up.wait()  # both have looked and found nothing before either creates it

    with transaction(engine) as session:
        assert (
            session.scalar(select(func.count()).where(AuditStateSchema.table_name == "incidents"))
            == 0
        )
    event.listen(engine, "after_cursor_execute", after)
    errors: list[BaseException] = []

    def write(code: str) -> None:
        try:
            with transaction(engine) as session:
                session.add(Incident(code=code, title=code, event_type="other",
                                     occurred_at=datetime(2025, 10, 17, tzinfo=UTC)))  # fmt: skip
        except BaseException as error:  # noqa: BLE001 (reported below)
            errors.append(error)

    threads = [threading.Thread(target=write, args=(f"INC-RACE{n}",)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    event.remove(engine, "after_cursor_execute", after)
    assert errors == []
    with transaction(engine) as session:
        assert (
            session.scalar(select(func.count()).where(AuditStateSchema.table_name == "incidents"))
            == 1
        )


def test_an_entry_appended_before_any_statement_opens_the_transaction_that_writes_it(
    engine: Engine,
) -> None:
    """Entries are written at commit; with no statement run yet the session had no
    transaction, and a caller that commits only what is open (a route that ended its
    session early) dropped the entry."""
    from sqlalchemy.orm import Session

    with Session(engine) as session:
        session.commit()
        assert not session.in_transaction()
        append_entry(session, actor=SYSTEM, action="test.late", object_type="x", object_id=1)
        assert session.in_transaction()
        session.commit()
    with Session(engine) as session:
        late = select(func.count()).where(AuditEntry.action == "test.late")
        assert session.scalar(late) == 1
