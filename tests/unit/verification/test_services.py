"""Verification cases on both back ends: opening, transitions, teams, deadlines, races."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import Engine, select

from truceline.accounts.policy import AccessDenied
from truceline.agreements.models import Agreement, AgreementVersion
from truceline.audit.models import AuditEntry
from truceline.db.base import utcnow
from truceline.db.engine import session_factory, transaction
from truceline.incidents.models import Incident
from truceline.verification import services
from truceline.verification.domain import (
    State,
    TransitionRefused,
    VerificationContext,
    check_transition,
)
from truceline.verification.models import CaseTransition, TeamMembership, VerificationTask
from truceline.verification.services import MemberSpec, VerificationError
from truceline.verification.tasks import TaskRefused

from .factories import JOINT_TEAM, MEDIATOR, MONITOR, PK_LIAISON, REPORTER, cross_border_fire


def _open(engine: Engine, **kwargs: object) -> int:
    with transaction(engine) as session:
        incident = cross_border_fire(session)
        services.open_case(session, incident, principal=MEDIATOR, **kwargs)  # type: ignore[arg-type]
        return incident.id


def test_opening_a_case_adds_a_first_assessment_due_in_72_hours(engine: Engine) -> None:
    incident_id = _open(engine)
    with transaction(engine) as session:
        case = services.case_for(session, incident_id)
        task = session.scalars(select(VerificationTask)).one()
        assert (task.kind, task.due_at - case.opened_at) == (
            "first_assessment",
            timedelta(hours=72),
        )
        again = services.open_case(session, session.get(Incident, incident_id), principal=MEDIATOR)  # type: ignore[arg-type]
        assert again.id == case.id
        actions = session.scalars(
            select(AuditEntry.action).where(AuditEntry.action.like("verification.%"))
        ).all()
        assert actions == ["verification.opened", "verification.task_added"]


def test_an_agreement_can_change_the_default_deadlines(engine: Engine) -> None:
    with transaction(engine) as session:
        agreement = session.get(Agreement, "doha-2025-10-19")
        assert agreement is not None
        version = session.scalars(
            select(AgreementVersion).where(AgreementVersion.agreement_id == agreement.id)
        ).one()
        version.document = {
            **version.document,
            "verification_deadlines_hours": {"first_assessment": 24},
        }
    incident_id = _open(engine, agreement_id="doha-2025-10-19")
    with transaction(engine) as session:
        case = services.case_for(session, incident_id)
        task = session.scalars(select(VerificationTask)).one()
        assert task.due_at - case.opened_at == timedelta(hours=24)


def test_a_case_for_an_unknown_agreement_is_refused(engine: Engine) -> None:
    with pytest.raises(VerificationError, match="unknown agreement 'nope'"):
        _open(engine, agreement_id="nope")


def test_a_deadline_in_the_past_is_refused(engine: Engine) -> None:
    incident_id = _open(engine)
    with transaction(engine) as session, pytest.raises(TaskRefused, match="due_at: .* in the past"):
        case = services.case_for(session, incident_id)
        services.add_task(
            session, case, "site_visit", principal=MEDIATOR, due_at=utcnow() - timedelta(hours=1)
        )


def test_an_invalid_transition_names_state_attempt_and_reason(engine: Engine) -> None:
    incident_id = _open(engine)
    with transaction(engine) as session, pytest.raises(TransitionRefused) as refused:
        services.transition(session, incident_id, "determine", principal=MEDIATOR)
    assert refused.value.state.value == "reported"
    assert refused.value.attempted == "determine"
    assert "allowed from here: refute, resolve_locally, triage" in refused.value.reason


def test_a_party_liaison_cannot_move_a_case(engine: Engine) -> None:
    incident_id = _open(engine)
    with transaction(engine) as session, pytest.raises(AccessDenied, match="party_liaison"):
        services.transition(session, incident_id, "triage", principal=PK_LIAISON)


def test_verification_starts_only_with_a_joint_team(engine: Engine) -> None:
    incident_id = _open(engine)
    with transaction(engine) as session:
        services.transition(session, incident_id, "triage", principal=MONITOR)
        with pytest.raises(TransitionRefused, match="no member nominated by AF"):
            services.transition(session, incident_id, "start_verification", principal=MEDIATOR)
    with transaction(engine) as session:
        case = services.case_for(session, incident_id)
        services.assign_team(session, case, JOINT_TEAM, principal=MEDIATOR)
        services.transition(session, incident_id, "start_verification", principal=MEDIATOR)
        assert session.get(Incident, incident_id).verification_state == "under_verification"  # type: ignore[union-attr]
        history = session.scalars(select(CaseTransition.name).order_by(CaseTransition.id)).all()
        assert history == ["triage", "start_verification"]


def test_a_team_without_both_parties_is_refused_and_reassignment_keeps_history(
    engine: Engine,
) -> None:
    incident_id = _open(engine)
    with transaction(engine) as session:
        case = services.case_for(session, incident_id)
        with pytest.raises(VerificationError, match="no member nominated by PK"):
            services.assign_team(
                session, case, [MemberSpec("a", "AF"), MemberSpec("m", None)], principal=MEDIATOR
            )
        services.assign_team(session, case, JOINT_TEAM, principal=MEDIATOR)
        services.assign_team(
            session, case, [*JOINT_TEAM[:2], MemberSpec("qa", None)], principal=MEDIATOR
        )
        rows = session.scalars(select(TeamMembership).order_by(TeamMembership.id)).all()
        assert len(rows) == 6
        assert [m.name for m in services.active_team(session, case.id)] == [
            "af-nominee",
            "pk-nominee",
            "qa",
        ]


def test_only_a_mediator_composes_the_team(engine: Engine) -> None:
    incident_id = _open(engine)
    with transaction(engine) as session, pytest.raises(AccessDenied):
        services.assign_team(
            session, services.case_for(session, incident_id), JOINT_TEAM, principal=MONITOR
        )


def test_the_public_cannot_open_a_case(engine: Engine) -> None:
    with transaction(engine) as session, pytest.raises(AccessDenied):
        services.open_case(session, cross_border_fire(session), principal=REPORTER)


def test_a_stale_copy_of_a_case_cannot_move_it(engine: Engine) -> None:
    """The compare-and-set on ``version``: a mover that read the case before another moved it."""
    incident_id = _open(engine)
    with session_factory(engine)() as slow, slow.begin():
        stale = services.case_for(slow, incident_id)
        with transaction(engine) as fast:
            services.transition(fast, incident_id, "triage", principal=MEDIATOR)
        step = check_transition(
            State.REPORTED,
            "refute",
            role=MEDIATOR.role,
            context=VerificationContext(),
            now=utcnow(),
        )
        with pytest.raises(TransitionRefused, match="at the same time"):
            services.apply_transition(slow, stale, step, principal=MEDIATOR, note="", now=utcnow())


def test_opening_a_case_on_imported_history_takes_the_event_up(engine: Engine) -> None:
    with transaction(engine) as session:
        incident = cross_border_fire(session)
        incident.verification_state = State.HISTORICAL.value
        case = services.open_case(session, incident, principal=MEDIATOR)
        assert case.state == incident.verification_state == State.REPORTED.value
        taken_up = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "verification.taken_up")
        ).one()
        assert (taken_up.actor, taken_up.object_id) == ("mona", str(incident.id))
