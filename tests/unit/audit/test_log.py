from __future__ import annotations

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

from truceline.audit.log import SYSTEM, append_entry
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


@pytest.mark.parametrize(
    "statement", ["UPDATE audit_entries SET actor = 'x'", "DELETE FROM audit_entries"]
)
def test_database_refuses_to_rewrite_the_log(engine: Engine, statement: str) -> None:
    with transaction(engine) as session:
        append_entry(session, actor=SYSTEM, action="create", object_type="x", object_id=1)
    with pytest.raises(DBAPIError, match="append-only"), engine.begin() as conn:
        conn.execute(text(statement))
