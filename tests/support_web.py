"""Incidents, reports and accounts for the web tests, seeded through the ORM and services.

Covers both parties, released and unreleased incidents, places near and far
from the boundary, several verification states, a community report whose
source must stay hidden, and a Pashto report shown verbatim. ``USERS`` holds
one real account per role (created with the accounts services): tests sign in
as them through ``/api/auth/login``, so the application decides what each sees.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from typing import Any

from argon2 import PasswordHasher
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from truceline.accounts import services
from truceline.agreements.services import refresh_findings
from truceline.audit.actor import SYSTEM
from truceline.incidents.models import Incident, IncidentReportLink, Report

T0 = datetime(2025, 10, 17, 16, 30, tzinfo=UTC)

#: code, lat, lon, state, released, perpetrator, target, event type, days after T0
INCIDENTS = [
    ("TL-0001", 32.93, 69.17, "determined", True, "PK", "AF", "air_drone_strike", 0),
    ("TL-0002", 32.98, 70.27, "under_verification", False, "TTP", "PK", "suicide_bomb", 0),
    ("TL-0003", 30.92, 66.45, "refuted", True, "AF", "PK", "armed_clash", -3),
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


def seed_findings(session: Session) -> None:
    """Findings computed by the agreements context for every seeded incident."""
    for incident in session.query(Incident).order_by(Incident.id):
        refresh_findings(session, incident.id, actor=SYSTEM)


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


PASSWORD = "correct horse battery staple"

#: One account per role, and a second team member (for joint teams with a nominee of each
#: party): key -> (user name, role, party).
USERS: dict[str, tuple[str, str, str | None]] = {
    "admin": ("ada", "admin", None),
    "mediator": ("mona", "mediator", None),
    "liaison_af": ("farid", "party_liaison", "AF"),
    "liaison_pk": ("sana", "party_liaison", "PK"),
    "team_member": ("tariq", "team_member", None),
    "team_member_pk": ("samir", "team_member", None),
    "field_monitor": ("maya", "field_monitor", None),
    "community_liaison": ("elder-gul", "community_liaison", None),
    "community_reporter": ("reporter-7", "community_reporter", None),
}

#: argon2 with tiny parameters: the production cost (~0.3 s a hash) would slow the tests.
FAST_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


def seed_users(session: Session) -> None:
    """Create every account of ``USERS`` with ``PASSWORD`` (hash with ``FAST_HASHER`` first)."""
    for name, role, party in USERS.values():
        services.create_user(
            session, name=name, role=role, party=party, password=PASSWORD, actor=SYSTEM
        )


def sign_in(client: TestClient, key: str) -> str:
    """Sign ``client`` in as the ``USERS[key]`` account (a session cookie); returns its CSRF token."""
    response = client.post("/api/auth/login", json={"name": USERS[key][0], "password": PASSWORD})
    assert response.status_code == 200, response.text
    return str(response.json()["csrf_token"])


def crowd_rows(count: int, *, first_id: int = 10_000) -> list[dict[str, Any]]:
    """``count`` determined incidents within a degree of (33 N, 70 E), one an hour back from
    20 Oct 2025, every other one released: rows for ``exchange.bulk.bulk_insert`` (map at scale)."""
    rng = random.Random(7)
    now = datetime(2025, 10, 20, tzinfo=UTC)
    return [
        {
            "id": first_id + n, "code": f"M-{n:05d}", "title": "", "occurred_at": now - timedelta(hours=n),
            "occurred_until": None, "time_precision": 1, "lat": 33.0 + rng.uniform(-1, 1),
            "lon": 70.0 + rng.uniform(-1, 1), "geo_precision": 2, "place_name": "", "country": "PK",
            "admin1": None, "admin2": None, "event_type": "armed_clash", "perpetrator": "PK",
            "perpetrator_label": "", "target_actor": None, "target_label": "", "targets": [],
            "casualties": {}, "attribution": [], "verification_state": "determined",
            "released": n % 2 == 0, "notes": "", "origin_dataset": "maptest", "origin_event_id": str(n),
            "origin_record": {}, "merged_into_id": None, "created_at": now, "updated_at": now,
        }
        for n in range(count)
    ]  # fmt: skip
