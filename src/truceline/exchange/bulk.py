"""Bulk ``INSERT`` of many rows with one DB-API ``executemany``.

The statement is compiled by SQLAlchemy Core and every value goes through the
column type's own bind processor (so JSON, time zones and booleans are stored
exactly as the ORM stores them); only SQLAlchemy's per-row parameter
bookkeeping is skipped, which is most of its cost for wide rows. Timestamps
repeat a lot within a batch (the import time, the event days), so their
conversions are memoised per call.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any

from sqlalchemy import JSON, DateTime, Table, insert
from sqlalchemy.orm import Session

Processor = Callable[[Any], Any]


def bulk_insert(session: Session, table: Table, rows: list[dict[str, Any]]) -> None:
    """Insert ``rows`` (dicts with the same keys, all of them columns of ``table``)."""
    if not rows:
        return
    connection = session.connection()
    dialect = connection.dialect
    keys = list(rows[0])
    compiled = insert(table).compile(dialect=dialect, column_keys=keys)
    names = list(compiled.positiontup or []) if compiled.positional else keys
    # Columns with a Python-side default join the statement even when the rows omit them
    # (a context may add such a column): give them their scalar default.
    fillers = {name: _scalar_default(table, name) for name in names if name not in rows[0]}
    if fillers:
        rows = [fillers | row for row in rows]
    plan = [(name, _processor(table, name, dialect)) for name in names]
    if compiled.positional:
        parameters: list[Any] = [
            tuple(row[name] if process is None else process(row[name]) for name, process in plan)
            for row in rows
        ]
    else:
        parameters = [
            {name: row[name] if process is None else process(row[name]) for name, process in plan}
            for row in rows
        ]
    connection.exec_driver_sql(str(compiled), parameters)


def _scalar_default(table: Table, name: str) -> Any:
    default = table.c[name].default
    if default is None or not getattr(default, "is_scalar", False):
        raise ValueError(f"bulk insert into {table.name} needs a value for column {name!r}")
    return default.arg  # type: ignore[attr-defined]


def _processor(table: Table, name: str, dialect: Any) -> Processor | None:
    column_type = table.c[name].type
    process = column_type.dialect_impl(dialect).bind_processor(dialect)
    is_instant = isinstance(column_type, DateTime) or isinstance(
        getattr(column_type, "impl", None), DateTime
    )
    if process is not None and is_instant:
        return lru_cache(maxsize=4096)(process)
    if process is not None and isinstance(column_type, JSON):
        return _reuse_empty(process)
    return process


def _reuse_empty(process: Processor) -> Processor:
    """A JSON processor that encodes the ubiquitous ``[]`` and ``{}`` once."""
    empty_list, empty_dict = process([]), process({})

    def encode(value: Any) -> Any:
        if isinstance(value, list) and not value:
            return empty_list
        if isinstance(value, dict) and not value:
            return empty_dict
        return process(value)

    return encode
