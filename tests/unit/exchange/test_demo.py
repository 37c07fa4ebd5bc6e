from __future__ import annotations

from sqlalchemy import Engine, func, select

from truceline.accounts.roles import Principal, Role
from truceline.agreements.models import StoredFinding
from truceline.config import get_settings
from truceline.db.engine import transaction
from truceline.exchange.demo import run_demo
from truceline.incidents.models import Incident, IncidentReportLink, Report
from truceline.verification.pages.triage_queries import triage_queue
from truceline.warning.risk_store import latest_forecast


def test_demo_loads_ged_and_october_events_and_a_second_run_adds_nothing(engine: Engine) -> None:
    first = run_demo(engine, keys_dir=get_settings().resolved_keys_dir)
    second = run_demo(engine, keys_dir=get_settings().resolved_keys_dir)
    assert first["imports"]["ucdp_ged_pakistan"]["imported"] == 5296
    assert first["imports"]["october_2025"]["imported"] == 9  # 7 events + 2 exercise scenarios
    assert second["imports"]["ucdp_ged_pakistan"] == {
        "imported": 0,
        "duplicates": 5296,
        "rejected": [],
    }
    assert second["incidents"] == first["incidents"] == 5305 and second["rejected"] == 0
    # A district risk forecast from the day after the latest event, with its backtest, once.
    assert isinstance(first["risk_forecast"], int) and second["risk_forecast"] is None
    with transaction(engine) as session:
        forecast = latest_forecast(session)
        assert forecast is not None and forecast.forecast_date.date().isoformat() == "2025-10-27"
        assert forecast.backtest and forecast.backtest["skill"]["vs_climatology"] > 0


def test_determined_exercise_incidents_come_with_their_findings_once(engine: Engine) -> None:
    run_demo(engine, keys_dir=get_settings().resolved_keys_dir)
    run_demo(engine, keys_dir=get_settings().resolved_keys_dir)
    with transaction(engine) as session:
        findings = session.execute(
            select(Incident.code, StoredFinding.finding, StoredFinding.agreement_id)
            .join(StoredFinding, StoredFinding.incident_id == Incident.id)
            .order_by(Incident.code)
        ).all()
    assert [tuple(row) for row in findings] == [
        ("exercise-2025-10-25-ttp-camp", "indeterminate", "doha-2025-10-19"),
        ("exercise-2025-10-26-jua-camp", "indeterminate", "doha-2025-10-19"),
    ]


def test_october_events_carry_their_sources_and_each_partys_account(engine: Engine) -> None:
    run_demo(engine, keys_dir=get_settings().resolved_keys_dir)
    with transaction(engine) as session:
        attack = session.scalars(
            select(Incident).where(Incident.code == "demo-2025-10-17-north-waziristan")
        ).one()
        strikes = session.scalars(
            select(Incident).where(Incident.code == "demo-2025-10-17-paktika-strikes")
        ).one()
        parties = set(
            session.scalars(
                select(Report.source_party)
                .join(IncidentReportLink, IncidentReportLink.report_id == Report.id)
                .where(IncidentReportLink.incident_id == strikes.id)
            )
        )
        demo_casualties = list(
            session.scalars(select(Incident.casualties).where(Incident.code.like("demo-%")))
        )
    assert (attack.perpetrator, attack.event_type) == ("TTP", "suicide_bomb")
    assert attack.attribution[0] | {"note": None} == {
        "party": "AF", "link": "facilitated", "established": False, "claimed_by": "PK", "note": None
    }  # fmt: skip
    assert attack.casualties == {"security_forces": {"low": 7, "best": 7, "high": 7}}
    assert (strikes.perpetrator, strikes.targets) == ("PK", ["civilians"])
    assert strikes.casualties["civilians"]["low"] < strikes.casualties["civilians"]["high"]
    assert {"AF", "PK", None} <= parties
    assert demo_casualties.count({}) >= 3  # where no figure is public, none is invented


def test_triage_opens_on_the_october_reports_not_the_imported_history(
    sqlite_engine: Engine,
) -> None:
    """The README's walk: Triage lists the October 2025 reports waiting for an analyst."""
    run_demo(sqlite_engine, keys_dir=get_settings().resolved_keys_dir)
    mediator = Principal("mona", Role.MEDIATOR)
    with transaction(sqlite_engine) as session:
        default = triage_queue(session, mediator, show="attention", source_type="", page=1)
        history = triage_queue(session, mediator, show="history", source_type="", page=1)
        states = dict(
            session.execute(
                select(Incident.verification_state, func.count()).group_by(
                    Incident.verification_state
                )
            ).all()
        )
    codes = [row.report.code for row in default.rows]
    assert default.total == 20 and all(code.startswith("demo-2025-10-") for code in codes)
    assert "demo-2025-10-17-paktika-strikes-r1" in codes
    assert history.total == 5296
    assert states == {"historical": 5296, "reported": 7, "determined": 2}
