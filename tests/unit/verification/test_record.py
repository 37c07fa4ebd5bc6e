"""Right of reply, member views, obstruction and determination, on both back ends."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import Engine, select

from truceline.accounts.policy import AccessDenied
from truceline.accounts.roles import Principal, Role
from truceline.agreements.models import StoredFinding
from truceline.db.base import utcnow
from truceline.db.engine import transaction
from truceline.incidents.models import Incident
from truceline.verification import determination, queue, record, services
from truceline.verification.domain import TransitionRefused
from truceline.verification.models import Determination, MemberView, VerificationCase
from truceline.verification.serialisation import case_record
from truceline.verification.services import VerificationError

from .factories import (
    AF_LIAISON,
    AF_MEMBER,
    JOINT_TEAM,
    MEDIATOR,
    MONITOR,
    OTHER_MEDIATOR,
    PK_LIAISON,
    PK_MEMBER,
    cross_border_fire,
)

FACTS = {
    "perpetrator": "AF",
    "targets": ["security_forces"],
    "casualties": {"security_forces": {"best": 2, "low": 2, "high": 3}},
    "confidence": "high",
    "summary": "Craters and fragments on the Kurram posts point to fire from the Afghan side.",
}


def _under_verification(engine: Engine) -> int:
    with transaction(engine) as session:
        incident = cross_border_fire(session)
        case = services.open_case(
            session, incident, principal=MEDIATOR, alleging_party="PK", accused_party="AF"
        )
        services.transition(session, incident.id, "triage", principal=MONITOR)
        services.assign_team(session, case, JOINT_TEAM, principal=MEDIATOR)
        services.transition(session, incident.id, "start_verification", principal=MEDIATOR)
        return incident.id


def _ready_to_determine(engine: Engine) -> int:
    incident_id = _under_verification(engine)
    with transaction(engine) as session:
        case = services.case_for(session, incident_id)
        record.record_view(session, case, principal=PK_MEMBER, position="concurs", text="Agreed.")
        services.transition(session, incident_id, "propose_findings", principal=MEDIATOR)
        record.open_reply_window(session, case, principal=MEDIATOR)
        record.file_reply(session, case, "Our forces returned fire only.", principal=AF_LIAISON)
    return incident_id


def test_only_the_accused_partys_liaison_replies_and_the_reply_closes_its_task(
    engine: Engine,
) -> None:
    incident_id = _under_verification(engine)
    with transaction(engine) as session:
        case = services.case_for(session, incident_id)
        services.transition(session, incident_id, "propose_findings", principal=MEDIATOR)
        task = record.open_reply_window(session, case, principal=MEDIATOR)
        assert task.requested_from == "AF" and case.reply_due == task.due_at
        with pytest.raises(AccessDenied, match="accused party"):
            record.file_reply(session, case, "Not us.", principal=PK_LIAISON)
        reply = record.file_reply(session, case, "We deny it.", principal=AF_LIAISON)
        assert (reply.party, reply.late, task.done_at is not None) == ("AF", False, True)


def test_a_reply_before_any_window_is_refused(engine: Engine) -> None:
    incident_id = _under_verification(engine)
    with (
        transaction(engine) as session,
        pytest.raises(VerificationError, match="no right of reply"),
    ):
        record.file_reply(
            session, services.case_for(session, incident_id), "x", principal=AF_LIAISON
        )


def test_oversized_text_is_refused_naming_the_field(engine: Engine) -> None:
    incident_id = _under_verification(engine)
    with transaction(engine) as session, pytest.raises(VerificationError, match="text: 20001"):
        record.record_view(
            session,
            services.case_for(session, incident_id),
            principal=PK_MEMBER,
            position="concurs",
            text="x" * 20_001,
        )


def test_a_new_view_supersedes_the_old_one_and_dissent_stays_visible(engine: Engine) -> None:
    incident_id = _under_verification(engine)
    with transaction(engine) as session:
        case = services.case_for(session, incident_id)
        first = record.record_view(
            session, case, principal=AF_MEMBER, position="concurs", text="Looks right."
        )
        record.record_view(
            session, case, principal=AF_MEMBER, position="dissents", text="Fragments are not ours."
        )
        record.record_view(session, case, principal=PK_MEMBER, position="concurs", text="Agreed.")
        with pytest.raises(AccessDenied, match="not on this case's joint team"):
            record.record_view(
                session, case, principal=OTHER_MEDIATOR, position="concurs", text="x"
            )
        views = session.scalars(select(MemberView).order_by(MemberView.id)).all()
        assert [v.text for v in views][0] == first.text == "Looks right."
        shown = case_record(session, case, principal=MEDIATOR)
        assert shown["dissent"] == ["af-nominee"]
        assert [(v["position"], v["current"]) for v in shown["views"]] == [
            ("concurs", False),
            ("dissents", True),
            ("concurs", True),
        ]


def test_obstruction_is_an_incident_of_its_own_and_blocks_the_task(engine: Engine) -> None:
    incident_id = _under_verification(engine)
    with transaction(engine) as session:
        case = services.case_for(session, incident_id)
        visit = services.add_task(session, case, "site_visit", principal=MEDIATOR)
        obstruction = record.record_obstruction(
            session,
            case,
            principal=MONITOR,
            description="Team turned back at the Ghulam Khan checkpoint.",
            obstructing_party="AF",
            task_id=visit.id,
        )
        new = session.get(Incident, obstruction.incident_id)
        assert new is not None
        assert (new.event_type, new.perpetrator, new.code) == (
            "obstruction_of_monitors",
            "AF",
            "INC-TEST-1-OBS-1",
        )
        assert visit.blocked_reason == "access_denied"
        assert (
            session.scalar(
                select(VerificationCase.state).where(VerificationCase.incident_id == new.id)
            )
            == "reported"
        )


def test_obstruction_keeps_the_stuck_tasks_own_note_and_links_itself(engine: Engine) -> None:
    incident_id = _under_verification(engine)
    with transaction(engine) as session:
        case = services.case_for(session, incident_id)
        visit = services.add_task(session, case, "site_visit", principal=MEDIATOR)
        queue.block_task(
            session, visit.id, principal=MONITOR, reason="access_denied",
            note="Checkpoint at Barmal turned the team back",
        )  # fmt: skip
        obstruction = record.record_obstruction(
            session, case, principal=MONITOR, obstructing_party="PK", task_id=visit.id,
            description="Border police refused the monitors passage for a second day.",
        )  # fmt: skip
        assert visit.blocked_note == "Checkpoint at Barmal turned the team back"
        assert obstruction.task_id == visit.id
        assert obstruction.description.startswith("Border police refused")
        (item,) = [
            i for i in queue.work_queue(session, principal=MEDIATOR) if i.task_id == visit.id
        ]
        assert item.blocked_reason == "access_denied"
        assert item.blocked_note == "Checkpoint at Barmal turned the team back"
        assert item.obstructions == ("INC-TEST-1-OBS-1",)


def test_determination_waits_for_the_reply_window(engine: Engine) -> None:
    incident_id = _under_verification(engine)
    with transaction(engine) as session:
        case = services.case_for(session, incident_id)
        record.record_view(session, case, principal=PK_MEMBER, position="concurs", text="Agreed.")
        services.transition(session, incident_id, "propose_findings", principal=MEDIATOR)
        record.open_reply_window(session, case, principal=MEDIATOR)
        with pytest.raises(TransitionRefused, match="right of reply of AF is still open"):
            determination.determine(session, incident_id, principal=MEDIATOR, facts=FACTS)
        later = utcnow() + timedelta(hours=73)
        made = determination.determine(
            session, incident_id, principal=MEDIATOR, facts=FACTS, now=later
        )
        assert made.findings


def test_determination_carries_the_facts_into_adjudication(engine: Engine) -> None:
    incident_id = _ready_to_determine(engine)
    with transaction(engine) as session:
        made = determination.determine(session, incident_id, principal=MEDIATOR, facts=FACTS)
        incident = session.get(Incident, incident_id)
        assert incident is not None
        assert (incident.perpetrator, incident.verification_state) == ("AF", "determined")
        stored = session.scalars(select(StoredFinding)).all()
        assert made.finding_ids == [f.id for f in stored]
        assert ("violation", "AF") in {(f["finding"], f["violating_party"]) for f in made.findings}


def test_bad_determination_facts_name_the_field(engine: Engine) -> None:
    incident_id = _ready_to_determine(engine)
    bad = {**FACTS, "attribution": [{"party": "AF", "link": "ordered"}]}
    with (
        transaction(engine) as session,
        pytest.raises(VerificationError, match=r"attribution\[0\].link"),
    ):
        determination.determine(session, incident_id, principal=MEDIATOR, facts=bad)


@pytest.mark.postgres
def test_two_mediators_determining_at_once_do_not_both_succeed(engine: Engine) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("row locks are a PostgreSQL contract; SQLite serialises writers")
    incident_id = _ready_to_determine(engine)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def determine_as(principal: object) -> None:
        try:
            with transaction(engine) as session:
                barrier.wait()
                determination.determine(session, incident_id, principal=principal, facts=FACTS)  # type: ignore[arg-type]
            outcomes.append("determined")
        except TransitionRefused as refused:
            outcomes.append(f"refused in {refused.state.value}")

    threads = [threading.Thread(target=determine_as, args=(p,)) for p in (MEDIATOR, OTHER_MEDIATOR)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["determined", "refused in determined"]
    with transaction(engine) as session:
        assert len(session.scalars(select(Determination)).all()) == 1


def test_a_team_member_off_the_team_cannot_propose_findings(engine: Engine) -> None:
    incident_id = _under_verification(engine)
    outsider = Principal("someone-else", Role.TEAM_MEMBER)
    with transaction(engine) as session, pytest.raises(AccessDenied, match="not on this"):
        services.transition(session, incident_id, "propose_findings", principal=outsider)
    with transaction(engine) as session:
        services.transition(session, incident_id, "propose_findings", principal=PK_MEMBER)
