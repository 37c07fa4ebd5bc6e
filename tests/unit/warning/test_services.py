"""Cooling-off on both back ends: clock, notices, agreement hours, breach flags, audit."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import Engine, select

from truceline.agreements.services import amend_agreement, current_documents
from truceline.audit.actor import SYSTEM, Actor
from truceline.audit.models import AuditEntry
from truceline.db.engine import transaction
from truceline.warning.domain import WarningError
from truceline.warning.models import CoolingOffClock, Notification, OutboxMessage
from truceline.warning.notify import add_subscription
from truceline.warning.services import (
    list_clocks,
    on_incident_stored,
    on_report_stored,
    scan_breaches,
)

from .conftest import FILED_AT, add_incident, add_report

PK_LIAISON = Actor("sana", "party_liaison", "PK")


def test_a_pakistani_allegation_notifies_afghanistan_and_the_mediators_not_itself(
    engine: Engine, users: dict[str, object]
) -> None:
    with transaction(engine) as session:
        clock = on_report_stored(session, add_report(session), PK_LIAISON)
        assert clock is not None
        recipients = sorted(session.scalars(select(Notification.recipient)))
    assert recipients == ["farid", "mona"]
    assert clock.alleging_party == "PK" and clock.accused_party == "AF"


def test_the_clock_runs_72_hours_by_default_from_filing(
    engine: Engine, users: dict[str, object]
) -> None:
    with transaction(engine) as session:
        clock = on_report_stored(session, add_report(session), PK_LIAISON)
        assert clock is not None
        assert clock.started_at == FILED_AT
        assert clock.ends_at - clock.started_at == timedelta(hours=72)
        assert clock.agreement_id == "doha-2025-10-19"


def test_an_agreement_can_set_its_own_cooling_off_period(
    engine: Engine, users: dict[str, object]
) -> None:
    with transaction(engine) as session:
        doha = next(d for d in current_documents(session) if d.id == "doha-2025-10-19")
        amended = doha.model_copy(update={"cooling_off_hours": 48})
        amend_agreement(session, amended, actor=SYSTEM, note="cooling-off of 48 h")
        clock = on_report_stored(session, add_report(session), PK_LIAISON)
        assert clock is not None and clock.hours == 48


def test_an_unknown_agreement_is_refused(engine: Engine, users: dict[str, object]) -> None:
    with transaction(engine) as session, pytest.raises(WarningError, match="unknown agreement"):
        on_report_stored(session, add_report(session), PK_LIAISON, agreement_id="nope")


def test_reports_that_are_not_party_allegations_start_no_clock(
    engine: Engine, users: dict[str, object]
) -> None:
    with transaction(engine) as session:
        report = add_report(session, source_type="community_reporter", source_party=None)
        assert on_report_stored(session, report, SYSTEM) is None
        assert session.scalars(select(CoolingOffClock)).all() == []


def test_a_second_call_for_the_same_report_keeps_one_clock(
    engine: Engine, users: dict[str, object]
) -> None:
    with transaction(engine) as session:
        report = add_report(session)
        first = on_report_stored(session, report, PK_LIAISON)
        second = on_report_stored(session, report, PK_LIAISON)
        assert first is second
        assert len(session.scalars(select(Notification)).all()) == 2


def test_an_incident_by_the_alleging_party_in_the_window_is_flagged_and_announced(
    engine: Engine, users: dict[str, object]
) -> None:
    with transaction(engine) as session:
        report = add_report(session)
        on_report_stored(session, report, PK_LIAISON)
        incident = add_incident(session, occurred_at=FILED_AT + timedelta(hours=20))
        flags = on_incident_stored(session, incident)
        assert len(flags) == 1
        assert report.code in flags[0].explanation and "20.0 h" in flags[0].explanation
        clocks = list_clocks(session, now=FILED_AT + timedelta(hours=21))
        breach_notes = session.scalars(
            select(Notification.recipient).where(Notification.event == "cooling_off.breach")
        ).all()
    assert clocks[0]["flags"][0]["incident"] == incident.code
    assert clocks[0]["remaining_hours"] == 51.0
    assert sorted(breach_notes) == ["farid", "mona"]


def test_incidents_by_the_accused_or_outside_the_window_are_not_flagged(
    engine: Engine, users: dict[str, object]
) -> None:
    with transaction(engine) as session:
        on_report_stored(session, add_report(session), PK_LIAISON)
        add_incident(session, perpetrator="AF", occurred_at=FILED_AT + timedelta(hours=3))
        add_incident(session, occurred_at=FILED_AT + timedelta(hours=80))
        add_incident(session, occurred_at=FILED_AT - timedelta(hours=1))
        assert scan_breaches(session) == []


def test_an_incident_stored_before_the_allegation_is_flagged_when_the_clock_starts(
    engine: Engine, users: dict[str, object]
) -> None:
    """Imports may bring incidents in late; starting a clock scans what is already stored."""
    with transaction(engine) as session:
        add_incident(session, occurred_at=FILED_AT + timedelta(hours=1))
        clock = on_report_stored(session, add_report(session), PK_LIAISON)
        assert clock is not None
        assert len(list_clocks(session, now=FILED_AT)[0]["flags"]) == 1
        assert scan_breaches(session) == []  # idempotent


def test_every_step_is_in_the_audit_log(engine: Engine, users: dict[str, object]) -> None:
    with transaction(engine) as session:
        on_report_stored(session, add_report(session), PK_LIAISON)
        on_incident_stored(
            session, add_incident(session, occurred_at=FILED_AT + timedelta(hours=2))
        )
        actions = session.scalars(
            select(AuditEntry.action)
            .where(AuditEntry.action.like("warning.%"))
            .order_by(AuditEntry.seq)
        ).all()
    assert actions == [
        "warning.clock.start",
        "warning.notify",
        "warning.flag.raise",
        "warning.notify",
    ]


def test_subscriptions_of_the_audience_get_an_outbox_message_in_the_same_transaction(
    engine: Engine, users: dict[str, object]
) -> None:
    with transaction(engine) as session:
        add_subscription(
            session,
            channel="webhook",
            target="http://127.0.0.1:9/hook",
            audience="AF",
            secret="s" * 20,
            actor=SYSTEM,
        )
        add_subscription(
            session,
            channel="email",
            target="pk@example.org",
            audience="PK",
            secret=None,
            actor=SYSTEM,
        )
        on_report_stored(session, add_report(session), PK_LIAISON)
        messages = session.scalars(select(OutboxMessage)).all()
    assert [(m.channel, m.payload["audience"]) for m in messages] == [("webhook", "AF")]
    assert messages[0].payload["report"]["source_party"] == "PK"


@pytest.mark.parametrize(
    ("channel", "target", "secret", "message"),
    [
        ("sms", "x", None, "channel must be one of"),
        ("webhook", "ftp://x", "s" * 20, "http\\(s\\) URL"),
        ("webhook", "http://x/hook", "short", "at least 16"),
        ("email", "not-an-address", None, "must be an address"),
    ],
)
def test_bad_subscriptions_are_refused_with_the_reason(
    engine: Engine, channel: str, target: str, secret: str | None, message: str
) -> None:
    with transaction(engine) as session, pytest.raises(WarningError, match=message):
        add_subscription(
            session, channel=channel, target=target, audience="AF", secret=secret, actor=SYSTEM
        )
