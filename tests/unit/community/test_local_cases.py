"""Local cases: resolution closes the verification, escalation opens or links it and notifies
the mediators, and an elder works only their own committee (both back ends)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from truceline.accounts import services as accounts
from truceline.accounts.policy import AccessDenied
from truceline.accounts.roles import SYSTEM_ADMIN, Principal, Role
from truceline.audit.models import AuditEntry
from truceline.community import committees as svc
from truceline.community import local_cases
from truceline.community.access import readable_committees
from truceline.incidents.models import Incident
from truceline.verification import services as verification
from truceline.verification.models import CaseTransition, VerificationCase
from truceline.warning.models import Notification

from .conftest import LIAISON, MEDIATOR, Setup

WHEN = datetime(2025, 10, 22, 9, 0, tzinfo=UTC)
HAJI = Principal("haji-wali", Role.ELDER)


def _incident(setup: Setup, code: str = "INC-SB-1") -> Incident:
    incident = Incident(code=code, occurred_at=WHEN, event_type="cross_border_fire")
    setup.session.add(incident)
    setup.session.flush()
    return incident


def _elder_on_committee(setup: Setup) -> None:
    """haji-wali signs in as the committee's elder (its only member, from the fixture)."""
    accounts.create_user(setup.session, name="haji-wali", role="elder",
                         actor=SYSTEM_ADMIN.as_actor())  # fmt: skip
    member = setup.session.scalars(select(svc.CommitteeMember)).one()
    svc.link_account(setup.session, member.pseudonym, "haji-wali", principal=LIAISON)


def test_local_resolution_closes_the_verification_with_the_outcome_as_reason(
    setup: Setup,
) -> None:
    incident = _incident(setup)
    _elder_on_committee(setup)
    local_cases.resolve_locally(setup.session, setup.committee, incident.id,
                                outcome="the shepherd was returned", principal=HAJI)  # fmt: skip
    case = setup.session.scalars(select(VerificationCase)).one()
    assert case.state == incident.verification_state == "resolved_locally"
    step = setup.session.scalars(
        select(CaseTransition).where(CaseTransition.name == "resolve_locally")
    ).one()
    assert step.note == f"{setup.committee.code}: the shepherd was returned"
    assert step.actor == "haji-wali" and step.actor_role == "elder"
    actions = set(setup.session.scalars(select(AuditEntry.action)))
    assert {"verification.opened", "verification.resolve_locally",
            "community.incident_resolved_locally"} <= actions  # fmt: skip


def test_a_case_under_joint_verification_cannot_be_resolved_locally(setup: Setup) -> None:
    incident = _incident(setup)
    verification.open_case(setup.session, incident, principal=MEDIATOR)
    verification.transition(setup.session, incident.id, "triage", principal=MEDIATOR)
    case = verification.case_of_incident(setup.session, incident)
    assert case is not None
    case.state = incident.verification_state = "under_verification"
    setup.session.flush()
    with pytest.raises(svc.CommitteeError, match="under verification") as refused:
        local_cases.resolve_locally(
            setup.session, setup.committee, incident.id, outcome="x", principal=LIAISON
        )
    assert refused.value.code == "not_locally_resolvable" and refused.value.field == "incident"


def test_escalation_opens_the_case_and_notifies_every_mediator(setup: Setup) -> None:
    for name in ("mona", "omar"):
        accounts.create_user(setup.session, name=name, role="mediator",
                             actor=SYSTEM_ADMIN.as_actor())  # fmt: skip
    incident = _incident(setup)
    _elder_on_committee(setup)
    local_cases.escalate(setup.session, setup.committee, incident.id,
                         reason="artillery from the posts", principal=HAJI)  # fmt: skip
    case = setup.session.scalars(select(VerificationCase)).one()
    assert case.incident_id == incident.id and case.state == "reported"
    notes = setup.session.scalars(
        select(Notification).where(Notification.event == local_cases.ESCALATION_EVENT)
    ).all()
    assert sorted(n.recipient for n in notes) == ["mona", "omar"]
    assert all(n.object_id == incident.code and "artillery" in n.body for n in notes)


