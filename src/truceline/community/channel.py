"""The short-message channel: one text message in, one stored message and one reply out.

``receive_message`` is what the gateway webhook calls for every message:

1. the sender's number becomes a keyed digest (``community.phones``); the
   same message delivered twice (same gateway id, or same sender, text and
   day) returns the first answer and creates nothing;
2. a sender over the rate limit, an unregistered number or a suspended
   reporter: the message is stored and *held for review*, never discarded;
3. the text is parsed (``community.sms``). Unreadable: a reply explaining the
   grammar. Incomplete: a reply asking for what is missing; the reporter's
   next message within ``COMPLETION_WINDOW`` is read together with it;
4. complete: the report goes through intake (source type
   ``community_reporter``, channel ``sms``), is linked into an incident, and
   the reply carries the confirmation code.

Every reply is in the sender's language and names nobody. Everything is
stored and audited in the caller's transaction.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from truceline.accounts.ratelimit import TokenBucket
from truceline.audit.actor import Actor
from truceline.audit.log import append_entry
from truceline.community.models import CommunityReporter, InboundMessage, OutboundMessage
from truceline.community.phones import PhoneVault
from truceline.community.registry import KnownPlace, place_index
from truceline.community.replies import ReplyKind, ask_missing, render
from truceline.community.reporters import reliability_history
from truceline.community.sms import ParsedMessage, parse_message
from truceline.db.base import utcnow
from truceline.events.taxonomy import Reliability, TimePrecision
from truceline.intake.schemas import Channel, IntakeSourceType, ReportSubmission
from truceline.intake.services import IntakeError, submit_report

COMPLETION_WINDOW = timedelta(hours=24)
LOCAL_TIME = {"AF": timezone(timedelta(hours=4, minutes=30)), "PK": timezone(timedelta(hours=5))}
MAX_TEXT = 1600  # ten concatenated SMS


class Status:
    ACCEPTED = "accepted"
    INCOMPLETE = "incomplete"
    UNREADABLE = "unreadable"
    HELD = "held"
    RATE_LIMITED = "rate_limited"
    COMPLETED_LATER = "completed_later"
    DUPLICATE = "duplicate"


@dataclass(frozen=True)
class IncomingSms:
    gateway: str
    sender: str
    text: str
    received_at: datetime
    message_id: str | None = None


@dataclass(frozen=True)
class ChannelOutcome:
    """What the webhook answers: no identity, no other reporter, no coordinates."""

    status: str
    reply: str
    language: str
    confirmation_code: str | None
    incident_id: int | None = None

    def as_json(self) -> dict[str, object]:
        return {
            "status": self.status,
            "reply": self.reply,
            "language": self.language,
            "confirmation_code": self.confirmation_code,
        }


def dedup_key(sms: IncomingSms, sender_digest: str) -> str:
    """Same gateway id, or else same sender, text and day: the same message."""
    if sms.message_id:
        basis = f"id|{sms.gateway}|{sms.message_id}"
    else:
        basis = f"text|{sender_digest}|{sms.received_at.date().isoformat()}|{sms.text.strip()}"
    return hashlib.sha256(basis.encode()).hexdigest()


def receive_message(
    session: Session,
    sms: IncomingSms,
    *,
    gateway_actor: Actor,
    limiter: TokenBucket,
    vault: PhoneVault,
) -> ChannelOutcome:
    digest = vault.digest(sms.sender)
    key = dedup_key(sms, digest)
    earlier = _by_dedup_key(session, key)
    if earlier is not None:
        return _duplicate(earlier)
    message = InboundMessage(
        dedup_key=key, gateway=sms.gateway, gateway_message_id=sms.message_id,
        sender_digest=digest, sender_sealed=vault.seal(sms.sender), text=sms.text[:MAX_TEXT],
        received_at=sms.received_at, status=Status.HELD,
    )  # fmt: skip
    try:
        with session.begin_nested():
            session.add(message)
            session.flush()
    except IntegrityError:
        earlier = _by_dedup_key(session, key)
        if earlier is None:
            raise
        return _duplicate(earlier)
    outcome = process_message(session, message, limiter=limiter)
    append_entry(session, actor=gateway_actor, action="community.sms_received",
                 object_type="inbound_message", object_id=message.id,
                 after={"status": message.status, "report_id": message.report_id,
                        "language": message.language})  # fmt: skip
    return outcome


def _by_dedup_key(session: Session, key: str) -> InboundMessage | None:
    return session.scalars(select(InboundMessage).where(InboundMessage.dedup_key == key)).first()


def _duplicate(earlier: InboundMessage) -> ChannelOutcome:
    if earlier.confirmation_code:
        reply = render(ReplyKind.DUPLICATE, earlier.language, code=earlier.confirmation_code)
    else:
        reply = earlier.reply
    return ChannelOutcome(Status.DUPLICATE, reply, earlier.language, earlier.confirmation_code)


def process_message(
    session: Session, message: InboundMessage, *, limiter: TokenBucket
) -> ChannelOutcome:
    index = place_index(session)
    parsed = parse_message(message.text, index.lexicon)
    message.language = parsed.language
    reporter = session.scalars(
        select(CommunityReporter).where(CommunityReporter.phone_digest == message.sender_digest)
    ).first()
    if limiter.acquire(message.sender_digest) > 0:
        return _hold(message, parsed, Status.RATE_LIMITED, ReplyKind.RATE_LIMITED, reporter)
    if reporter is None or reporter.status != "active":
        return _hold(message, parsed, Status.HELD, ReplyKind.HELD, reporter)
    message.reporter_id = reporter.id
    pending = _pending_incomplete(session, reporter, message)
    if pending is not None:
        combined = parse_message(f"{pending.text}\n{message.text}", index.lexicon)
        if combined.complete:
            pending.status = Status.COMPLETED_LATER
            parsed = combined
    message.parsed = parsed.as_json()
    if not parsed.readable:
        return _answer(message, Status.UNREADABLE, render(ReplyKind.UNREADABLE, parsed.language))
    if not parsed.complete:
        return _answer(message, Status.INCOMPLETE, ask_missing(parsed))
    return _accept(session, message, parsed, reporter, index.places.get(parsed.place or ""))


def _hold(
    message: InboundMessage,
    parsed: ParsedMessage,
    status: str,
    kind: ReplyKind,
    reporter: CommunityReporter | None,
) -> ChannelOutcome:
    message.parsed = parsed.as_json()
    message.reporter_id = reporter.id if reporter else None
    return _answer(message, status, render(kind, parsed.language))


def _answer(message: InboundMessage, status: str, reply: str) -> ChannelOutcome:
    message.status, message.reply = status, reply
    return ChannelOutcome(status, reply, message.language, message.confirmation_code)


def _pending_incomplete(
    session: Session, reporter: CommunityReporter, message: InboundMessage
) -> InboundMessage | None:
    since = message.received_at - COMPLETION_WINDOW
    return session.scalars(
        select(InboundMessage)
        .where(InboundMessage.reporter_id == reporter.id, InboundMessage.id != message.id)
        .where(InboundMessage.status == Status.INCOMPLETE, InboundMessage.received_at >= since)
        .order_by(InboundMessage.id.desc())
    ).first()


def _accept(
    session: Session,
    message: InboundMessage,
    parsed: ParsedMessage,
    reporter: CommunityReporter,
    place: KnownPlace | None,
) -> ChannelOutcome:
    actor = Actor(name=reporter.pseudonym, role="community_reporter", party=None)
    try:
        submission = _submission(
            parsed, message, reporter, place, reliability_history(session, reporter).grade
        )
        with session.begin_nested():
            result = submit_report(session, submission, actor=actor)
    except (ValidationError, IntakeError) as exc:
        # Intake refused what the parser read (a date in the future, say): keep the
        # message for a reviewer rather than lose it.
        message.parsed = parsed.as_json() | {"intake_error": str(exc)[:500]}
        return _answer(message, Status.HELD, render(ReplyKind.HELD, parsed.language))
    message.report_id = result.report.id
    message.confirmation_code = result.report.code
    reply = render(ReplyKind.ACKNOWLEDGED, parsed.language, code=result.report.code)
    outcome = _answer(message, Status.ACCEPTED, reply)
    incident_id = result.link.incident_id if result.link else None
    return ChannelOutcome(outcome.status, reply, outcome.language, outcome.confirmation_code,
                          incident_id)  # fmt: skip


def _submission(
    parsed: ParsedMessage,
    message: InboundMessage,
    reporter: CommunityReporter,
    place: KnownPlace | None,
    grade: str,
) -> ReportSubmission:
    country = place.country if place else None
    occurred_at, precision = occurred(parsed, message.received_at, country)
    casualties = {}
    if parsed.killed is not None:
        casualties = {"civilians" if parsed.civilians else "unknown": parsed.killed}
    return ReportSubmission(
        text=parsed.text, source_type=IntakeSourceType.COMMUNITY_REPORTER, channel=Channel.SMS,
        source_name=reporter.pseudonym, reliability=Reliability(grade), occurred_at=occurred_at,
        time_precision=precision, place_text=parsed.place or "",
        lat=place.lat if place else None, lon=place.lon if place else None,
        geo_precision=place.precision if place else 1, event_type=parsed.event_type,
        casualties=casualties, client_token=f"sms-{message.dedup_key[:48]}",
    )  # fmt: skip


def occurred(
    parsed: ParsedMessage, received_at: datetime, country: str | None
) -> tuple[datetime, TimePrecision]:
    """When the event happened, in the place's local time; never after the message arrived."""
    local = received_at.astimezone(LOCAL_TIME.get(country or "AF", LOCAL_TIME["AF"]))
    day = local - timedelta(days=parsed.days_ago or 0)
    if parsed.hour is None:
        return received_at if not parsed.days_ago else day, TimePrecision.DAY
    moment = day.replace(hour=parsed.hour, minute=parsed.minute, second=0, microsecond=0)
    if moment > local:
        moment -= timedelta(days=1)
    return moment, TimePrecision.HOUR


def queue_message(
    session: Session,
    reporter: CommunityReporter,
    *,
    kind: str,
    body: str,
    notice_key: str | None,
    sent: bool = False,
) -> OutboundMessage | None:
    """Queue a message to a reporter, once per ``notice_key``."""
    if notice_key is not None:
        exists = session.scalars(
            select(OutboundMessage.id).where(OutboundMessage.notice_key == notice_key)
        ).first()
        if exists is not None:
            return None
    outbound = OutboundMessage(
        reporter_id=reporter.id, to_sealed=reporter.phone_sealed, kind=kind, body=body,
        notice_key=notice_key, sent_at=utcnow() if sent else None,
    )  # fmt: skip
    session.add(outbound)
    session.flush()
    return outbound
