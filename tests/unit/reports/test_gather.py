"""What a report says, on both back ends: public content only, restricted sections, cut-off."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Engine, select

from truceline.accounts.roles import Principal, Role
from truceline.config import get_settings
from truceline.db.engine import transaction
from truceline.incidents.models import Incident
from truceline.reports.domain import ReportKind, period_ending
from truceline.reports.gather import build_document
from truceline.verification.publication import set_released

from .conftest import WEEK_END

ISSUED = datetime(2025, 11, 3, 9, tzinfo=UTC)


def _build(engine: Engine, kind: ReportKind, **kwargs: Any) -> dict[str, Any]:
    period = period_ending(date.fromisoformat(WEEK_END), now=ISSUED, **kwargs)
    with transaction(engine) as session:
        return build_document(session, kind, period, settings=get_settings(), now=ISSUED)


def test_the_public_report_holds_only_determined_and_released_incidents(
    engine: Engine, week: dict[str, Any]
) -> None:
    doc = _build(engine, ReportKind.PUBLIC)
    codes = [i["code"] for i in doc["incidents"]]
    assert codes == ["I-2025-0101", "I-2025-0103", "I-2025-0102"]
    assert "restricted" not in doc
    assert week["allegation"] not in str(doc)


def test_public_locations_are_coarsened(engine: Engine, week: dict[str, Any]) -> None:
    doc = _build(engine, ReportKind.PUBLIC)
    spin_boldak = doc["incidents"][0]["location"]
    assert (spin_boldak["lat"], spin_boldak["lon"]) != (31.0108, 66.3996)
    assert abs(spin_boldak["lat"] - 31.0108) < 0.05


def test_findings_come_from_the_adjudication_in_force(engine: Engine, week: dict[str, Any]) -> None:
    doc = _build(engine, ReportKind.PUBLIC)
    finding = doc["incidents"][0]["findings"][0]
    assert finding["finding"] == "violation" and finding["violating_party"] == "PK"
    assert doc["cumulative"]["violations_by_party"] == {"AF": 1, "PK": 1}


def test_counts_per_area_compare_with_the_previous_week_and_add_up_since_the_ceasefire(
    engine: Engine, week: dict[str, Any]
) -> None:
    doc = _build(engine, ReportKind.PUBLIC)
    areas = {row["area"]: (row["count"], row["previous"]) for row in doc["areas"]}
    assert areas == {
        "Khyber Pakhtunkhwa (PK)": (2, 0),
        "Kandahar (AF)": (1, 0),
        "Balochistan (PK)": (0, 1),
    }
    assert doc["cumulative"]["incidents"] == 4
    assert doc["cumulative"]["fatalities_best"] == 2
    assert doc["ceasefire_began"] == "2025-10-15T13:00:00+00:00"
    assert "3 incident(s)" in doc["summary"] and "2 more than" in doc["summary"]


def test_restrictions_of_access_are_listed(engine: Engine, week: dict[str, Any]) -> None:
    doc = _build(engine, ReportKind.PUBLIC)
    assert [r["code"] for r in doc["access_restrictions"]] == ["I-2025-0103"]
    assert doc["cumulative"]["access_restrictions"] == 1


def test_the_restricted_report_adds_allegations_overdue_work_and_cooling_off_flags(
    engine: Engine, week: dict[str, Any]
) -> None:
    restricted = _build(engine, ReportKind.RESTRICTED)["restricted"]
    (allegation,) = restricted["allegations"]
    assert allegation["report"] == week["allegation"] and allegation["incident"] == "I-2025-0101"
    assert restricted["pending_verifications"]["by_state"] == {
        "reported": 1,
        "under_verification": 1,
    }
    assert {o["code"] for o in restricted["overdue"]} == {"I-2025-0105", "I-2025-0106"}
    flagged = {f["incident"] for f in restricted["cooling_off"][0]["flags"]}
    assert week["breach"] in flagged
    assert restricted["escalation"]["events"] == {"AF": 3, "PK": 3}  # obstruction is not force
    escalation = restricted["escalation"]["fit"]  # few events: figures lean on the prior
    assert (
        escalation["small_data"] is True and len(escalation["interval_90"]["cross_af_from_pk"]) == 2
    )


def test_nothing_recorded_after_the_cut_off_is_used(engine: Engine, week: dict[str, Any]) -> None:
    doc = _build(engine, ReportKind.RESTRICTED, cutoff=datetime(2025, 10, 28, 0, tzinfo=UTC))
    assert [i["code"] for i in doc["incidents"]] == ["I-2025-0101"]
    assert doc["incidents"][0]["findings"] == []  # adjudicated on 30 October
    assert doc["restricted"]["cooling_off"][0]["flags"] == []


def test_a_withdrawn_incident_leaves_the_public_report_and_a_release_brings_it_back(
    engine: Engine, week: dict[str, Any]
) -> None:
    mediator = Principal("mona", Role.MEDIATOR)
    with transaction(engine) as session:
        spin_boldak = session.scalars(select(Incident).where(Incident.code == "I-2025-0101")).one()
        set_released(session, spin_boldak, principal=mediator, released=False)
    codes = [i["code"] for i in _build(engine, ReportKind.PUBLIC)["incidents"]]
    assert codes == ["I-2025-0103", "I-2025-0102"]
    with transaction(engine) as session:
        spin_boldak = session.scalars(select(Incident).where(Incident.code == "I-2025-0101")).one()
        set_released(session, spin_boldak, principal=mediator, released=True)
    codes = [i["code"] for i in _build(engine, ReportKind.PUBLIC)["incidents"]]
    assert codes == ["I-2025-0101", "I-2025-0103", "I-2025-0102"]
