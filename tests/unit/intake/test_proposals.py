"""Facts proposed from a report's text at intake, their review in triage, and the labels."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine, select, text
from sqlalchemy.exc import DBAPIError

from truceline.audit.actor import Actor
from truceline.db.engine import transaction
from truceline.incidents.models import Incident, Report
from truceline.incidents.services import open_incident_for
from truceline.intake.models import FactProposal, FactReview
from truceline.intake.proposals import (
    ReviewError,
    labelled_facts,
    parse_correction,
    proposals_of,
    review_fact,
    reviewed_facts,
)
from truceline.intake.schemas import ReportSubmission
from truceline.intake.services import submit_report

Build = Callable[..., ReportSubmission]
DESK = Actor(name="news-desk", role="mediator", party=None)
ANALYST = Actor(name="mona", role="mediator", party=None)

#: Written from the public reporting of 17-18 October 2025, in our own words.
PAKTIKA_NEWS = (
    "KABUL, Oct 18, 2025 - Afghan officials said Pakistani airstrikes late on Friday killed at "
    "least 10 civilians and wounded 12 others in Barmal district of Paktika province."
)
#: Written from the public reporting of 8 October 2025 (the Orakzai ambush), in our own words.
ORAKZAI_NEWS = (
    "Eleven Pakistani soldiers were killed in an ambush by militants in Orakzai district, "
    "two officers among them, the military's media wing ISPR said on 8 October 2025."
)


def _news(submission: Build, body: str, **changes: object) -> ReportSubmission:
    fields: dict[str, object] = {
        "source_type": "media", "source_party": None, "source_name": "wire service",
        "text": body, "occurred_at": None, "lat": None, "lon": None, "event_type": None,
        "claimed_perpetrator": None, "targets": [], "casualties": {}, "agreement_id": None,
    }  # fmt: skip
    return submission(**(fields | changes))


def _facts(engine: Engine, report_id: int) -> dict[str, object]:
    with transaction(engine) as session:
        return {p.field: p.value for p in proposals_of(session, report_id) if p.event_index == 0}


def test_media_report_gets_proposed_facts_with_evidence_and_stays_verbatim(
    engine: Engine, submission: Build
) -> None:
    with transaction(engine) as session:
        result = submit_report(session, _news(submission, PAKTIKA_NEWS), actor=DESK)
    report_id = result.report.id
    facts = _facts(engine, report_id)
    assert facts["occurred_on"] == "2025-10-17"
    assert facts["event_type"] == "air_drone_strike"
    assert facts["killed"] == 10 and facts["injured"] == 12
    place = facts["place"]
    assert isinstance(place, dict) and place["name"] == "Barmal" and place["admin1"] == "Paktika"
    with transaction(engine) as session:
        report = session.get(Report, report_id)
        assert report is not None
        assert report.text == PAKTIKA_NEWS and report.occurred_at is None and report.lat is None
        for proposal in proposals_of(session, report_id):
            for start, end in proposal.evidence:
                assert 0 <= start < end <= len(PAKTIKA_NEWS)
        killed = next(p for p in proposals_of(session, report_id) if p.field == "killed")
        assert any("10" in PAKTIKA_NEWS[a:b] for a, b in killed.evidence)


def test_report_with_no_typed_facts_is_linked_by_the_facts_read_from_its_text(
    engine: Engine, submission: Build
) -> None:
    with transaction(engine) as session:
        typed = submit_report(
            session,
            _news(submission, "Strikes in Barmal.", source_name="first wire",
                  occurred_at="2025-10-17T22:00:00+05:00", lat=32.71, lon=69.26,
                  event_type="air_drone_strike", time_precision=1, geo_precision=2),
            actor=DESK,
        )  # fmt: skip
        first_incident = typed.link.incident_id if typed.link else None
    with transaction(engine) as session:
        result = submit_report(session, _news(submission, PAKTIKA_NEWS), actor=DESK)
    assert first_incident is not None
    assert result.link is not None
    assert result.link.status in ("auto_linked", "proposed")
    if result.link.status == "auto_linked":
        assert result.link.incident_id == first_incident
    else:
        assert first_incident in result.link.proposals


def test_party_statement_is_read_but_a_field_monitor_report_is_not(
    engine: Engine, submission: Build
) -> None:
    with transaction(engine) as session:
        party = submit_report(session, submission(text=ORAKZAI_NEWS), actor=DESK)
        monitor = submit_report(
            session, submission(source_type="field_monitor", source_party=None,
                                text=ORAKZAI_NEWS, client_token="monitor-0001"), actor=DESK,
        )  # fmt: skip
    assert _facts(engine, party.report.id)["killed"] == 11
    assert _facts(engine, monitor.report.id) == {}


def test_accepting_and_correcting_are_kept_as_labels_and_the_latest_decision_wins(
    engine: Engine, submission: Build
) -> None:
    with transaction(engine) as session:
        report_id = submit_report(session, _news(submission, PAKTIKA_NEWS), actor=DESK).report.id
    with transaction(engine) as session:
        proposals = {p.field: p for p in proposals_of(session, report_id)}
        review_fact(session, proposals["killed"].id, decision="accepted", correction="",
                    actor=ANALYST, role="mediator")  # fmt: skip
        review_fact(session, proposals["injured"].id, decision="accepted", correction="",
                    actor=ANALYST, role="mediator")  # fmt: skip
        review_fact(session, proposals["injured"].id, decision="corrected", correction="14",
                    actor=ANALYST, role="mediator")  # fmt: skip
    with transaction(engine) as session:
        labels = {row["field"]: row for row in labelled_facts(session)}
        assert session.query(FactReview).count() == 3
    assert labels["killed"]["label"] == 10 and labels["killed"]["decision"] == "accepted"
    assert labels["injured"]["label"] == 14 and labels["injured"]["proposed"] == 12
    assert labels["injured"]["text"] == PAKTIKA_NEWS


def test_reviews_and_proposals_cannot_be_changed_or_deleted(
    engine: Engine, submission: Build
) -> None:
    with transaction(engine) as session:
        report_id = submit_report(session, _news(submission, PAKTIKA_NEWS), actor=DESK).report.id
    for statement in ("UPDATE fact_proposals SET value = NULL", "DELETE FROM fact_proposals"):
        with pytest.raises(DBAPIError, match="append-only"), transaction(engine) as session:
            session.execute(text(statement))
    with transaction(engine) as session:
        assert len(proposals_of(session, report_id)) >= 5


@pytest.mark.parametrize(
    ("field", "typed", "code"),
    [
        ("killed", "ten", "bad_count"),
        ("killed", "١٠", "bad_count"),
        ("occurred_on", "17/10/2025", "bad_day"),
        ("event_type", "bombing", "bad_event_type"),
        ("place", "  ", "empty_correction"),
    ],
)
def test_a_bad_correction_is_refused_naming_the_value(field: str, typed: str, code: str) -> None:
    with pytest.raises(ReviewError) as refused:
        parse_correction(field, typed)
    assert refused.value.code == code and refused.value.field == "value"


def test_a_correction_is_parsed_for_its_field() -> None:
    assert parse_correction("killed", " 7 ") == 7
    assert parse_correction("occurred_on", "2025-10-17") == "2025-10-17"
    assert parse_correction("event_type", "armed_clash") == "armed_clash"
    assert parse_correction("place", "Urgun") == {"name": "Urgun"}


def test_reviewing_an_unknown_proposal_is_refused(engine: Engine) -> None:
    with transaction(engine) as session, pytest.raises(ReviewError) as refused:
        review_fact(session, 999_999, decision="accepted", correction="", actor=ANALYST,
                    role="mediator")  # fmt: skip
    assert refused.value.code == "unknown_proposal"


def test_proposals_exist_only_for_new_reports_and_do_not_touch_incidents(
    engine: Engine, submission: Build
) -> None:
    with transaction(engine) as session:
        before = session.query(Incident).count()
        submit_report(session, _news(submission, "No event is described here."), actor=DESK)
        assert session.scalars(select(FactProposal)).first() is None
        assert session.query(Incident).count() == before + 1
    assert datetime.now(UTC).year >= 2025


def test_a_new_incident_for_an_untyped_report_takes_the_time_place_and_type_read_from_its_text(
    engine: Engine, submission: Build
) -> None:
    with transaction(engine) as session:
        result = submit_report(session, _news(submission, PAKTIKA_NEWS), actor=DESK)
    assert result.link is not None and result.link.status == "new_incident"
    with transaction(engine) as session:
        incident = session.get_one(Incident, result.link.incident_id)
        assert incident.occurred_at.date().isoformat() == "2025-10-17"
        assert incident.time_precision == 1
        assert incident.event_type == "air_drone_strike"
        assert incident.place_name == "Barmal"
        assert incident.lat is not None and abs(incident.lat - 32.7) < 0.3
        assert incident.origin_record["read_from_text"] == {
            "report": result.report.id,
            "facts": {"occurred_on": "proposed", "place": "proposed", "event_type": "proposed"},
        }


def test_an_analyst_opens_an_incident_with_the_facts_as_corrected_in_triage(
    engine: Engine, submission: Build
) -> None:
    with transaction(engine) as session:
        report_id = submit_report(
            session, _news(submission, PAKTIKA_NEWS), actor=DESK, link=False
        ).report.id
    with transaction(engine) as session:
        proposals = {p.field: p for p in proposals_of(session, report_id)}
        review_fact(session, proposals["event_type"].id, decision="corrected",
                    correction="shelling_artillery_missile_attack", actor=ANALYST,
                    role="mediator")  # fmt: skip
        review_fact(session, proposals["occurred_on"].id, decision="accepted", correction="",
                    actor=ANALYST, role="mediator")  # fmt: skip
    with transaction(engine) as session:
        report = session.get_one(Report, report_id)
        incident = open_incident_for(
            session, report, actor=ANALYST, method="confirmed",
            read=reviewed_facts(session, report_id),
        )  # fmt: skip
        assert incident.event_type == "shelling_artillery_missile_attack"
        assert incident.occurred_at.date().isoformat() == "2025-10-17"
        assert incident.origin_record["read_from_text"]["facts"] == {
            "occurred_on": "accepted", "place": "proposed", "event_type": "corrected",
        }  # fmt: skip


def test_a_report_with_nothing_typed_or_read_still_opens_an_incident_of_type_other(
    engine: Engine, submission: Build
) -> None:
    with transaction(engine) as session:
        result = submit_report(session, _news(submission, "A statement was issued."), actor=DESK)
    assert result.link is not None and result.link.status == "new_incident"
    with transaction(engine) as session:
        incident = session.get_one(Incident, result.link.incident_id)
        assert incident.event_type == "other" and incident.origin_record == {}
