from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, func, select

from truceline.audit.actor import Actor
from truceline.audit.models import AuditEntry
from truceline.db.engine import session_factory, transaction
from truceline.incidents.curation import (
    CurationError,
    corroboration,
    merge_incidents,
    split_incident,
    undo_operation,
)
from truceline.incidents.models import Incident, IncidentReportLink, Report
from truceline.incidents.services import open_incident_for

ANALYST = Actor(name="analyst-qa", role="mediator", party="QA")
SOURCES = [("party_liaison", "PK liaison cell", "PK", "B", 2), ("community_reporter", "", None, "F", 6),
           ("media", "Dawn", None, "C", 3), ("media", "Dawn", None, "C", 2)]  # fmt: skip


def _report(index: int, source: tuple[str, str, str | None, str, int]) -> Report:
    source_type, name, party, reliability, credibility = source
    return Report(
        code=f"R-{index}", channel="api", source_type=source_type, source_name=name, source_party=party,
        reliability=reliability, credibility=credibility, text=f"Cross-border fire near Angoor Adda #{index}",
        occurred_at=datetime(2025, 10, 12, 1, tzinfo=UTC) + timedelta(minutes=index), time_precision=0,
        lat=32.6, lon=69.2, geo_precision=1, event_type="cross_border_fire", content_hash=f"{index:064d}",
    )  # fmt: skip


def two_incidents(engine: Engine) -> tuple[int, int, list[int]]:
    """Incident A with reports 0-1 and incident B with reports 2-3, each opened from its first report."""
    with transaction(engine) as session:
        reports = [_report(i, s) for i, s in enumerate(SOURCES)]
        session.add_all(reports)
        session.flush()
        a = open_incident_for(session, reports[0], actor=ANALYST)
        b = open_incident_for(session, reports[2], actor=ANALYST)
        for report, incident in ((reports[1], a), (reports[3], b)):
            session.add(
                IncidentReportLink(incident_id=incident.id, report_id=report.id, method="test")
            )
        return a.id, b.id, [r.id for r in reports]


def active(engine: Engine, incident_id: int) -> list[int]:
    with transaction(engine) as session:
        return sorted(session.scalars(select(IncidentReportLink.report_id).where(
            IncidentReportLink.incident_id == incident_id, IncidentReportLink.unlinked_at.is_(None))))  # fmt: skip


def test_merge_moves_the_reports_marks_the_incident_and_can_be_undone(engine: Engine) -> None:
    a, b, reports = two_incidents(engine)
    with transaction(engine) as session:
        op = merge_incidents(
            session, source_id=a, target_id=b, actor=ANALYST, reason="same exchange"
        )
    assert active(engine, a) == [] and active(engine, b) == sorted(reports)
    with transaction(engine) as session:
        assert session.get_one(Incident, a).merged_into_id == b
        assert session.scalar(select(func.count()).select_from(Report)) == 4
        assert "incident.merged" in session.scalars(select(AuditEntry.action)).all()
    with transaction(engine) as session:
        undo = undo_operation(session, operation_id=op.id, actor=ANALYST)
    assert active(engine, a) == reports[:2] and active(engine, b) == reports[2:]
    with transaction(engine) as session:
        assert session.get_one(Incident, a).merged_into_id is None
        assert session.get_one(type(op), op.id).undone_by_id == undo.id
    with pytest.raises(CurationError, match="already undone"), transaction(engine) as session:
        undo_operation(session, operation_id=op.id, actor=ANALYST)


def test_merging_an_incident_into_itself_or_twice_is_refused(engine: Engine) -> None:
    a, b, _ = two_incidents(engine)
    with pytest.raises(CurationError, match="into itself"), transaction(engine) as session:
        merge_incidents(session, source_id=a, target_id=a, actor=ANALYST)
    with transaction(engine) as session:
        merge_incidents(session, source_id=a, target_id=b, actor=ANALYST)
    with pytest.raises(CurationError, match="already merged"), transaction(engine) as session:
        merge_incidents(session, source_id=b, target_id=a, actor=ANALYST)


def test_split_moves_chosen_reports_to_a_new_incident_and_undo_folds_it_back(
    engine: Engine,
) -> None:
    a, b, reports = two_incidents(engine)
    with transaction(engine) as session:
        op = split_incident(session, incident_id=b, report_ids=[reports[3]], actor=ANALYST)
    assert active(engine, b) == [reports[2]] and active(engine, op.target_incident_id) == [
        reports[3]
    ]
    with transaction(engine) as session:
        undo_operation(session, operation_id=op.id, actor=ANALYST)
    assert active(engine, b) == reports[2:] and active(engine, op.target_incident_id) == []
    with transaction(engine) as session:
        assert session.get_one(Incident, op.target_incident_id).merged_into_id == b


def test_split_must_leave_some_reports_and_name_linked_ones(engine: Engine) -> None:
    a, b, reports = two_incidents(engine)
    with pytest.raises(CurationError, match="some, but not all"), transaction(engine) as session:
        split_incident(session, incident_id=b, report_ids=reports[2:], actor=ANALYST)
    with (
        pytest.raises(CurationError, match=f"report\\(s\\) {reports[0]} are not linked"),
        transaction(engine) as session,
    ):
        split_incident(session, incident_id=b, report_ids=[reports[0]], actor=ANALYST)


