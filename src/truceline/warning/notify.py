"""Addressing notices: in-app notifications per user, and outbox rows per subscription.

``announce`` writes everything in the caller's transaction and sends nothing:
the outbox (``truceline.warning.outbox``) delivers webhooks and emails later,
so an unreachable endpoint can never lose or hold up what caused the notice.
In a web request the outbox is drained on a background thread once the
request's transaction has committed; elsewhere ``truceline warning deliver`` does it.
Audiences are a party code (its liaison officers) or ``mediator``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from urllib.parse import urlparse

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from truceline.accounts.models import User
from truceline.accounts.roles import Principal, Role
from truceline.accounts.scoping import visible_filter
from truceline.audit.actor import Actor
from truceline.audit.log import add_logged, append_entry
from truceline.db.base import utcnow
from truceline.warning.domain import AUDIENCES, MEDIATOR_AUDIENCE, WarningError
from truceline.warning.models import Notification, OutboxMessage, Subscription
from truceline.warning.outbox import deliver_after_commit

CHANNELS = ("webhook", "email")
#: Set in ``Session.info`` by the web app: deliver right after the request commits.
WEB_REQUEST = "web_request"
#: The settings a web request's session carries (``http.deps.get_session``), for sending notices.
REQUEST_SETTINGS = "settings"


def announce(
    session: Session,
    *,
    audiences: Sequence[str],
    event: str,
    subject: str,
    body: str,
    payload: dict[str, Any],
    object_ref: tuple[str, str],
    actor: Actor,
) -> tuple[list[Notification], list[OutboxMessage]]:
    """Notify every user and subscription of ``audiences``; returns what was written."""
    notes = [
        Notification(
            recipient=user.name,
            audience=audience,
            event=event,
            subject=subject,
            body=body,
            object_type=object_ref[0],
            object_id=object_ref[1],
        )
        for audience in audiences
        for user in recipients(session, audience)
    ]
    messages = [
        OutboxMessage(
            subscription_id=sub.id,
            channel=sub.channel,
            target=sub.target,
            event=event,
            subject=subject,
            payload={**payload, "audience": audience, "summary": body},
        )
        for audience in audiences
        for sub in active_subscriptions(session, audience)
    ]
    session.add_all([*notes, *messages])
    session.flush()
    settings = session.info.get(REQUEST_SETTINGS)
    if messages and session.info.get(WEB_REQUEST) and settings is not None:
        deliver_after_commit(session, session.get_bind().engine, settings)
    append_entry(
        session,
        actor=actor,
        action="warning.notify",
        object_type=object_ref[0],
        object_id=object_ref[1],
        after={
            "event": event,
            "notifications": [n.id for n in notes],
            "outbox": [m.id for m in messages],
        },
    )
    return notes, messages


def recipients(session: Session, audience: str) -> list[User]:
    """Active users of an audience: a party's liaison officers, or every mediator."""
    query = select(User).where(User.disabled.is_(False)).order_by(User.name)
    if audience == MEDIATOR_AUDIENCE:
        query = query.where(User.role == Role.MEDIATOR.value)
    else:
        query = query.where(User.role == Role.PARTY_LIAISON.value, User.party == audience)
    return list(session.scalars(query))


def active_subscriptions(session: Session, audience: str) -> list[Subscription]:
    return list(
        session.scalars(
            select(Subscription)
            .where(Subscription.audience == audience, Subscription.active.is_(True))
            .order_by(Subscription.id)
        )
    )


def add_subscription(
    session: Session,
    *,
    channel: str,
    target: str,
    audience: str,
    secret: str | None,
    actor: Actor,
) -> Subscription:
    """Register a webhook endpoint (with its signing secret) or an email address."""
    _check_subscription(channel, target, audience, secret)
    sub = Subscription(
        channel=channel,
        target=target,
        audience=audience,
        secret=secret,
        created_by=actor.name,
    )
    add_logged(
        session,
        sub,
        actor=actor,
        action="warning.subscription.add",
        object_type="warning_subscription",
        after={"channel": channel, "target": target, "audience": audience},
    )
    return sub


def _check_subscription(channel: str, target: str, audience: str, secret: str | None) -> None:
    if channel not in CHANNELS:
        raise WarningError(f"channel must be one of {', '.join(CHANNELS)}, not {channel!r}")
    if audience not in AUDIENCES:
        raise WarningError(f"audience must be one of {', '.join(AUDIENCES)}, not {audience!r}")
    if channel == "webhook":
        url = urlparse(target)
        if url.scheme not in ("http", "https") or not url.netloc:
            raise WarningError(f"webhook target must be an http(s) URL, not {target!r}")
        if not secret or len(secret) < 16:
            raise WarningError("a webhook needs a signing secret of at least 16 characters")
    elif "@" not in target or target.startswith("@") or target.endswith("@"):
        raise WarningError(f"email target must be an address, not {target!r}")


def list_notifications(
    session: Session, recipient: str, *, unread_only: bool = False, limit: int = 100
) -> list[Notification]:
    query = select(Notification).where(Notification.recipient == recipient)
    if unread_only:
        query = query.where(Notification.read_at.is_(None))
    return list(session.scalars(query.order_by(Notification.id.desc()).limit(limit)))


def unread_count(session: Session, principal: Principal) -> int:
    """How many notices addressed to ``principal`` are unread (one COUNT on the
    recipient/read index; the policy's ``owner_user`` rule as the filter)."""
    query = (
        select(func.count())
        .select_from(Notification)
        .where(visible_filter(principal, Notification), Notification.read_at.is_(None))
    )
    return int(session.scalar(query) or 0)


def mark_read(session: Session, notification: Notification, actor: Actor) -> Notification:
    """Mark a notice read (idempotent; the first reading time is kept)."""
    if notification.read_at is not None:
        return notification
    notification.read_at = utcnow()
    append_entry(
        session,
        actor=actor,
        action="warning.notification.read",
        object_type="notification",
        object_id=notification.id,
        before={"read_at": None},
        after={"read_at": notification.read_at.isoformat()},
    )
    return notification


def notification_json(note: Notification) -> dict[str, Any]:
    return {
        "id": note.id,
        "event": note.event,
        "subject": note.subject,
        "body": note.body,
        "object_type": note.object_type,
        "object_id": note.object_id,
        "created_at": note.created_at.isoformat(),
        "read_at": note.read_at.isoformat() if note.read_at else None,
    }
