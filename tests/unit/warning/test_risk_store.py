"""Stored district forecasts: audit, thresholds and the notices they trigger (both back ends)."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, select

from support_risk import seed_history, store_demo_forecast
from truceline.audit.actor import SYSTEM
from truceline.audit.models import AuditEntry
from truceline.db.engine import transaction
from truceline.warning.models import Notification
from truceline.warning.risk_store import (
    RiskSettingError,
    district_of,
    latest_forecast,
    remove_threshold,
    set_threshold,
    store_forecast,
)


def test_a_stored_forecast_is_audited_and_read_back_as_the_latest(engine: Engine) -> None:
    seed_history(engine)
    first = store_demo_forecast(engine)
    with transaction(engine) as session:
        forecast = latest_forecast(session)
        assert forecast is not None and forecast.id == first
        assert forecast.backtest and forecast.backtest["skill"]["vs_persistence"] == 0.29
        names = {row["name"] for row in forecast.districts if row.get("p_event")}
        assert {"North Waziristan", "Urgun"} <= names
        entry = session.scalar(
            select(AuditEntry).where(AuditEntry.action == "warning.risk_forecast")
        )
        assert entry is not None and entry.object_id == str(first)
        # A later run without a backtest keeps the last measured score.
        again, _ = store_forecast(session, at=forecast.forecast_date, actor=SYSTEM)
        assert again.backtest == forecast.backtest


def test_a_threshold_notifies_its_mediator_once_when_crossed(engine: Engine) -> None:
    seed_history(engine)
    store_demo_forecast(engine)
    with transaction(engine) as session:
        set_threshold(
            session, user="mona", probability=0.01, actor=SYSTEM, unit_key="PK:north-waziristan"
        )
        forecast = latest_forecast(session)
        assert forecast is not None
    with transaction(engine) as session:
        # The first run after the threshold was set counts from zero: it was crossed.
        _, notes = store_forecast(session, at=forecast.forecast_date, actor=SYSTEM)
        assert [n.recipient for n in notes] == ["mona"]
        assert "North Waziristan" in notes[0].subject and "%" in notes[0].body
    with transaction(engine) as session:
        _, notes = store_forecast(session, at=forecast.forecast_date, actor=SYSTEM)
        assert notes == []  # still above: no new notice
        assert (
            session.scalar(select(Notification).where(Notification.recipient == "mona")) is not None
        )


def test_bad_thresholds_name_the_field(engine: Engine) -> None:
    seed_history(engine)
    store_demo_forecast(engine)
    with transaction(engine) as session:
        for probability in (0.0, 1.0, 1.5, float("nan")):
            with pytest.raises(RiskSettingError) as error:
                set_threshold(session, user="mona", probability=probability, actor=SYSTEM)
            assert error.value.field == "probability"
        with pytest.raises(RiskSettingError) as error:
            set_threshold(
                session, user="mona", probability=0.3, actor=SYSTEM, unit_key="PK:north-wazir"
            )
        assert error.value.field == "district" and "PK:north-waziristan" in str(error.value)


def test_only_the_owner_removes_a_threshold(engine: Engine) -> None:
    with transaction(engine) as session:
        threshold = set_threshold(session, user="mona", probability=0.3, actor=SYSTEM)
        with pytest.raises(RiskSettingError):
            remove_threshold(session, threshold.id, user="someone-else", actor=SYSTEM)
        assert not remove_threshold(session, threshold.id, user="mona", actor=SYSTEM).active


def test_an_incident_finds_its_district_by_name_or_nearest_centre(engine: Engine) -> None:
    seed_history(engine)
    store_demo_forecast(engine)
    with transaction(engine) as session:
        forecast = latest_forecast(session)
        assert forecast is not None
        by_name = district_of(forecast, lat=None, lon=None, country="PK", admin2="North Waziristan")
        assert by_name is not None and by_name["name"] == "North Waziristan"
        nearest = district_of(forecast, lat=32.93, lon=69.17, country="AF", admin2=None)
        assert nearest is not None and nearest["name"] == "Urgun"
        assert district_of(forecast, lat=10.0, lon=10.0, country=None, admin2=None) is None
