"""Every table that is a record only grows: the database refuses UPDATE and DELETE.

``audit_public_keys`` and the verification record (replies, member views,
transitions, determinations, obstructions, custody) had no trigger before; a key
may only have its validity window closed, once.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import JSON, Engine, text
from sqlalchemy.exc import DBAPIError

from truceline.audit.keys import PrivateKey
from truceline.db.base import Base

RECORD_TABLES = (
    "verification_replies",
    "verification_member_views",
    "verification_transitions",
    "verification_determinations",
    "verification_obstructions",
    "evidence_custody",
)


def _placeholder_row(engine: Engine, table: str) -> None:
    """One row with a value for every required column (foreign keys off on SQLite)."""
    columns = Base.metadata.tables[table].columns
    values: dict[str, Any] = {}
    for column in columns:
        if column.nullable or column.primary_key:
            continue
        column_type = getattr(column.type, "impl_instance", column.type)
        if isinstance(column_type, JSON):
            values[column.name] = "[]"
            continue
        python_type = column_type.python_type
        values[column.name] = {
            int: 1,
            bool: False,
            datetime: datetime(2025, 10, 20, tzinfo=UTC),
            dict: "{}",
            list: "[]",
        }.get(python_type, "x")
    names = ", ".join(values)
    marks = ", ".join(f":{name}" for name in values)
    with engine.begin() as conn:
        if engine.dialect.name == "sqlite":
            conn.execute(text("PRAGMA foreign_keys = OFF"))
        else:
            conn.execute(text("SET session_replication_role = replica"))  # no FK triggers
        conn.execute(text(f"INSERT INTO {table} ({names}) VALUES ({marks})"), values)
        if engine.dialect.name != "sqlite":
            conn.execute(text("SET session_replication_role = origin"))


@pytest.mark.parametrize("table", RECORD_TABLES)
@pytest.mark.parametrize("statement", ["UPDATE {t} SET id = id", "DELETE FROM {t}"])
def test_the_verification_record_is_append_only(engine: Engine, table: str, statement: str) -> None:
    _placeholder_row(engine, table)
    with pytest.raises(DBAPIError, match="append-only"), engine.begin() as conn:
        conn.execute(text(statement.format(t=table)))


@pytest.mark.parametrize(
    "statement",
    [
        "DELETE FROM audit_public_keys",
        "UPDATE audit_public_keys SET vkey = 'forged'",
        "UPDATE audit_public_keys SET not_before = not_after",
    ],
)
def test_a_published_key_is_never_deleted_or_rewritten(
    engine: Engine, log_key: PrivateKey, statement: str
) -> None:
    with pytest.raises(DBAPIError, match="append-only"), engine.begin() as conn:
        conn.execute(text(statement))


def test_a_key_is_retired_once_and_its_window_never_changes_again(
    engine: Engine, log_key: PrivateKey
) -> None:
    retire = "UPDATE audit_public_keys SET not_after = :when WHERE not_after IS NULL"
    with engine.begin() as conn:
        conn.execute(text(retire), {"when": datetime(2030, 1, 1, tzinfo=UTC)})
    with pytest.raises(DBAPIError, match="never changed"), engine.begin() as conn:
        conn.execute(
            text("UPDATE audit_public_keys SET not_after = :when"),
            {"when": datetime(2040, 1, 1, tzinfo=UTC)},
        )
