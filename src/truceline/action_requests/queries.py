"""Reading requests: a party's outbox and inbox, the screening queue, figures, JSON views.

Every query is narrowed by the policy's own SQL filter (``scoping.visible_filter``),
so a list never holds a request the caller may not read; the box only sorts
what remains (outbox: made by the caller's party; inbox: delivered to it).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, select, true
from sqlalchemy.orm import Session

from truceline.accounts.policy import Action
from truceline.accounts.policy_requests import available_request_steps
from truceline.accounts.roles import Principal, Role
from truceline.accounts.scoping import visible_filter
from truceline.action_requests.access import request_resource
from truceline.action_requests.domain import (
    AWAITING_RESPONSE,
    RequestState,
    answered_in_time,
    is_overdue,
)
from truceline.action_requests.models import ActionRequest
from truceline.action_requests.services import history


class Box(StrEnum):
    OUTBOX = "outbox"
    INBOX = "inbox"
    SCREENING = "screening"
    VERIFICATION = "verification"
    ALL = "all"


def default_box(principal: Principal) -> Box:
    if principal.role is Role.PARTY_LIAISON:
        return Box.INBOX
    if principal.role is Role.MEDIATOR:
        return Box.SCREENING
    if principal.role in {Role.FIELD_MONITOR, Role.TEAM_MEMBER}:
        return Box.VERIFICATION
    return Box.ALL


def _box_filter(principal: Principal, box: Box) -> ColumnElement[bool]:
    party = principal.party
    if box is Box.OUTBOX:
        return ActionRequest.requesting_party == (party or "")
    if box is Box.INBOX:
        return and_(ActionRequest.addressed_party == (party or ""), ActionRequest.delivered)
    if box is Box.SCREENING:
        return ActionRequest.state == RequestState.SUBMITTED.value
    if box is Box.VERIFICATION:
        return ActionRequest.state == RequestState.RESPONDED.value
    return true()


@dataclass(frozen=True)
class Page:
    items: list[ActionRequest]
    total: int


def list_box(
    session: Session, principal: Principal, box: Box, *, limit: int = 50, offset: int = 0
) -> Page:
    """One page of a box, newest first, with its total (only what the caller may read)."""
    where = and_(visible_filter(principal, ActionRequest), _box_filter(principal, box))
    total = session.scalar(select(func.count()).select_from(ActionRequest).where(where)) or 0
    rows = session.scalars(
        select(ActionRequest)
        .where(where)
        .order_by(ActionRequest.submitted_at.desc(), ActionRequest.id.desc())
        .limit(limit)
        .offset(offset)
    )
    return Page(list(rows), int(total))


def request_summary(request: ActionRequest, now: datetime) -> dict[str, Any]:
    """A row of a box (no intelligence: packages are listed on the request alone)."""
    return {
        "code": request.code,
        "requesting_party": request.requesting_party,
        "addressed_party": request.addressed_party,
        "group": request.group_id,
        "asked_action": request.asked_action,
        "target_kind": request.target_kind,
        "state": request.state,
        "submitted_at": request.submitted_at.isoformat(),
        "deadline_at": request.deadline_at.isoformat() if request.deadline_at else None,
        "overdue": is_overdue(RequestState(request.state), request.deadline_at, now),
        "answered_in_time": answered_in_time(request.deadline_at, request.responded_at),
        "provenance": request.provenance,
    }


def request_detail(
    session: Session, principal: Principal, request: ActionRequest, now: datetime
) -> dict[str, Any]:
    """Everything about a request the caller may read, with its explained history."""
    events = history(session, request)
    steps = available_request_steps(principal, request_resource(request))
    return {
        **request_summary(request, now),
        "group_name_given": request.group_name_given,
        "target_detail": request.target_detail,
        "lat": request.lat,
        "lon": request.lon,
        "agreement": request.agreement_id,
        "clause": request.clause_id,
        "summary": request.summary,
        "tlp": request.tlp,
        "source_note": request.source_note,
        "window_basis": request.window_basis,
        "return_reason": request.return_reason,
        "return_text": request.return_text,
        "response_kind": request.response_kind,
        "dispute_reason": request.dispute_reason,
        "response_text": request.response_text,
        "responded_at": request.responded_at.isoformat() if request.responded_at else None,
        "verification_outcome": request.verification_outcome,
        "verification_text": request.verification_text,
        "history": [
            {
                "step": e.step,
                "from": e.from_state,
                "to": e.to_state,
                "actor": e.actor,
                "role": e.role,
                "party": e.party,
                "at": e.at.isoformat(),
                "explanation": e.explanation,
                "explanation_parts": e.explanation_parts,
            }
            for e in events
        ],
        "available_steps": [s.value for s in steps],
    }


def figures(session: Session, principal: Principal, now: datetime) -> dict[str, Any]:
    """Requests per party, share answered in time, outcomes: over what the caller may read."""
    return figures_where(session, visible_filter(principal, ActionRequest, Action.READ), now)


def figures_where(session: Session, where: ColumnElement[bool], now: datetime) -> dict[str, Any]:
    """The figures over the requests selected by ``where`` (reports pass ``true()``)."""
    in_time = case((ActionRequest.responded_at <= ActionRequest.deadline_at, 1), else_=0)
    rows = session.execute(
        select(
            ActionRequest.requesting_party,
            func.count(),
            func.count(ActionRequest.responded_at),
            func.sum(in_time),
            func.count(ActionRequest.deadline_at),
        )
        .where(where)
        .group_by(ActionRequest.requesting_party)
    ).all()
    per_party = {
        party: {
            "made": int(made),
            "responded": int(answered),
            "answered_in_time": int(timely or 0),
        }
        for party, made, answered, timely, _with_deadline in rows
    }
    outcomes = _counts(session, where, ActionRequest.response_kind)
    verification = _counts(session, where, ActionRequest.verification_outcome)
    states = _counts(session, where, ActionRequest.state)
    overdue = session.scalar(
        select(func.count())
        .select_from(ActionRequest)
        .where(
            where,
            ActionRequest.state.in_([s.value for s in AWAITING_RESPONSE]),
            ActionRequest.deadline_at < now,
        )
    )
    responded = sum(p["responded"] for p in per_party.values())
    timely = sum(p["answered_in_time"] for p in per_party.values())
    return {
        "total": sum(p["made"] for p in per_party.values()),
        "per_party": per_party,
        "share_answered_in_time": round(timely / responded, 3) if responded else None,
        "outcomes": outcomes,
        "verification": verification,
        "states": states,
        "overdue": int(overdue or 0),
    }


def _counts(session: Session, where: ColumnElement[bool], column: Any) -> dict[str, int]:
    rows = session.execute(
        select(column, func.count())
        .where(where, column.is_not(None))
        .group_by(column)
        .order_by(column)
    )
    return {str(key): int(count) for key, count in rows}
