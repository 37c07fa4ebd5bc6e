"""Background jobs of ``serve``: one leader among the workers, and the scheduled checkpoint."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import Engine, func, select

from truceline.audit.actor import SYSTEM
from truceline.audit.keys import generate_key, publish_key
from truceline.audit.log import append_entry
from truceline.audit.models import AuditCheckpoint
from truceline.config import get_settings
from truceline.db.engine import transaction
from truceline.jobs import Job, JobRunner, Leadership, sign_checkpoint_if_uncovered


def _checkpoints(engine: Engine) -> int:
    with transaction(engine) as session:
        return int(session.scalar(select(func.count(AuditCheckpoint.id))) or 0)


def _append(engine: Engine, n: int = 1) -> None:
    with transaction(engine) as session:
        for i in range(n):
            append_entry(session, actor=SYSTEM, action="test", object_type="x", object_id=i)


@pytest.fixture
def with_log_key(engine: Engine) -> Engine:
    key = generate_key("test.log", "log", directory=get_settings().resolved_keys_dir)
    with transaction(engine) as session:
        publish_key(session, key)
    return engine


def test_only_one_worker_leads_until_it_lets_go(engine: Engine) -> None:
    first, second = Leadership(engine, "worker-1"), Leadership(engine, "worker-2")
    assert first.hold() is True
    assert second.hold() is False
    assert first.hold() is True  # renewing is still leading
    first.release()
    assert second.hold() is True
    assert first.hold() is False
    second.release()


def test_a_checkpoint_is_signed_when_entries_are_uncovered_and_a_key_is_there(
    with_log_key: Engine,
) -> None:
    engine = with_log_key
    _append(engine)
    before = _checkpoints(engine)
    assert sign_checkpoint_if_uncovered(engine, get_settings()) is not None
    assert _checkpoints(engine) == before + 1
    assert sign_checkpoint_if_uncovered(engine, get_settings()) is None  # nothing new
    assert _checkpoints(engine) == before + 1


def test_no_checkpoint_without_a_log_key(engine: Engine) -> None:
    _append(engine)
    before = _checkpoints(engine)
    assert sign_checkpoint_if_uncovered(engine, get_settings()) is None
    assert _checkpoints(engine) == before


def test_several_runners_sign_each_checkpoint_exactly_once(with_log_key: Engine) -> None:
    engine = with_log_key
    _append(engine, 3)
    before = _checkpoints(engine)
    ran: list[str] = []
    lock = threading.Lock()

    def counting(name: str) -> Job:
        def run(eng: Engine, settings: object) -> object:
            with lock:
                ran.append(name)
            return sign_checkpoint_if_uncovered(eng, get_settings())

        return Job("audit-checkpoint", 0.0, run)

    runners = [JobRunner(engine, [counting(f"w{n}")], tick=0.05) for n in range(3)]
    for runner in runners:
        runner.start()
    threading.Event().wait(1.5)
    with lock:
        leaders = set(ran)  # before stopping: a stopping leader hands over, as it should
    for runner in runners:
        runner.stop()
    assert len(leaders) == 1, ran  # one leader ran the job, the others never did
    assert _checkpoints(engine) == before + 1
