"""Committees: members sealed, coercion suspends at once, meetings, local decisions (both back ends)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from truceline.accounts.models import ProtectedIdentity
from truceline.accounts.policy import AccessDenied
from truceline.accounts.roles import Principal, Role
from truceline.audit.models import AuditEntry
from truceline.community import committees as svc
from truceline.community import local_cases
from truceline.config import get_settings
from truceline.incidents.models import Incident

from .conftest import ELDER, LIAISON, Setup

WHEN = datetime(2025, 10, 22, 9, 0, tzinfo=UTC)


def _incident(setup: Setup) -> Incident:
    incident = Incident(code="INC-SB-1", occurred_at=WHEN, event_type="cross_border_fire")
    setup.session.add(incident)
    setup.session.flush()
    return incident


def _actions(setup: Setup) -> list[str]:
    rows = setup.session.scalars(
        select(AuditEntry.action).where(AuditEntry.action.like("community.%"))
    )
    return list(rows)


def test_a_members_identity_is_sealed_and_only_the_pseudonym_is_kept(sqlite_setup: Setup) -> None:
    member = sqlite_setup.session.scalars(select(svc.CommitteeMember)).one()
    assert member.pseudonym.startswith("C-") and member.role == "elder"
    stored = sqlite_setup.session.scalars(
        select(ProtectedIdentity).where(ProtectedIdentity.pseudonym == member.pseudonym)
    ).one()
    assert ELDER.name.encode() not in stored.ciphertext
    assert "community.member_added" in _actions(sqlite_setup)


def test_coercion_suspends_an_elder_at_once_and_is_audited(setup: Setup) -> None:
    member = setup.session.scalars(select(svc.CommitteeMember)).one()
    assert svc.is_active(member, date(2026, 1, 1))
    svc.suspend_for_coercion(setup.session, member.pseudonym,
                             reason="pressured to withdraw a report", principal=LIAISON)  # fmt: skip
    assert member.status == "suspended" and not svc.is_active(member, date(2026, 1, 1))
    assert "community.member_suspended" in _actions(setup)


def test_a_term_that_ends_before_it_starts_is_refused(sqlite_setup: Setup) -> None:
    with pytest.raises(svc.CommitteeError, match="term_end"):
        svc.add_member(sqlite_setup.session, sqlite_setup.committee, ELDER, role=svc.MemberRole.ELDER,
                       term_start=date(2026, 1, 1), term_end=date(2025, 1, 1), principal=LIAISON,
                       keys_dir=get_settings().resolved_keys_dir)  # fmt: skip


def test_a_party_liaison_cannot_run_a_committee(sqlite_setup: Setup) -> None:
    with pytest.raises(AccessDenied):
        svc.create_committee(sqlite_setup.session, district_key="PK:chaman", name="x",
                             principal=Principal("farid", Role.PARTY_LIAISON, "AF"))  # fmt: skip


def test_an_unknown_district_is_named_in_the_error(sqlite_setup: Setup) -> None:
    with pytest.raises(LookupError, match="AF:atlantis"):
        svc.create_committee(
            sqlite_setup.session, district_key="AF:atlantis", name="x", principal=LIAISON
        )


def test_a_jirga_records_attendees_issues_agreements_and_follow_ups(setup: Setup) -> None:
    member = setup.session.scalars(select(svc.CommitteeMember)).one()
    incident = _incident(setup)
    record = svc.MeetingRecord(
        kind=svc.MeetingKind.JIRGA, held_at=WHEN, place="Wesh", attendees=[member.pseudonym],
        other_attendees=14, issues=["firing near the gate"], agreements=["shepherds keep 1 km back"],
        follow_ups=[svc.FollowUp("inform both border posts", "district official", date(2025, 10, 25))],
        incident_ids=[incident.id],
    )  # fmt: skip
    meeting = svc.record_meeting(setup.session, setup.committee, record, principal=LIAISON)
    assert meeting.attendees == [member.pseudonym] and meeting.other_attendees == 14
    overdue = svc.overdue_follow_ups(setup.session, setup.committee, date(2025, 10, 26))
    assert [f.owner for f in overdue] == ["district official"]
    svc.complete_follow_up(setup.session, overdue[0].id, principal=LIAISON)
    assert svc.overdue_follow_ups(setup.session, setup.committee, date(2025, 10, 26)) == []


def test_a_stranger_cannot_be_listed_as_an_attending_member(sqlite_setup: Setup) -> None:
    record = svc.MeetingRecord(
        svc.MeetingKind.MEETING, WHEN, "Wesh", ["C-NOTAMEMB"], 0, [], [], [], []
    )
    with pytest.raises(svc.CommitteeError, match="C-NOTAMEMB are not members"):
        svc.record_meeting(sqlite_setup.session, sqlite_setup.committee, record, principal=LIAISON)


def test_local_resolution_records_the_outcome(setup: Setup) -> None:
    incident = _incident(setup)
    decision = local_cases.resolve_locally(setup.session, setup.committee, incident.id,
                                   outcome="shepherd returned; elders on both sides agreed",
                                   principal=LIAISON)  # fmt: skip
    assert decision.kind == "resolved_locally"
    assert "community.incident_resolved_locally" in _actions(setup)


def test_escalation_states_its_reason_and_ends_local_resolution(setup: Setup) -> None:
    incident = _incident(setup)
    with pytest.raises(svc.CommitteeError, match="reason"):
        local_cases.escalate(
            setup.session, setup.committee, incident.id, reason=" ", principal=LIAISON
        )
    local_cases.escalate(setup.session, setup.committee, incident.id,
                 reason="artillery from posts, beyond the committee", principal=LIAISON)  # fmt: skip
    with pytest.raises(svc.CommitteeError, match="escalated to the national level"):
        local_cases.resolve_locally(
            setup.session, setup.committee, incident.id, outcome="x", principal=LIAISON
        )
    kinds = [d.kind for d in local_cases.decisions_for(setup.session, incident.id)]
    assert kinds == ["escalated"]
