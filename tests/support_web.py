"""Incidents and reports for the web tests: a small, varied data set seeded through the ORM.

Covers both parties, released and unreleased incidents, places near and far
from the boundary, several verification states, a community report whose
source must stay hidden, and a Pashto report shown verbatim.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi import FastAPI, Request
from sqlalchemy.orm import Session

from truceline.accounts.roles import Principal, Role
from truceline.incidents.models import Incident, IncidentReportLink, Report
from truceline.web.app import create_app

T0 = datetime(2025, 10, 17, 16, 30, tzinfo=UTC)

#: code, lat, lon, state, released, perpetrator, target, event type, days after T0
INCIDENTS = [
    ("TL-0001", 32.93, 69.17, "determined", True, "PK", "AF", "air_drone_strike", 0),
    ("TL-0002", 32.98, 70.27, "under_verification", False, "TTP", "PK", "suicide_bomb", 0),
    ("TL-0003", 30.92, 66.45, "reported", True, "AF", "PK", "armed_clash", -3),
    ("TL-0004", 34.10, 71.10, "reported", False, "PK", "AF", "cross_border_fire", 1),
    (
        "TL-0005",
        34.53,
        69.17,
        "triaged",
        True,
        "unknown",
        None,
        "remote_explosive_landmine_ied",
        -40,
    ),
]
MEDIATOR_HEADERS = {"X-Test-Role": "mediator"}
SECRET_TITLE = "Secret strike near Mir Ali camp"


def seed_incidents(session: Session) -> None:
    """Insert the five incidents above, each with reports linked to it."""
    for code, lat, lon, state, released, perp, target, etype, days in INCIDENTS:
        incident = Incident(
            code=code,
            title=SECRET_TITLE if code == "TL-0002" else f"{etype} reported at {lat},{lon}",
            occurred_at=T0 + timedelta(days=days),
            lat=lat,
            lon=lon,
            geo_precision=1,
            place_name=f"Village {code}",
            country="PK" if code in ("TL-0002", "TL-0004") else "AF",
            admin1="Paktika" if code == "TL-0001" else "Border province",
            event_type=etype,
            perpetrator=perp,
            target_actor=target,
            verification_state=state,
            released=released,
            casualties={"civilians": {"low": 8, "best": 10, "high": 12}}
            if code == "TL-0001"
            else {},
        )
        session.add(incident)
        session.flush()
        for report in _reports_for(code, days):
            session.add(report)
            session.flush()
            session.add(IncidentReportLink(incident_id=incident.id, report_id=report.id))


def _reports_for(code: str, days: int) -> list[Report]:
    received = T0 + timedelta(days=days, hours=2)
    allegation = Report(
        code=f"{code}-R1",
        channel="web",
        source_type="party_liaison",
        source_name="Liaison office",
        source_party="AF" if code in ("TL-0001", "TL-0004") else "PK",
        reliability="B",
        credibility=2,
        text=f"Allegation about {code}: homes were hit after the truce began.",
        language="en",
        received_at=received,
        content_hash=f"{code}-r1",
    )
    community = Report(
        code=f"{code}-R2",
        channel="sms",
        source_type="community_reporter",
        source_name="Reporter Gul Khan",
        reliability="C",
        credibility=3,
        text="په کلي کې دوه کورونه ویجاړ شول",
        language="ps",
        received_at=received + timedelta(hours=1),
        content_hash=f"{code}-r2",
    )
    return [allegation, community]


def app_with_test_principals() -> FastAPI:
    """The real app, plus a stand-in for the accounts context's login: header ``X-Test-Role``.

    Only the tests use it, to see the pages as each role would; the policy
    applied is the application's own.
    """
    app = create_app()

    @app.middleware("http")
    async def principal_from_header(request: Request, call_next: Any) -> Any:
        role = request.headers.get("x-test-role")
        if role:
            party = request.headers.get("x-test-party")
            request.state.principal = Principal(name=f"test-{role}", role=Role(role), party=party)
        return await call_next(request)

    return app
