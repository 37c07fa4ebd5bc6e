"""The dashboard's counts come from indexes, not from reading incidents (SQLite plans).

What the counts are is checked on both back ends in ``test_dashboard_queries.py``; here,
how they are read: at 1,000,000 incidents a 30-day period holds about 4,000, and reading
each one's row (scattered over the table) cost 0.1 s per query.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Engine, event
from sqlalchemy.orm import Session

from truceline.accounts.roles import PUBLIC, Principal, Role
from truceline.web.dashboard_queries import Period
from truceline.web.dashboard_summary import summarise
from truceline.web.incident_queries import IncidentFilters

MEDIATOR = Principal(name="m", role=Role.MEDIATOR)
PERIOD = Period(date(2025, 10, 1), date(2025, 10, 30))


def _plans_of_summarise(engine: Engine, principal: Principal) -> dict[str, str]:
    """Each statement ``summarise`` ran on incidents, with SQLite's plan for it."""
    statements: list[tuple[str, Any]] = []

    def note(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        statements.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", note)
    try:
        with Session(engine) as session:
            summarise(session, IncidentFilters(), principal, PERIOD)
    finally:
        event.remove(engine, "before_cursor_execute", note)
    plans = {}
    with engine.connect() as connection:
        for statement, parameters in statements:
            if "FROM incidents" not in statement:
                continue
            rows = connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters)
            plans[statement] = " | ".join(str(row[-1]) for row in rows)
    return plans


def test_the_period_counts_read_the_summary_index_alone(sqlite_engine: Engine) -> None:
    for principal in (MEDIATOR, PUBLIC):
        plans = _plans_of_summarise(sqlite_engine, principal)
        grouped = [plan for statement, plan in plans.items() if "GROUP BY" in statement]
        assert grouped, plans
        for plan in grouped:
            assert "COVERING INDEX ix_incidents_summary" in plan, plan
        for plan in plans.values():
            assert "SCAN incidents" not in plan, plan
