"""HTTP routes of the warning context: my notifications, cooling-off clocks, escalation.

Notifications are the caller's own (the policy's ``owner_user`` rule, applied
as a SQL filter); clocks and escalation figures are for the mechanism and the
parties (``ResourceType.EARLY_WARNING``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query
from pydantic import BaseModel, Field
from sqlalchemy import select

from truceline.accounts.access import Access, Authorized
from truceline.accounts.policy import Action, Resource, ResourceType
from truceline.db.base import utcnow
from truceline.db.bounds import RecordId
from truceline.http.deps import SessionDep
from truceline.warning.domain import WarningError
from truceline.warning.escalation import escalation_report
from truceline.warning.models import Notification, Subscription
from truceline.warning.notify import add_subscription, mark_read, notification_json
from truceline.warning.services import list_clocks

router = APIRouter(tags=["warning"])


class NotificationOut(BaseModel):
    id: int
    event: str
    subject: str
    body: str
    object_type: str
    object_id: str
    created_at: datetime
    read_at: datetime | None


class FlagOut(BaseModel):
    incident: str
    explanation: str
    flagged_at: datetime


class ClockOut(BaseModel):
    id: int
    report: str
    agreement: str | None
    alleging_party: str
    accused_party: str
    hours: int
    started_at: datetime
    ends_at: datetime
    running: bool
    remaining_hours: float
    flags: list[FlagOut]


class SubscriptionIn(BaseModel):
    channel: str = Field(description="webhook or email")
    target: str = Field(min_length=3, max_length=500, description="Endpoint URL or address.")
    audience: str = Field(description="Whose notices it receives: AF, PK or mediator.")
    secret: str | None = Field(
        default=None, max_length=200, description="Webhook signing secret (≥16 characters)."
    )


class SubscriptionOut(BaseModel):
    id: int
    channel: str
    target: str
    audience: str
    active: bool
    created_by: str


class EscalationOut(BaseModel):
    window: dict[str, str]
    events: dict[str, int]
    fit: dict[str, Any] | None
    prior: dict[str, Any] | None = None
    explanation: str


@router.get("/api/notifications", response_model=list[NotificationOut])
def my_notifications(
    session: SessionDep,
    access: Annotated[Access, Authorized(Action.READ, ResourceType.NOTIFICATION)],
    unread: bool = Query(False, description="Only notices not yet marked read."),
    limit: int = Query(100, ge=1, le=500),
) -> list[dict[str, Any]]:
    """The caller's notifications, newest first."""
    query = select(Notification).where(access.filter(Notification))
    if unread:
        query = query.where(Notification.read_at.is_(None))
    rows = session.scalars(query.order_by(Notification.id.desc()).limit(limit))
    return [notification_json(note) for note in rows]


@router.post("/api/notifications/{notification_id}/read", response_model=NotificationOut)
def mark_notification_read(
    notification_id: RecordId,
    session: SessionDep,
    access: Annotated[Access, Authorized(Action.UPDATE, ResourceType.NOTIFICATION)],
) -> dict[str, Any]:
    """Mark one of the caller's notifications read (idempotent)."""
    note = session.get(Notification, notification_id)
    if note is None:
        raise HTTPException(404, f"no notification {notification_id}")
    access.require(note)
    return notification_json(mark_read(session, note, access.principal.as_actor()))


@router.get("/api/warning/clocks", response_model=list[ClockOut])
def cooling_off_clocks(
    session: SessionDep,
    access: Annotated[Access, Authorized(Action.READ, ResourceType.EARLY_WARNING)],
    include_ended: bool = Query(False, description="Include clocks that have run out."),
) -> list[dict[str, Any]]:
    """Cooling-off clocks (running ones by default) with their breach flags."""
    access.require(Resource(ResourceType.EARLY_WARNING))
    return list_clocks(session, running_only=not include_ended)


@router.get("/api/warning/escalation", response_model=EscalationOut)
def escalation(
    session: SessionDep,
    access: Annotated[Access, Authorized(Action.READ, ResourceType.EARLY_WARNING)],
    since: Annotated[datetime | None, Query(description="Start of the window (ISO 8601).")] = None,
    until: Annotated[datetime | None, Query(description="End of the window; default now.")] = None,
) -> dict[str, Any]:
    """Cross-excitation AF←PK and PK←AF, branching ratio and retaliation shares, explained."""
    access.require(Resource(ResourceType.EARLY_WARNING))
    for name, value in (("since", since), ("until", until)):
        if value is not None and value.tzinfo is None:
            raise HTTPException(422, f"{name} must carry a time zone, e.g. 2025-10-01T00:00:00Z")
    return escalation_report(session, since=since, until=until or utcnow())


@router.get("/api/warning/subscriptions", response_model=list[SubscriptionOut])
def list_subscriptions(
    session: SessionDep,
    access: Annotated[Access, Authorized(Action.CREATE, ResourceType.EARLY_WARNING)],
) -> list[Subscription]:
    """Configured webhook endpoints and email addresses (never their secrets)."""
    access.require(Resource(ResourceType.EARLY_WARNING))
    return list(session.scalars(select(Subscription).order_by(Subscription.id)))


@router.post("/api/warning/subscriptions", response_model=SubscriptionOut, status_code=201)
def create_subscription(
    body: SubscriptionIn,
    session: SessionDep,
    access: Annotated[Access, Authorized(Action.CREATE, ResourceType.EARLY_WARNING)],
) -> Subscription:
    """Register a webhook endpoint (HMAC-SHA256 signed) or an email address for an audience."""
    access.require(Resource(ResourceType.EARLY_WARNING))
    try:
        return add_subscription(
            session,
            channel=body.channel,
            target=body.target,
            audience=body.audience,
            secret=body.secret,
            actor=access.principal.as_actor(),
        )
    except WarningError as error:
        raise HTTPException(422, str(error)) from error
