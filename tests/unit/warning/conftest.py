"""Fixtures for the warning tests: one user per audience, and makers of reports and incidents."""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from truceline.accounts import services as accounts
from truceline.audit.actor import SYSTEM
from truceline.db.engine import transaction
from truceline.incidents.models import Incident, Report

FILED_AT = datetime(2025, 10, 26, 8, 0, tzinfo=UTC)
USERS = {
    "mona": ("mediator", None),
    "farid": ("party_liaison", "AF"),
    "sana": ("party_liaison", "PK"),
    "maya": ("field_monitor", None),
}
_codes = itertools.count(1)


@pytest.fixture
def users(engine: Engine) -> dict[str, tuple[str, str | None]]:
    """A mediator, one liaison officer per party and a field monitor (no passwords)."""
    with transaction(engine) as session:
        for name, (role, party) in USERS.items():
            accounts.create_user(session, name=name, role=role, party=party, actor=SYSTEM)
    return USERS


def add_report(session: Session, **fields: Any) -> Report:
    """A stored report; by default a Pakistani allegation of cross-border fire."""
    number = next(_codes)
    values: dict[str, Any] = {
        "code": f"R-TEST-{number}",
        "channel": "api",
        "source_type": "party_liaison",
        "source_party": "PK",
        "text": "Afghan forces fired across the border at Chaman.",
        "received_at": FILED_AT,
        "occurred_at": FILED_AT,
        "place_text": "Chaman",
        "event_type": "cross_border_fire",
        "claimed_perpetrator": "AF",
        "content_hash": hashlib.sha256(str(number).encode()).hexdigest(),
    }
    values.update(fields)
    report = Report(**values)
    session.add(report)
    session.flush()
    return report


def add_incident(session: Session, **fields: Any) -> Incident:
    number = next(_codes)
    values: dict[str, Any] = {
        "code": f"I-TEST-{number}",
        "title": "Shelling near Spin Boldak",
        "occurred_at": FILED_AT,
        "event_type": "cross_border_fire",
        "perpetrator": "PK",
    }
    values.update(fields)
    incident = Incident(**values)
    session.add(incident)
    session.flush()
    return incident


ReportMaker = Callable[..., Report]


@pytest.fixture
def submission() -> Callable[..., Any]:
    """Intake submissions: the Afghan allegation of the Urgun strike, with fields overridden."""
    from truceline.intake.schemas import ReportSubmission
    from unit.intake.conftest import URGUN_STRIKE

    def build(**changes: Any) -> ReportSubmission:
        return ReportSubmission.model_validate(URGUN_STRIKE | changes)

    return build
