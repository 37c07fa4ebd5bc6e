"""Intake starts the cooling-off protocol: an allegation notifies, a later act by its filer is flagged."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import Engine, select

from truceline.audit.actor import Actor
from truceline.config import get_settings
from truceline.content_store import ContentStore
from truceline.db.base import utcnow
from truceline.db.engine import transaction
from truceline.intake.schemas import ReportSubmission
from truceline.intake.services import submit_report
from truceline.warning.models import CoolingOffClock, Notification
from truceline.warning.services import list_clocks

AF_LIAISON = Actor("farid", "party_liaison", "AF")
MONITOR = Actor("maya", "field_monitor")


def test_an_intake_allegation_starts_a_clock_and_a_later_afghan_attack_is_flagged(
    engine: Engine,
    users: dict[str, object],
    submission: Callable[..., ReportSubmission],
) -> None:
    with transaction(engine) as session:
        allegation = submit_report(
            session,
            submission(),
            actor=AF_LIAISON,
            store=ContentStore.under(get_settings().data_dir),
        ).report
        clock = session.scalars(select(CoolingOffClock)).one()
        assert clock.report_code == allegation.code
        assert clock.agreement_id == "truce-extension-2025-10-17"
        notified = sorted(session.scalars(select(Notification.recipient)))
    assert notified == ["mona", "sana"]

    later: dict[str, Any] = {
        "source_type": "field_monitor",
        "source_party": None,
        "source_name": "monitor team 3",
        "text": "Afghan forces shelled a Pakistani border post near Angoor Adda.",
        "occurred_at": utcnow().isoformat(),
        "lat": 32.55,
        "lon": 69.52,
        "event_type": "shelling_artillery_missile_attack",
        "claimed_perpetrator": "AF",
        "targets": ["security_forces"],
        "casualties": {},
        "agreement_id": None,
    }
    with transaction(engine) as session:
        submit_report(
            session,
            submission(**later),
            actor=MONITOR,
            store=ContentStore.under(get_settings().data_dir),
        )
        (running,) = list_clocks(session)
    (flag,) = running["flags"]
    assert "after AF filed allegation" in flag["explanation"]
    assert "AF forces" in flag["explanation"]
