"""The in-process event bus: publishers call subscribers they do not know."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from truceline.db.domain_events import publish, subscribe, subscribers
from truceline.intake.events import ReportStored
from truceline.warning.subscriptions import on_report_stored


@dataclass(frozen=True)
class Happened:
    what: str


def test_each_subscriber_runs_once_in_order_in_the_publishers_session() -> None:
    seen: list[tuple[object, str]] = []

    def first(session: Session, event: Happened) -> None:
        seen.append((session, "first " + event.what))

    def second(session: Session, event: Happened) -> None:
        seen.append((session, "second " + event.what))

    subscribe(Happened, first)
    subscribe(Happened, second)
    subscribe(Happened, first)  # idempotent
    marker = Session()
    publish(marker, Happened("x"))
    assert seen == [(marker, "first x"), (marker, "second x")]


def test_warning_is_subscribed_to_stored_reports_at_start_up() -> None:
    """tests/conftest.py calls ``startup.wire()`` as the app factory and the CLI do."""
    assert on_report_stored in subscribers(ReportStored)
