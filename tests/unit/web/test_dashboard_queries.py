"""The dashboard's counts and timeline on both back ends."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta

from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from truceline.accounts.roles import PUBLIC, Principal, Role
from truceline.audit.actor import SYSTEM
from truceline.db.base import utcnow
from truceline.db.engine import transaction
from truceline.http.i18n import LANGUAGES, UIContext
from truceline.incidents.models import Incident, Report
from truceline.verification import services
from truceline.warning.services import start_cooling_off
from truceline.web import dashboard_queries as dq
from truceline.web.incident_queries import IncidentFilters
from truceline.web.timeline_svg import bucket_incidents, timeline_svg

MEDIATOR = Principal(name="m", role=Role.MEDIATOR)


def test_default_period_ends_at_the_latest_activity(seeded: Engine) -> None:
    with transaction(seeded) as session:
        period = dq.resolve_period(session, IncidentFilters(), MEDIATOR)
    assert period.last_day == date(2025, 10, 18)  # TL-0004 and its reports
    assert period.days == 30
    assert period.previous.last_day == date(2025, 9, 18)


def test_a_dataset_loaded_today_does_not_move_the_default_period(seeded: Engine) -> None:
    """Bulk imports are received when loaded; the period follows events and allegations."""
    with transaction(seeded) as session:
        session.add(
            Report(
                code="GED-1-r1",
                channel="import",
                source_type="dataset",
                source_name="UCDP GED",
                reliability="B",
                credibility=2,
                text="An event of 2014, imported today.",
                received_at=utcnow(),
                content_hash="ged-1",
            )
        )
    with transaction(seeded) as session:
        period = dq.resolve_period(session, IncidentFilters(), MEDIATOR)
    assert period.last_day == date(2025, 10, 18)


def test_an_obstruction_or_an_allegation_recorded_today_does_not_move_the_period(
    seeded: Engine,
) -> None:
    """The mechanism records an obstruction when its team is turned back, and a party may
    file today about last month: the dashboard stays on the events (here October 2025)."""
    with transaction(seeded) as session:
        session.add(Incident(code="TL-0004-OBS-1", title="Monitors obstructed",
                             occurred_at=utcnow(), event_type="obstruction_of_monitors",
                             perpetrator="PK"))  # fmt: skip
        session.add(Report(code="LATE-r1", channel="web", source_type="party_liaison",
                           source_name="Liaison office", source_party="PK", reliability="B",
                           credibility=2, text="Filed today about October.",
                           received_at=utcnow(), content_hash="late-1"))  # fmt: skip
    with transaction(seeded) as session:
        period = dq.resolve_period(session, IncidentFilters(), MEDIATOR)
    assert (period.last_day, period.chosen, period.latest) == (
        date(2025, 10, 18),
        "latest",
        date(2025, 10, 18),
    )


def test_an_obstruction_alone_still_gives_a_period_with_an_event(seeded: Engine) -> None:
    with transaction(seeded) as session:
        for incident in session.scalars(select(Incident)):
            incident.event_type = "obstruction_of_monitors"
    with transaction(seeded) as session:
        period = dq.resolve_period(session, IncidentFilters(), MEDIATOR)
    assert period.latest == date(2025, 10, 18)


def test_the_public_period_follows_released_incidents_only(seeded: Engine) -> None:
    with transaction(seeded) as session:
        period = dq.resolve_period(session, IncidentFilters(), PUBLIC)
    assert period.latest == date(2025, 10, 17)  # TL-0001; TL-0004 (18 Oct) is not released


def test_the_dashboard_says_which_period_it_shows_and_why(
    seeded: Engine, as_role: Callable[[str | None], TestClient]
) -> None:
    page = as_role("mediator").get("/").text
    assert 'data-period="latest"' in page
    assert "The 30 days up to the latest incident you can see (Oct 18, 2025)" in page
    with transaction(seeded) as session:
        for incident in session.scalars(select(Incident)):
            incident.released = False
    public = as_role(None).get("/").text
    assert 'data-period="none"' in public
    assert "There is no incident you can see yet, so these are the last 30 days." in public


def test_incidents_this_period_against_the_previous_one(seeded: Engine) -> None:
    period = dq.Period(date(2025, 10, 1), date(2025, 10, 31))
    with transaction(seeded) as session:
        staff, staff_cmp = dq.incident_comparison(session, IncidentFilters(), MEDIATOR, period)
        _, public_cmp = dq.incident_comparison(session, IncidentFilters(), PUBLIC, period)
    assert (staff_cmp.current, staff_cmp.previous) == (4, 1)  # TL-0005 is 40 days earlier
    assert (public_cmp.current, public_cmp.previous) == (2, 0)  # TL-0005 is not determined
    assert dict(dq.state_counts(staff)) == {
        "reported": 1,
        "refuted": 1,
        "determined": 1,
        "under_verification": 1,
    }


def test_allegations_are_counted_per_filing_party(seeded: Engine) -> None:
    period = dq.Period(date(2025, 10, 1), date(2025, 10, 31))
    with transaction(seeded) as session:
        counts = dq.allegation_comparison(session, period)
    assert {p: (c.current, c.previous) for p, c in counts.items()} == {"AF": (2, 0), "PK": (2, 1)}


def test_timeline_stacks_by_perpetrator_party(seeded: Engine) -> None:
    period = dq.Period(date(2025, 10, 14), date(2025, 10, 20))
    with transaction(seeded) as session:
        incidents, _ = dq.incident_comparison(session, IncidentFilters(), MEDIATOR, period)
        svg = timeline_svg(incidents, period, UIContext(LANGUAGES["en"], "UTC"))
    buckets = bucket_incidents(incidents, period)
    assert len(buckets) == 7
    assert buckets[0].counts == {"AF": 1}  # TL-0003 on 14 Oct
    assert buckets[3].counts == {"PK": 1, "other": 1}  # TL-0001 and TL-0002 on 17 Oct
    assert svg.startswith("<svg") and svg.count("<rect") == 4


def test_findings_history_keeps_the_superseded_finding(seeded: Engine) -> None:
    from truceline.agreements.services import refresh_findings
    from truceline.audit.actor import SYSTEM
    from truceline.incidents.models import Incident
    from truceline.verification.pages.findings_view import incident_findings

    with transaction(seeded) as session:
        incident = session.query(Incident).filter_by(code="TL-0001").one()
        incident.perpetrator = "TTP"
        refresh_findings(session, incident.id, actor=SYSTEM)
        shown = incident_findings(session, incident, MEDIATOR)
    assert shown is not None
    assert [f.finding for f in shown.history] == ["violation"]
    assert all(f.finding != "violation" for f in shown.current)


def _overdue_case_and_clock(session: Session) -> datetime:
    """An open case whose first assessment is overdue, and a clock on TL-0001's allegation."""
    incident = session.scalar(select(Incident).where(Incident.code == "TL-0002"))
    assert incident is not None
    services.open_case(session, incident, principal=MEDIATOR, now=utcnow() - timedelta(days=10))
    allegation = session.scalar(select(Report).where(Report.code == "TL-0001-R1"))
    assert allegation is not None
    clock = start_cooling_off(session, allegation, SYSTEM)
    return clock.started_at + timedelta(minutes=30)


def test_overdue_verifications_and_running_clocks_are_counted_for_staff_only(
    seeded: Engine,
) -> None:
    with transaction(seeded) as session:
        during_clock = _overdue_case_and_clock(session)
        staff = dq.work_counts(session, MEDIATOR)
        at_clock = dq.work_counts(session, MEDIATOR, now=during_clock)
        public = dq.work_counts(session, PUBLIC)
    assert (staff.overdue_verifications, staff.clocks_running) == (1, 0)
    assert at_clock.clocks_running == 1
    assert (public.overdue_verifications, public.clocks_running) == (None, None)


def test_dashboard_summary_shows_the_overdue_count(
    seeded: Engine, as_role: Callable[[str | None], TestClient]
) -> None:
    with transaction(seeded) as session:
        _overdue_case_and_clock(session)
    staff = as_role("liaison_af").get("/").text
    assert 'data-count="overdue-verifications">1<' in staff
    assert 'data-count="clocks-running">0<' in staff
    assert 'href="/verification/queue"' not in staff  # the liaison may not open the queue
    assert 'href="/verification/queue"' in as_role("mediator").get("/").text
    assert "overdue-verifications" not in as_role(None).get("/").text
