"""Local liaison committees: setup, members, meetings and jirgas, local resolution, escalation.

Every function takes a ``Session`` and the acting ``Principal``, checks the
access policy (``ResourceType.COMMITTEE``), and records its change in the
audit log in the same transaction. Members are known by pseudonym: their
name and contact details are sealed to the custodian key on entry
(``accounts.identities.protect_identity``) and never stored otherwise.

A member may sign in: ``link_account`` names the user account (role ``elder``)
through which that member reads and records this committee's work, and the
policy's committee rule then lets that account act on this committee only
(``community.access``). Local resolution and escalation of incidents are in
``community.local_cases``.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from truceline.accounts.identities import protect_identity
from truceline.accounts.models import User
from truceline.accounts.policy import Action, Resource, ResourceType, require
from truceline.accounts.roles import Principal, Role
from truceline.accounts.sealing import IdentityDetails
from truceline.audit.log import add_logged, append_entry
from truceline.community.access import require_committee
from truceline.community.models import Committee, CommitteeMember, FollowUpAction, Meeting
from truceline.community.registry import district_by_key
from truceline.db.base import utcnow
from truceline.errors import CodedError

COMMITTEE = Resource(ResourceType.COMMITTEE)


class MemberRole(StrEnum):
    ELDER = "elder"
    COMMUNITY_LEADER = "community_leader"
    WOMENS_REPRESENTATIVE = "womens_representative"
    LOCAL_OFFICIAL = "local_official"


class MeetingKind(StrEnum):
    MEETING = "meeting"
    JIRGA = "jirga"


class DecisionKind(StrEnum):
    RESOLVED_LOCALLY = "resolved_locally"
    ESCALATED = "escalated"


class CommitteeError(CodedError, ValueError):
    """A committee operation refused; the message names the field or record at fault,
    ``code`` says what went wrong for pages to translate, ``field`` which input (by
    default the message's leading ``field:``)."""

    default_code = "invalid"

    def __init__(self, message: str, *, code: str | None = None, field: str | None = None) -> None:
        if field is None:
            field = message.split(":", 1)[0].strip()
        super().__init__(message, code=code, field=field)


def create_committee(
    session: Session, *, district_key: str, name: str, principal: Principal
) -> Committee:
    require(principal, Action.CREATE, COMMITTEE)
    district = district_by_key(session, district_key)
    if not name.strip():
        raise CommitteeError("name: a committee needs a name")
    committee = Committee(
        code=f"CMT-{secrets.token_hex(3).upper()}",
        name=name.strip(),
        district_id=district.id,
        created_by=principal.name,
    )
    add_logged(session, committee, actor=principal.as_actor(), action="community.committee_created",
               object_type="committee", after=lambda committee: {"code": committee.code,
               "district": district.key, "name": committee.name})  # fmt: skip
    return committee


def committee_by_code(session: Session, code: str) -> Committee:
    committee = session.scalars(select(Committee).where(Committee.code == code)).first()
    if committee is None:
        raise CommitteeError(f"no committee {code!r}", code="unknown_committee", field="committee")
    return committee


def add_member(
    session: Session,
    committee: Committee,
    details: IdentityDetails,
    *,
    role: MemberRole,
    term_start: date,
    term_end: date,
    principal: Principal,
    keys_dir: Path,
) -> CommitteeMember:
    """Seal the member's identity and contact details (to the custodian key in ``keys_dir``);
    keep role, term and pseudonym."""
    require_committee(session, principal, Action.MANAGE, committee)
    if term_end < term_start:
        raise CommitteeError(f"term_end {term_end} is before term_start {term_start}")
    sealed = protect_identity(
        session, details, kind="committee_member", principal=principal, keys_dir=keys_dir
    )
    member = CommitteeMember(
        committee_id=committee.id,
        pseudonym=sealed.pseudonym,
        role=MemberRole(role).value,
        term_start=term_start,
        term_end=term_end,
    )
    add_logged(session, member, actor=principal.as_actor(), action="community.member_added",
               object_type="committee_member", object_id=member.pseudonym,
               after={"committee": committee.code, "role": member.role,
                  "term": [term_start.isoformat(), term_end.isoformat()]})  # fmt: skip
    return member


def member_by_pseudonym(session: Session, pseudonym: str) -> CommitteeMember:
    member = session.scalars(
        select(CommitteeMember).where(CommitteeMember.pseudonym == pseudonym)
    ).first()
    if member is None:
        raise CommitteeError(
            f"no committee member {pseudonym!r}", code="unknown_member", field="pseudonym"
        )
    return member


def link_account(
    session: Session, pseudonym: str, account: str | None, *, principal: Principal
) -> CommitteeMember:
    """Let the member sign in with ``account`` (an ``elder`` account), or unlink with None."""
    member = member_by_pseudonym(session, pseudonym)
    committee = session.get(Committee, member.committee_id)
    assert committee is not None
    require_committee(session, principal, Action.MANAGE, committee)
    if account is not None:
        user = session.scalars(select(User).where(User.name == account)).first()
        if user is None or user.role != Role.ELDER.value:
            raise CommitteeError(
                f"account: {account!r} is not an elder's account "
                "(create it with: truceline users create NAME --role elder)",
                code="not_an_elder",
                field="account",
            )
    before = {"account": member.account}
    member.account = account
    session.flush()
    _audit(session, principal, "community.member_account", "committee_member", pseudonym,
           before=before, after={"account": account})  # fmt: skip
    return member


def suspend_for_coercion(
    session: Session, pseudonym: str, *, reason: str, principal: Principal
) -> CommitteeMember:
    """Suspend a member's role at once when the committee reports coercion (audited)."""
    member = member_by_pseudonym(session, pseudonym)
    committee = session.get(Committee, member.committee_id)
    assert committee is not None
    require_committee(session, principal, Action.UPDATE, committee)
    if not reason.strip():
        raise CommitteeError("reason: say what the committee reported", code="missing")
    before = {"status": member.status}
    member.status = "suspended"
    member.suspended_at = utcnow()
    member.suspension_reason = reason.strip()
    session.flush()
    _audit(session, principal, "community.member_suspended", "committee_member", pseudonym,
           before=before, after={"status": "suspended", "ground": "coercion"})  # fmt: skip
    return member


def meeting_by_id(session: Session, meeting_id: int) -> Meeting:
    meeting = session.get(Meeting, meeting_id)
    if meeting is None:
        raise CommitteeError(f"meeting: no meeting {meeting_id}", code="unknown_meeting")
    return meeting


def is_active(member: CommitteeMember, on: date) -> bool:
    return member.status == "active" and member.term_start <= on <= member.term_end


@dataclass(frozen=True)
class FollowUp:
    action: str
    owner: str
    due_on: date


@dataclass(frozen=True)
class MeetingRecord:
    kind: MeetingKind
    held_at: datetime
    place: str
    attendees: list[str]
    other_attendees: int
    issues: list[str]
    agreements: list[str]
    follow_ups: list[FollowUp]
    incident_ids: list[int]


def record_meeting(
    session: Session, committee: Committee, record: MeetingRecord, *, principal: Principal
) -> Meeting:
    """A meeting or jirga with its attendees (members by pseudonym), issues, agreements."""
    require_committee(session, principal, Action.UPDATE, committee)
    _check_attendees(session, committee, record.attendees)
    for index, follow_up in enumerate(record.follow_ups):
        if not follow_up.action.strip() or not follow_up.owner.strip():
            raise CommitteeError(
                f"follow_ups[{index}]: an action needs a text and an owner", code="missing"
            )
    meeting = Meeting(
        committee_id=committee.id, kind=MeetingKind(record.kind).value, held_at=record.held_at,
        place=record.place, attendees=list(record.attendees),
        other_attendees=record.other_attendees, issues=list(record.issues),
        agreements=list(record.agreements), incident_ids=list(record.incident_ids),
        recorded_by=principal.name,
    )  # fmt: skip
    session.add(meeting)
    session.flush()
    for follow_up in record.follow_ups:
        session.add(FollowUpAction(meeting_id=meeting.id, action=follow_up.action,
                                   owner=follow_up.owner, due_on=follow_up.due_on))  # fmt: skip
    session.flush()
    _audit(session, principal, "community.meeting_recorded", "meeting", meeting.id,
           after={"committee": committee.code, "kind": meeting.kind,
                  "held_at": meeting.held_at.isoformat(), "follow_ups": len(record.follow_ups)})  # fmt: skip
    return meeting


def _check_attendees(session: Session, committee: Committee, attendees: list[str]) -> None:
    members = set(
        session.scalars(
            select(CommitteeMember.pseudonym).where(CommitteeMember.committee_id == committee.id)
        )
    )
    strangers = [p for p in attendees if p not in members]
    if strangers:
        raise CommitteeError(
            f"attendees: {', '.join(strangers)} are not members of {committee.code}; "
            "count other attendees in other_attendees",
            code="not_a_member",
        )


def complete_follow_up(
    session: Session, follow_up_id: int, *, principal: Principal
) -> FollowUpAction:
    follow_up = session.get(FollowUpAction, follow_up_id)
    if follow_up is None:
        raise CommitteeError(
            f"no follow-up action {follow_up_id}", code="unknown_follow_up", field="follow_up"
        )
    require_committee(session, principal, Action.UPDATE, committee_of_follow_up(session, follow_up))
    follow_up.status, follow_up.done_at = "done", utcnow()
    session.flush()
    _audit(session, principal, "community.follow_up_done", "follow_up", follow_up.id,
           before={"status": "open"}, after={"status": "done"})  # fmt: skip
    return follow_up


def committee_of_follow_up(session: Session, follow_up: FollowUpAction) -> Committee:
    meeting = session.get(Meeting, follow_up.meeting_id)
    committee = session.get(Committee, meeting.committee_id) if meeting else None
    assert committee is not None
    return committee


def overdue_follow_ups(session: Session, committee: Committee, today: date) -> list[FollowUpAction]:
    query = (
        select(FollowUpAction)
        .join(Meeting, Meeting.id == FollowUpAction.meeting_id)
        .where(Meeting.committee_id == committee.id, FollowUpAction.status == "open")
        .where(FollowUpAction.due_on < today)
        .order_by(FollowUpAction.due_on)
    )
    return list(session.scalars(query))


def _audit(
    session: Session,
    principal: Principal,
    action: str,
    object_type: str,
    object_id: str | int,
    *,
    before: object = None,
    after: object = None,
) -> None:
    append_entry(session, actor=principal.as_actor(), action=action, object_type=object_type,
                 object_id=object_id, before=before, after=after)  # fmt: skip
