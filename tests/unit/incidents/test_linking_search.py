from __future__ import annotations

import importlib
import random
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, event

from truceline.db.engine import transaction
from truceline.incidents import matching
from truceline.incidents.linking_search import candidate_incidents, search_box
from truceline.incidents.matching import MatchFeatures, hours_since_epoch, score_match
from truceline.incidents.models import Incident, IncidentReportLink, Report
from truceline.incidents.services import find_candidates

T0 = datetime(2025, 10, 17, 12, 0, tzinfo=UTC)
WORDS = ("urgun", "angoor", "chaman", "torkham", "kurram", "bajaur", "khost", "paktika",
         "zhob", "waziristan", "kunar", "nangarhar")  # fmt: skip


def _incident(code: str, *, at: datetime, lat: float | None, lon: float | None,
              tp: int = 0, gp: int = 1, merged_into: int | None = None) -> Incident:  # fmt: skip
    return Incident(code=code, occurred_at=at, time_precision=tp, lat=lat, lon=lon,
                    geo_precision=gp, event_type="cross_border_fire", perpetrator="PK",
                    merged_into_id=merged_into)  # fmt: skip


def _features(incident: Incident) -> MatchFeatures:
    return MatchFeatures(hours_since_epoch(incident.occurred_at), incident.time_precision,
                         incident.lat, incident.lon, incident.geo_precision,
                         incident.event_type, incident.perpetrator)  # fmt: skip


def _report(session, *, at: datetime, lat: float | None, lon: float | None, tp: int = 0,
            gp: int = 1, text: str = "") -> Report:  # type: ignore[no-untyped-def]  # fmt: skip
    report = Report(code=f"R-{random.random()}", channel="api", source_type="monitor", text=text,
                    occurred_at=at, time_precision=tp, lat=lat, lon=lon, geo_precision=gp,
                    event_type="cross_border_fire", claimed_perpetrator="PK", content_hash="x")  # fmt: skip
    session.add(report)
    session.flush()
    return report


def test_index_boxes_use_the_tolerances_that_matching_uses() -> None:
    migration = importlib.import_module("truceline.db.migrations.versions.geo_0002_link_boxes")
    assert migration.TIME_TOLERANCE_H == matching.TIME_TOLERANCE_H
    assert migration.SPACE_TOLERANCE_KM == matching.SPACE_TOLERANCE_KM


def test_search_finds_every_incident_within_tolerance_and_few_others(engine: Engine) -> None:
    rng = random.Random(15)
    incidents = []
    for n in range(400):
        located = rng.random() > 0.05
        incidents.append(_incident(
            f"INC-S-{n}", at=T0 + timedelta(hours=rng.uniform(-24 * 500, 24 * 500)),
            lat=rng.uniform(29, 37) if located else None, lon=rng.uniform(61, 75) if located else None,
            tp=rng.choice([0, 0, 0, 1, 1, 2, 3, 4, 5]), gp=rng.choice([1, 1, 1, 2, 2, 3, 4, 5, 6, 7])))  # fmt: skip
    with transaction(engine) as session:
        session.add_all(incidents)
        session.flush()
        stored = [(i.id, _features(i)) for i in incidents]
        found_total = 0
        for _ in range(150):
            located = rng.random() > 0.05
            report = MatchFeatures(
                hours_since_epoch(T0) + rng.uniform(-24 * 500, 24 * 500), rng.choice([0, 1, 2, 3]),
                rng.uniform(29, 37) if located else None, rng.uniform(61, 75) if located else None,
                rng.choice([1, 2, 3, 4]), "cross_border_fire", "PK")  # fmt: skip
            found = {c.id for c in candidate_incidents(session, report, T0, excluding_report=None)}
            reachable = {i for i, f in stored if score_match(report, f) is not None}
            assert reachable <= found
            found_total += len(found)
    assert found_total < 150 * 400 * 0.25


def test_a_coarse_incident_is_found_by_its_own_tolerance_and_a_merged_one_never(
    engine: Engine,
) -> None:
    with transaction(engine) as session:
        yearly = _incident("INC-YEAR", at=T0 - timedelta(days=300), lat=33.0, lon=70.0, tp=4)
        target = _incident("INC-TARGET", at=T0, lat=33.0, lon=70.0)
        session.add_all([yearly, target])
        session.flush()
        merged = _incident("INC-MERGED", at=T0, lat=33.0, lon=70.0, merged_into=target.id)
        session.add(merged)
        report = _report(session, at=T0, lat=33.01, lon=70.01)
        codes = {c.incident_code for c in find_candidates(session, report)}
    assert codes == {"INC-YEAR", "INC-TARGET"}


def test_candidates_and_their_texts_take_two_queries_however_many_there_are(
    engine: Engine,
) -> None:
    with transaction(engine) as session:
        incidents = [
            _incident(f"INC-Q-{n}", at=T0, lat=33.0 + n / 1000, lon=70.0) for n in range(12)
        ]
        session.add_all(incidents)
        session.flush()
        for incident in incidents:
            for _ in range(4):
                linked = _report(
                    session,
                    at=T0,
                    lat=33.0,
                    lon=70.0,
                    text=f"shelled {WORDS[incident.id % 12]} village",
                )
                session.add(IncidentReportLink(incident_id=incident.id, report_id=linked.id))
        report = _report(
            session,
            at=T0,
            lat=33.0,
            lon=70.0,
            text=f"shelled {WORDS[incidents[3].id % 12]} village",
        )
        session.flush()
        statements: list[str] = []
        listener = lambda *args: statements.append(args[2])  # noqa: E731
        event.listen(engine, "before_cursor_execute", listener)
        try:
            candidates = find_candidates(session, report, limit=20)
        finally:
            event.remove(engine, "before_cursor_execute", listener)
    assert len(candidates) == 12
    assert len(statements) == 2
    assert candidates[0].incident_code == "INC-Q-3"


def test_a_report_without_place_searches_by_time_alone() -> None:
    box = search_box(MatchFeatures(None, 1, None, None, 1, None, None), T0)
    assert (box.max_h - box.min_h) == 2 * matching.TIME_TOLERANCE_H[1]
    assert box.min_lat < -90 and box.max_lon > 180
