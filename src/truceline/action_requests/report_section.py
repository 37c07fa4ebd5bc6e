"""The requests section of the periodic reports: public counts; details in the restricted edition.

Counts cover the requests submitted in the period (and stored by the cut-off),
whoever may read them one by one: they say how many, not what. The restricted
edition lists each request with its parties, group, asked action, state and
deadline; never its intelligence.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from truceline.action_requests.models import ActionRequest
from truceline.action_requests.queries import figures_where, request_summary


def _in_period(start: datetime, end: datetime, cutoff: datetime) -> Any:
    return and_(
        ActionRequest.submitted_at >= start,
        ActionRequest.submitted_at < end,
        ActionRequest.submitted_at <= cutoff,
    )


def public_counts(
    session: Session, start: datetime, end: datetime, cutoff: datetime
) -> dict[str, Any]:
    """Requests per party, share answered in time, outcomes (numbers only)."""
    found = figures_where(session, _in_period(start, end, cutoff), min(end, cutoff))
    return {key: found[key] for key in ("total", "per_party", "share_answered_in_time",
                                         "outcomes", "verification", "overdue")}  # fmt: skip


def restricted_details(
    session: Session, start: datetime, end: datetime, cutoff: datetime
) -> list[dict[str, Any]]:
    """Each request of the period, as a row of a box (no intelligence)."""
    rows = session.scalars(
        select(ActionRequest)
        .where(_in_period(start, end, cutoff))
        .order_by(ActionRequest.submitted_at, ActionRequest.id)
    )
    return [request_summary(row, min(end, cutoff)) for row in rows]