def test_escalation_links_to_a_case_already_running_and_then_forbids_resolution(
    setup: Setup,
) -> None:
    incident = _incident(setup)
    opened = verification.open_case(setup.session, incident, principal=MEDIATOR)
    local_cases.escalate(setup.session, setup.committee, incident.id,
                         reason="beyond the committee", principal=LIAISON)  # fmt: skip
    assert setup.session.scalars(select(VerificationCase)).all() == [opened]
    assert verification.case_of_incident(setup.session, incident) is opened
    with pytest.raises(svc.CommitteeError, match="escalated to the national level"):
        local_cases.resolve_locally(
            setup.session, setup.committee, incident.id, outcome="x", principal=LIAISON
        )


def test_a_closed_verification_cannot_be_escalated(setup: Setup) -> None:
    incident = _incident(setup)
    local_cases.resolve_locally(setup.session, setup.committee, incident.id,
                                outcome="settled", principal=LIAISON)  # fmt: skip
    with pytest.raises(svc.CommitteeError, match="already closed") as refused:
        local_cases.escalate(
            setup.session, setup.committee, incident.id, reason="y", principal=LIAISON
        )
    assert refused.value.code == "verification_closed"


def test_an_elder_works_only_their_own_committee(setup: Setup) -> None:
    other = svc.create_committee(setup.session, district_key="PK:chaman", name="Chaman",
                                 principal=LIAISON)  # fmt: skip
    _elder_on_committee(setup)
    assert [c.code for c in readable_committees(setup.session, HAJI)] == [setup.committee.code]
    incident = _incident(setup)
    with pytest.raises(AccessDenied):
        local_cases.escalate(setup.session, other, incident.id, reason="r", principal=HAJI)
    with pytest.raises(AccessDenied):  # nor choose who sits on their own committee
        svc.link_account(setup.session, setup.session.scalars(select(svc.CommitteeMember)).one()
                         .pseudonym, None, principal=HAJI)  # fmt: skip


def test_a_suspended_member_loses_the_committee_at_once(setup: Setup) -> None:
    _elder_on_committee(setup)
    member = setup.session.scalars(select(svc.CommitteeMember)).one()
    svc.suspend_for_coercion(setup.session, member.pseudonym, reason="threatened",
                             principal=LIAISON)  # fmt: skip
    assert readable_committees(setup.session, HAJI) == []


def test_only_an_elders_account_can_be_linked_to_a_member(setup: Setup) -> None:
    accounts.create_user(setup.session, name="farid", role="party_liaison", party="AF",
                         actor=SYSTEM_ADMIN.as_actor())  # fmt: skip
    member = setup.session.scalars(select(svc.CommitteeMember)).one()
    with pytest.raises(svc.CommitteeError, match="not an elder's account") as refused:
        svc.link_account(setup.session, member.pseudonym, "farid", principal=LIAISON)
    assert refused.value.field == "account"


def test_the_committee_follows_state_and_deadlines_of_its_cases(setup: Setup) -> None:
    incident = _incident(setup)
    _elder_on_committee(setup)
    local_cases.escalate(setup.session, setup.committee, incident.id,
                         reason="beyond us", principal=HAJI)  # fmt: skip
    [case] = local_cases.committee_cases(setup.session, setup.committee, principal=HAJI)
    assert case.code == incident.code and case.decision is not None
    assert case.progress.state == "reported"
    assert [kind for kind, _ in case.progress.open_deadlines] == ["first_assessment"]


def test_a_report_code_finds_its_incident(setup: Setup) -> None:
    with pytest.raises(svc.CommitteeError, match="no incident or linked report") as refused:
        local_cases.find_local_case(setup.session, "RPT-NOPE")
    assert refused.value.field == "incident"
    incident = _incident(setup)
    assert local_cases.find_local_case(setup.session, incident.code) is incident
