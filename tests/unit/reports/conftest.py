"""A small, realistic week after the Doha ceasefire, adjudicated by the real rules."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from truceline.agreements.services import refresh_findings
from truceline.audit.actor import SYSTEM, Actor
from truceline.db.engine import transaction
from truceline.incidents.models import Incident, IncidentReportLink, Report
from truceline.warning.models import CoolingOffFlag
from truceline.warning.services import on_incident_stored, on_report_stored

WEEK_END = "2025-10-31"


def at(day: int, hour: int = 12) -> datetime:
    return datetime(2025, 10, day, hour, tzinfo=UTC)


def incident(session: Session, code: str, **fields: Any) -> Incident:
    values: dict[str, Any] = {
        "code": code,
        "title": "",
        "event_type": "cross_border_fire",
        "perpetrator": "PK",
        "verification_state": "determined",
        "released": True,
        "created_at": fields.get("occurred_at", at(26)),
    }
    values.update(fields)
    row = Incident(**values)
    session.add(row)
    session.flush()
    return row


def seed_week(session: Session) -> dict[str, Any]:
    """Released findings this week and last, an obstruction, open work and an allegation."""
    spin_boldak = incident(
        session,
        "I-2025-0101",
        title="Mortar fire on Spin Boldak",
        occurred_at=at(27),
        lat=31.0108,
        lon=66.3996,
        country="AF",
        admin1="Kandahar",
        casualties={"civilians": 2},
        targets=["civilians"],
        perpetrator="PK",
    )
    kurram = incident(
        session,
        "I-2025-0102",
        title="Fire across the line near Kurram",
        occurred_at=at(29),
        lat=33.85,
        lon=70.1,
        country="PK",
        admin1="Khyber Pakhtunkhwa",
        perpetrator="AF",
        targets=["security_forces"],
    )
    incident(
        session,
        "I-2025-0103",
        title="Monitors refused passage at Torkham",
        event_type="obstruction_of_monitors",
        occurred_at=at(28),
        lat=34.115,
        lon=71.094,
        country="PK",
        admin1="Khyber Pakhtunkhwa",
        perpetrator="PK",
    )
    incident(
        session,
        "I-2025-0090",
        title="Shelling near Chaman",
        occurred_at=at(21),
        lat=30.92,
        lon=66.45,
        country="PK",
        admin1="Balochistan",
        perpetrator="AF",
    )
    incident(session, "I-2025-0104", title="Not yet released", occurred_at=at(30), released=False)
    incident(
        session,
        "I-2025-0105",
        title="Open: drone strike claimed in Paktika",
        verification_state="under_verification",
        released=False,
        occurred_at=at(26),
        created_at=at(26),
        country="AF",
        admin1="Paktika",
        perpetrator="PK",
    )
    for row in (spin_boldak, kurram):
        for finding in refresh_findings(session, row.id, actor=SYSTEM):
            finding.computed_at = at(30)  # determined before the report is issued
    allegation = Report(
        code="R-2025-0500",
        channel="api",
        source_type="party_liaison",
        source_party="AF",
        text="ځواکونو د سپین بولدک په سیمه کې ډزې وکړې",
        language="ps",
        received_at=at(27, 14),
        occurred_at=at(27),
        place_text="سپین بولدک",
        event_type="cross_border_fire",
        claimed_perpetrator="PK",
        content_hash=hashlib.sha256(b"R-2025-0500").hexdigest(),
        created_at=at(27, 14),
    )
    session.add(allegation)
    session.flush()
    session.add(IncidentReportLink(incident_id=spin_boldak.id, report_id=allegation.id))
    on_report_stored(session, allegation, Actor("farid", "party_liaison", "AF"))
    breach = incident(
        session,
        "I-2025-0106",
        title="Afghan fire on a border post",
        occurred_at=at(28, 9),
        lat=31.1,
        lon=66.5,
        country="PK",
        admin1="Balochistan",
        perpetrator="AF",
        verification_state="reported",
        released=False,
    )
    on_incident_stored(session, breach)
    for flag in session.scalars(select(CoolingOffFlag)):
        flag.flagged_at = at(29, 18)  # as if the clock had run in real time
    return {"allegation": allegation.code, "breach": breach.code}


@pytest.fixture
def week(engine: Engine) -> dict[str, Any]:
    with transaction(engine) as session:
        return seed_week(session)
