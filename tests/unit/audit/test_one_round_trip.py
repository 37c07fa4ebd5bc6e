"""On PostgreSQL the log's turn, the entries, the state digests and the COMMIT go in one round
trip: concurrent writers still get a gapless log whose digests match the database, and a
failure anywhere in it stores nothing and is raised as a driver error."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.exc import DBAPIError

from truceline.audit.actor import SYSTEM
from truceline.audit.check import check_state
from truceline.audit.log import FollowUp, add_logged, commit_pending
from truceline.audit.models import AuditEntry, AuditStateDigest
from truceline.config import get_settings
from truceline.db.engine import transaction
from truceline.incidents.models import Incident


@pytest.fixture
def postgres(engine: Engine) -> Engine:
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite has one writer and no pipeline: the log is written as before")
    return engine


def _incident(code: str) -> Incident:
    return Incident(code=code, title=code, event_type="other",
                    occurred_at=datetime(2025, 10, 17, tzinfo=UTC))  # fmt: skip


def _log(engine: Engine) -> tuple[int, int]:
    with transaction(engine) as session:
        count, top = session.execute(select(func.count(), func.max(AuditEntry.seq))).one()
    return int(count), int(top)


def test_concurrent_writers_leave_a_gapless_log_whose_digests_match(postgres: Engine) -> None:
    errors: list[BaseException] = []

    def write(worker: int) -> None:
        try:
            for n in range(6):
                with transaction(postgres) as session:
                    add_logged(session, _incident(f"INC-RT{worker}-{n}"), actor=SYSTEM,
                               action="incident.create", object_type="incident")  # fmt: skip
        except BaseException as error:  # noqa: BLE001 (reported below)
            errors.append(error)

    threads = [threading.Thread(target=write, args=(worker,)) for worker in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    count, top = _log(postgres)
    assert count == top + 1  # no gap, no fork
    with transaction(postgres) as session:
        states = session.scalars(select(AuditEntry.seq).where(AuditEntry.action == "audit.state"))
        stated = set(states.all())
        digested = set(session.scalars(select(AuditStateDigest.seq).distinct()).all())
    assert digested <= stated  # every digest is numbered with its own commit's state entry
    with postgres.connect() as connection:
        report = check_state(connection, origin=get_settings().checkpoint_origin)
    assert report.errors == []


def test_a_failure_in_the_round_trip_stores_nothing_and_is_a_driver_error(
    postgres: Engine,
) -> None:
    before = _log(postgres)
    failing = FollowUp("SELECT 1 / %s", [(0,)])  # division by zero, after the entries
    with pytest.raises(DBAPIError) as raised, transaction(postgres) as session:
        add_logged(session, _incident("INC-RT-FAIL"), actor=SYSTEM,
                   action="incident.create", object_type="incident")  # fmt: skip
        session.flush()
        commit_pending(session, then=[failing])
    assert getattr(raised.value.orig, "sqlstate", None) == "22012"
    assert _log(postgres) == before
    with transaction(postgres) as session:
        assert session.scalar(select(Incident.id).where(Incident.code == "INC-RT-FAIL")) is None


def test_the_session_commits_as_usual_after_the_round_trip(postgres: Engine) -> None:
    with transaction(postgres) as session:
        incident = add_logged(session, _incident("INC-RT-ONE"), actor=SYSTEM,
                              action="incident.create", object_type="incident")  # fmt: skip
    with transaction(postgres) as session:
        stored = session.get(Incident, incident.id)
        assert stored is not None and stored.code == "INC-RT-ONE"
        entry = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "incident.create")
            .order_by(AuditEntry.seq.desc()).limit(1)
        ).one()  # fmt: skip
    assert entry.object_id == str(incident.id)


def test_a_session_joined_to_a_callers_transaction_leaves_the_commit_to_the_caller(
    postgres: Engine,
) -> None:
    from sqlalchemy.orm import Session

    before = _log(postgres)
    with postgres.connect() as connection:
        outer = connection.begin()
        with Session(bind=connection) as session:
            add_logged(session, _incident("INC-RT-JOINED"), actor=SYSTEM,
                       action="incident.create", object_type="incident")  # fmt: skip
            session.commit()
        outer.rollback()  # the caller decides: nothing of it may have been committed
    assert _log(postgres) == before
    with transaction(postgres) as session:
        assert session.scalar(select(Incident.id).where(Incident.code == "INC-RT-JOINED")) is None
