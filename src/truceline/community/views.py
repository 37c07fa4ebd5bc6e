"""A committee as its pages and commands show it: members by pseudonym, meetings and jirgas
with agenda, attendance, outcome and follow-ups, and the local cases with their progress.

One function builds it for the web page, the JSON of ``truceline community show`` and
the tests alike, after the committee rule allowed the reader (``community.access``).
Protected identities never appear: a member is a pseudonym, a role, a term, a status,
and whether they sign in; a case is its code, the committee's own decision, and the
verification's state and deadlines, never its evidence, views or reports.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from truceline.accounts.policy import Action
from truceline.accounts.roles import Principal
from truceline.community.access import require_committee
from truceline.community.local_cases import committee_cases
from truceline.community.models import (
    BorderDistrictRow,
    Committee,
    CommitteeMember,
    FollowUpAction,
    Meeting,
)
from truceline.db.base import utcnow
from truceline.incidents.models import Incident

#: The newest meetings shown on a committee's page and in its JSON.
MEETINGS_SHOWN = 50


def committee_summary(session: Session, committee: Committee) -> dict[str, Any]:
    district = session.get(BorderDistrictRow, committee.district_id)
    assert district is not None
    return {"code": committee.code, "name": committee.name, "district_key": district.key,
            "district_name": district.name, "country": district.country}  # fmt: skip


def committee_view(
    session: Session, committee: Committee, *, principal: Principal, now: datetime | None = None
) -> dict[str, Any]:
    """Everything the reader may see of one committee, as plain data."""
    require_committee(session, principal, Action.READ, committee)
    now = now or utcnow()
    members = session.scalars(
        select(CommitteeMember)
        .where(CommitteeMember.committee_id == committee.id)
        .order_by(CommitteeMember.id)
    ).all()
    return committee_summary(session, committee) | {
        "members": [member_json(m, now.date()) for m in members],
        "meetings": meetings_json(session, committee, now.date()),
        "cases": [
            case_json(c) for c in committee_cases(session, committee, principal=principal, now=now)
        ],
    }


def member_json(member: CommitteeMember, today: date) -> dict[str, Any]:
    return {
        "pseudonym": member.pseudonym,
        "role": member.role,
        "term_start": member.term_start.isoformat(),
        "term_end": member.term_end.isoformat(),
        "status": member.status,
        "in_term": member.term_start <= today <= member.term_end,
        "signs_in": member.account is not None,
    }


def meetings_json(session: Session, committee: Committee, today: date) -> list[dict[str, Any]]:
    meetings = session.scalars(
        select(Meeting)
        .where(Meeting.committee_id == committee.id)
        .order_by(Meeting.held_at.desc(), Meeting.id.desc())
        .limit(MEETINGS_SHOWN)
    ).all()
    ids = [m.id for m in meetings]
    follow_ups: dict[int, list[FollowUpAction]] = {}
    for row in session.scalars(
        select(FollowUpAction).where(FollowUpAction.meeting_id.in_(ids)).order_by(FollowUpAction.id)
    ):
        follow_ups.setdefault(row.meeting_id, []).append(row)
    named = {int(i) for m in meetings for i in m.incident_ids or []}
    codes = dict(
        session.execute(select(Incident.id, Incident.code).where(Incident.id.in_(named))).all()
    )
    return [
        {
            "id": m.id,
            "kind": m.kind,
            "held_at": m.held_at.isoformat(),
            "place": m.place,
            "attendees": list(m.attendees),
            "other_attendees": m.other_attendees,
            "attendance": len(m.attendees) + m.other_attendees,
            "agenda": list(m.issues),
            "outcome": list(m.agreements),
            "incidents": [codes.get(int(i), str(i)) for i in m.incident_ids or []],
            "follow_ups": [follow_up_json(f, today) for f in follow_ups.get(m.id, [])],
        }
        for m in meetings
    ]


def follow_up_json(row: FollowUpAction, today: date) -> dict[str, Any]:
    return {
        "id": row.id,
        "action": row.action,
        "owner": row.owner,
        "due_on": row.due_on.isoformat(),
        "status": row.status,
        "overdue": row.status == "open" and row.due_on < today,
    }


def case_json(case: Any) -> dict[str, Any]:
    decision = case.decision
    progress = case.progress
    return {
        "incident": case.code,
        "decision": decision.kind if decision else None,
        "decision_text": decision.text if decision else None,
        "decided_at": decision.decided_at.isoformat() if decision else None,
        "state": progress.state,
        "last_moved_at": progress.last_moved_at.isoformat() if progress.last_moved_at else None,
        "deadlines": [
            {"task": kind, "due_at": due.isoformat()} for kind, due in progress.open_deadlines
        ],  # fmt: skip
        "overdue": progress.overdue,
        "reply_due": progress.reply_due.isoformat() if progress.reply_due else None,
    }
