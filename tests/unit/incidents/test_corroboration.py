"""Corroboration a sceptic accepts: positions are not sources, relays count with what they relay."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from truceline.db.engine import transaction
from truceline.exchange.demo import OCTOBER_FILE, data_file
from truceline.exchange.importer import import_file
from truceline.incidents.corroboration import corroboration, group_reports
from truceline.incidents.models import Incident, IncidentReportLink, Report

T0 = datetime(2025, 10, 12, 1, tzinfo=UTC)


def _report(index: int, source_type: str, name: str = "", **fields: object) -> Report:
    return Report(
        id=index, code=f"R-{index}", channel="api", source_type=source_type, source_name=name,
        text=f"report {index}", content_hash=f"{index:064d}", received_at=T0 + timedelta(minutes=index),
        **fields,
    )  # fmt: skip


def test_the_flagship_incident_has_one_independent_source_and_two_positions(
    engine: Engine,
) -> None:
    with data_file(OCTOBER_FILE) as path:
        import_file(engine, path, "truceline-json")
    with transaction(engine) as session:
        incident = session.query(Incident).filter_by(code="demo-2025-10-17-paktika-strikes").one()
        view = corroboration(session, incident.id)
    code = "demo-2025-10-17-paktika-strikes"
    assert view["reports"] == 4 and len(view["sources"]) == 4  # what used to be "4 independent"
    assert view["independent_sources"] == 1
    assert [(o["label"], o["origin"], o["reports"]) for o in view["origins"]] == [
        ("Afghanistan Cricket Board", "relayed", [f"{code}-r2"])
    ]
    positions = {p["party"]: p for p in view["positions"]}
    assert (positions["AF"]["stance"], positions["AF"]["statements"]) == (
        "allegation",
        [f"{code}-af"],
    )
    assert positions["AF"]["relays"] == [f"{code}-r1"]  # the article repeats AF's allegation
    assert (positions["PK"]["stance"], positions["PK"]["statements"]) == ("denial", [f"{code}-pk"])
    assert view["alleging_parties"] == ["AF"]
    assert any("not corroboration" in reason for reason in view["reasons"])
    assert any("Afghanistan Cricket Board" in r and "independent" in r for r in view["reasons"])


def test_outlets_relaying_one_source_count_once_and_party_voices_join_the_party() -> None:
    grouping = group_reports([
        _report(1, "media", "Dawn", origin="relayed", relayed_from="Kurram district hospital"),
        _report(2, "media", "Geo News", origin="relayed", relayed_from="Kurram District Hospital"),
        _report(3, "media", "Reuters", origin="relayed", relayed_from="ISPR", relayed_from_party="PK"),
        _report(4, "field_monitor", "Monitor team 2", origin="witnessed"),
        _report(5, "community_reporter", "Reporter Gul Khan", origin="witnessed"),
        _report(6, "party_liaison", "PK liaison", source_party="PK", kind="allegation"),
    ])  # fmt: skip
    origins = {g.label: [r.code for r in g.reports] for g in grouping.origins.values()}
    assert origins == {
        "Kurram district hospital": ["R-1", "R-2"],
        "Monitor team 2": ["R-4"],
        "a community reporter (report R-5)": ["R-5"],  # the reporter's name stays protected
    }
    pk = grouping.positions["PK"]
    assert [r.code for r in pk.statements] == ["R-6"] and [r.code for r in pk.relays] == ["R-3"]
    assert "Reporter Gul Khan" not in " ".join(g.reason() for g in grouping.origins.values())


def test_a_report_of_unknown_origin_still_counts_as_its_own_source() -> None:
    grouping = group_reports([_report(1, "media", "Dawn"), _report(2, "other", "")])
    reasons = [g.reason() for g in grouping.origins.values()]
    assert len(reasons) == 2 and all("origin not stated" in r for r in reasons)


def _linked(session: Session, incident: Incident, report: Report) -> None:
    session.add(report)
    session.flush()
    session.add(IncidentReportLink(incident_id=incident.id, report_id=report.id))


def test_an_allegation_and_its_denial_alone_corroborate_nothing(engine: Engine) -> None:
    with transaction(engine) as session:
        incident = Incident(code="INC-C-1", occurred_at=T0, event_type="cross_border_fire")
        session.add(incident)
        session.flush()
        _linked(session, incident, Report(code="AF-1", channel="api", source_type="party_liaison",
                source_party="AF", claimed_perpetrator="PK", text="x", content_hash="a"))  # fmt: skip
        _linked(session, incident, Report(code="PK-1", channel="api", source_type="party_liaison",
                source_party="PK", claimed_perpetrator="PK", text="y", content_hash="b"))  # fmt: skip
        view = corroboration(session, incident.id)
    assert view["independent_sources"] == 0
    assert [(p["party"], p["stance"]) for p in view["positions"]] == [
        ("AF", "allegation"), ("PK", "denial"),
    ]  # fmt: skip
