"""Feedback to community reporters, held-message review, and the gateway's outbox.

``send_feedback`` looks at every accepted message's incident and queues, once
each, the notices a reporter is owed: *under verification* when the
incident's ``verification_state`` says verification has started, the
*outcome* when it is finished, and the district committee's decision
(resolved locally, escalated). A notice names the reporter's own report code
and nothing else: no other source, no place, no person.

Held messages (unregistered or suspended senders, rate-limited bursts) wait
for a reviewer: ``release_held`` runs one through the channel again once its
sender is registered; ``dismiss_held`` closes it and keeps it.

``claim_outbox`` hands pending messages, with the recipient's number opened,
to the gateway, and marks them sent.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from truceline.accounts.policy import Action, Resource, ResourceType, require
from truceline.accounts.ratelimit import TokenBucket
from truceline.accounts.roles import Principal
from truceline.audit.log import append_entry
from truceline.community.channel import ChannelOutcome, Status, process_message, queue_message
from truceline.community.committees import DecisionKind
from truceline.community.models import (
    CommunityReporter,
    InboundMessage,
    LocalDecision,
    OutboundMessage,
)
from truceline.community.phones import PhoneVault
from truceline.community.replies import ReplyKind, outcome_text, render
from truceline.db.base import utcnow
from truceline.incidents.models import Incident, IncidentReportLink

REPORTERS = Resource(ResourceType.COMMUNITY_REPORTER)
VERIFYING_STATES = frozenset({"triaged", "under_verification", "findings_proposed"})
FINISHED_STATES = frozenset({"determined", "refuted", "closed_unverifiable"})
DECISION_REPLIES = {
    DecisionKind.RESOLVED_LOCALLY.value: ReplyKind.RESOLVED_LOCALLY,
    DecisionKind.ESCALATED.value: ReplyKind.ESCALATED,
}


def send_feedback(session: Session, *, principal: Principal) -> int:
    """Queue the notices reporters are owed; return how many were queued."""
    require(principal, Action.UPDATE, REPORTERS)
    rows = session.execute(
        select(InboundMessage, CommunityReporter, Incident)
        .join(CommunityReporter, CommunityReporter.id == InboundMessage.reporter_id)
        .join(IncidentReportLink, IncidentReportLink.report_id == InboundMessage.report_id)
        .join(Incident, Incident.id == IncidentReportLink.incident_id)
        .where(InboundMessage.status == Status.ACCEPTED, IncidentReportLink.unlinked_at.is_(None))
    ).all()
    queued = 0
    for message, reporter, incident in rows:
        for kind, body, key in _notices_for(session, message, reporter, incident):
            if queue_message(session, reporter, kind=kind, body=body, notice_key=key):
                queued += 1
    if queued:
        append_entry(session, actor=principal.as_actor(), action="community.feedback_queued",
                     object_type="outbox", object_id="sms", after={"queued": queued})  # fmt: skip
    return queued


def _notices_for(
    session: Session, message: InboundMessage, reporter: CommunityReporter, incident: Incident
) -> list[tuple[str, str, str]]:
    code, language, state = (
        message.confirmation_code or "",
        reporter.language,
        incident.verification_state,
    )
    notices = []
    if state in VERIFYING_STATES | FINISHED_STATES:
        body = render(ReplyKind.UNDER_VERIFICATION, language, code=code)
        notices.append((ReplyKind.UNDER_VERIFICATION.value, body, f"{message.id}:verifying"))
    if state in FINISHED_STATES:
        body = render(ReplyKind.OUTCOME, language, code=code, outcome=outcome_text(state, language))
        notices.append((ReplyKind.OUTCOME.value, body, f"{message.id}:outcome:{state}"))
    decisions = session.scalars(
        select(LocalDecision).where(LocalDecision.incident_id == incident.id)
    ).all()
    for decision in decisions:
        body = render(DECISION_REPLIES[decision.kind], language, code=code)
        notices.append((decision.kind, body, f"{message.id}:decision:{decision.id}"))
    return notices


# --- held messages ----------------------------------------------------------------


def held_messages(session: Session, *, principal: Principal) -> list[InboundMessage]:
    require(principal, Action.READ, REPORTERS)
    return list(
        session.scalars(
            select(InboundMessage)
            .where(InboundMessage.status.in_([Status.HELD, Status.RATE_LIMITED]))
            .order_by(InboundMessage.id)
        )
    )


def release_held(
    session: Session, message_id: int, *, principal: Principal, limiter: TokenBucket
) -> ChannelOutcome:
    """Run a held message through the channel again (its sender is now registered)."""
    require(principal, Action.UPDATE, REPORTERS)
    message = _held(session, message_id)
    message.reviewed_by = principal.name
    outcome = process_message(session, message, limiter=limiter)
    _audit_review(session, principal, message, "community.held_released")
    return outcome


def dismiss_held(session: Session, message_id: int, *, principal: Principal) -> InboundMessage:
    """Close a held message without a report; it stays stored."""
    require(principal, Action.UPDATE, REPORTERS)
    message = _held(session, message_id)
    message.status, message.reviewed_by = "dismissed", principal.name
    _audit_review(session, principal, message, "community.held_dismissed")
    return message


def _held(session: Session, message_id: int) -> InboundMessage:
    message = session.get(InboundMessage, message_id)
    if message is None or message.status not in (Status.HELD, Status.RATE_LIMITED):
        raise LookupError(f"no held message {message_id}")
    return message


def _audit_review(
    session: Session, principal: Principal, message: InboundMessage, action: str
) -> None:
    append_entry(session, actor=principal.as_actor(), action=action,
                 object_type="inbound_message", object_id=message.id,
                 after={"status": message.status, "report_id": message.report_id})  # fmt: skip


# --- the gateway's outbox ---------------------------------------------------------


@dataclass(frozen=True)
class Delivery:
    """One message for the gateway to send: the only place a number leaves the vault."""

    id: int
    to: str
    body: str


def claim_outbox(
    session: Session, *, principal: Principal, vault: PhoneVault, limit: int = 100
) -> list[Delivery]:
    require(principal, Action.UPDATE, REPORTERS)
    pending = session.scalars(
        select(OutboundMessage)
        .where(OutboundMessage.sent_at.is_(None))
        .order_by(OutboundMessage.id)
        .limit(limit)
    ).all()
    deliveries = []
    for outbound in pending:
        outbound.sent_at = utcnow()
        deliveries.append(Delivery(outbound.id, vault.open(outbound.to_sealed), outbound.body))
    if deliveries:
        append_entry(session, actor=principal.as_actor(), action="community.outbox_claimed",
                     object_type="outbox", object_id="sms",
                     after={"ids": [d.id for d in deliveries]})  # fmt: skip
    return deliveries