def test_undo_names_the_later_operation_that_moved_its_reports_again(engine: Engine) -> None:
    a, b, reports = two_incidents(engine)
    with transaction(engine) as session:
        merge = merge_incidents(session, source_id=a, target_id=b, actor=ANALYST)
    with transaction(engine) as session:
        split = split_incident(session, incident_id=b, report_ids=[reports[0]], actor=ANALYST)
    expected = (
        f"report\\(s\\) {reports[0]} have been moved since operation {merge.id} by operation "
        f"{split.id} \\(split\\); undo operation {split.id} first"
    )
    with pytest.raises(CurationError, match=expected), transaction(engine) as session:
        undo_operation(session, operation_id=merge.id, actor=ANALYST)


def test_undo_works_back_through_the_history_once_later_operations_are_undone(
    engine: Engine,
) -> None:
    """Merge (op 1), split (op 2), undo op 2, undo op 1: the second undo used to be refused."""
    a, b, reports = two_incidents(engine)
    with transaction(engine) as session:
        merge = merge_incidents(session, source_id=a, target_id=b, actor=ANALYST)
    with transaction(engine) as session:
        split = split_incident(session, incident_id=b, report_ids=[reports[0]], actor=ANALYST)
    with transaction(engine) as session:
        undo_operation(session, operation_id=split.id, actor=ANALYST)
    assert active(engine, b) == sorted(reports)
    with transaction(engine) as session:
        undo_operation(session, operation_id=merge.id, actor=ANALYST)
    assert active(engine, a) == reports[:2] and active(engine, b) == reports[2:]
    assert active(engine, split.target_incident_id) == []
    with transaction(engine) as session:
        assert session.get_one(Incident, a).merged_into_id is None


def test_undo_of_a_merge_names_the_later_merge_of_its_target_to_undo_first(
    engine: Engine,
) -> None:
    a, b, reports = two_incidents(engine)
    with transaction(engine) as session:
        first = merge_incidents(session, source_id=a, target_id=b, actor=ANALYST)
        third = _report(9, SOURCES[0])
        session.add(third)
        session.flush()
        c = open_incident_for(session, third, actor=ANALYST).id
    with transaction(engine) as session:
        second = merge_incidents(session, source_id=b, target_id=c, actor=ANALYST)
    with (
        pytest.raises(
            CurationError, match=f"by operation {second.id}; undo operation {second.id} first"
        ),
        transaction(engine) as session,
    ):
        undo_operation(session, operation_id=first.id, actor=ANALYST)
    with transaction(engine) as session:
        undo_operation(session, operation_id=second.id, actor=ANALYST)
    with transaction(engine) as session:
        undo_operation(session, operation_id=first.id, actor=ANALYST)
    assert active(engine, a) == reports[:2] and active(engine, b) == reports[2:]


def test_corroboration_counts_independent_sources_and_their_grades(engine: Engine) -> None:
    a, b, _ = two_incidents(engine)
    with transaction(engine) as session:
        merge_incidents(session, source_id=a, target_id=b, actor=ANALYST)
        view = corroboration(session, b)
    assert view["reports"] == 4
    # both Dawn reports are one source; PK's allegation is a position, not corroboration
    assert view["independent_sources"] == 2
    assert [(p["party"], p["stance"]) for p in view["positions"]] == [("PK", "allegation")]
    assert view["by_source_type"] == {"party_liaison": 1, "community_reporter": 1, "media": 1}
    assert view["alleging_parties"] == ["PK"] and view["best_grade"] == "B2"
    dawn = next(s for s in view["sources"] if s["source_name"] == "Dawn")
    assert dawn["grades"] == ["C3", "C2"] and dawn["best_grade"] == "C2"


@pytest.mark.parametrize("directions", [("a->b", "a->b"), ("a->b", "b->a")])
def test_two_analysts_merging_the_same_incidents_at_once_cannot_corrupt_them(
    engine: Engine, directions: tuple[str, str]
) -> None:
    a, b, reports = two_incidents(engine)
    ends = {"a->b": (a, b), "b->a": (b, a)}
    barrier, outcomes = threading.Barrier(2), []

    def analyst(direction: str, name: str) -> None:
        source, target = ends[direction]
        with session_factory(engine)() as session:
            barrier.wait()
            try:
                with session.begin():
                    merge_incidents(
                        session, source_id=source, target_id=target, actor=Actor(name, "mediator")
                    )
                outcomes.append("merged")
            except CurationError as exc:
                outcomes.append(f"refused: {exc}")

    threads = [
        threading.Thread(target=analyst, args=(d, f"analyst-{i}")) for i, d in enumerate(directions)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes)[0] == "merged" and sorted(outcomes)[1].startswith("refused: ")
    assert "already merged" in sorted(outcomes)[1]
    with transaction(engine) as session:
        incidents = {i.id: i.merged_into_id for i in session.scalars(select(Incident))}
        links = session.scalars(
            select(IncidentReportLink).where(IncidentReportLink.unlinked_at.is_(None))
        ).all()
    merged = [i for i, into in incidents.items() if into is not None]
    assert len(merged) == 1
    survivor = incidents[merged[0]] or 0
    assert sorted(link.report_id for link in links) == sorted(
        reports
    )  # each report active exactly once
    assert {link.incident_id for link in links} == {survivor}


def test_an_undo_cannot_itself_be_undone(engine: Engine) -> None:
    a, b, _ = two_incidents(engine)
    with transaction(engine) as session:
        merge = merge_incidents(session, source_id=a, target_id=b, actor=ANALYST)
        undo = undo_operation(session, operation_id=merge.id, actor=ANALYST)
    with pytest.raises(CurationError, match="is itself an undo"), transaction(engine) as session:
        undo_operation(session, operation_id=undo.id, actor=ANALYST)
