"""HTTP API of the community context, and the webhook for any SMS gateway.

The gateway posts each message to ``POST /api/community/sms/inbound`` (JSON
``{"from", "text", "id", "received_at"}``, or a form with ``From``, ``Body``,
``MessageSid``) with an API token of a service account allowed to handle
community reporters (a community liaison's, say), sends the ``reply`` it gets
back, and collects feedback notices with ``POST /api/community/sms/outbox/claim``.
People are named by pseudonym in every response; the only response holding a
phone number is the outbox claim, which a gateway account alone can make.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, HTTPException, Request
from pydantic import ValidationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from truceline.accounts.access import Access, Authorized
from truceline.accounts.policy import Action, ResourceType
from truceline.accounts.ratelimit import SharedRateLimiter
from truceline.accounts.sealing import IdentityDetails
from truceline.community import committees as svc
from truceline.community import feedback, local_cases
from truceline.community.access import readable_committees, require_committee
from truceline.community.channel import IncomingSms, receive_message
from truceline.community.models import (
    BorderDistrictRow,
    Committee,
    CommitteeMember,
    CommunityReporter,
    FollowUpAction,
    LocalDecision,
    Meeting,
)
from truceline.community.phones import PhoneVault
from truceline.community.registry import (
    UnknownDistrict,
    district_by_key,
    district_json,
    list_districts,
)
from truceline.community.reporters import ReporterError, register_reporter, reliability_history
from truceline.community.schemas import (
    CommitteeIn,
    CommitteeOut,
    DecisionIn,
    DecisionOut,
    DeliveryOut,
    HeldMessageOut,
    InboundSmsIn,
    MeetingIn,
    MeetingOut,
    MemberIn,
    MemberOut,
    ReporterIn,
    ReporterOut,
    SmsReplyOut,
    SuspensionIn,
)
from truceline.config import get_settings
from truceline.db.bounds import RecordId
from truceline.db.engine import default_engine
from truceline.http.deps import Public, SessionDep

router = APIRouter(prefix="/api/community", tags=["community"])

ReadCommittees = Annotated[Access, Authorized(Action.READ, ResourceType.COMMITTEE)]
ManageCommittee = Annotated[Access, Authorized(Action.MANAGE, ResourceType.COMMITTEE)]
CreateCommittee = Annotated[Access, Authorized(Action.CREATE, ResourceType.COMMITTEE)]
UpdateCommittee = Annotated[Access, Authorized(Action.UPDATE, ResourceType.COMMITTEE)]
ReadReporters = Annotated[Access, Authorized(Action.READ, ResourceType.COMMUNITY_REPORTER)]
CreateReporter = Annotated[Access, Authorized(Action.CREATE, ResourceType.COMMUNITY_REPORTER)]
Gateway = Annotated[Access, Authorized(Action.UPDATE, ResourceType.COMMUNITY_REPORTER)]

_limiters: dict[float, SharedRateLimiter] = {}


def sender_limiter(session: Session) -> SharedRateLimiter:
    """The senders' buckets (in the database, so shared by every worker), spent in ``session``."""
    rate = get_settings().sms_sender_rate_per_minute
    shared = _limiters.setdefault(rate, SharedRateLimiter(per_minute=rate, engine=default_engine))
    return shared.within(session)


def _unprocessable(message: str) -> HTTPException:
    return HTTPException(status_code=422, detail=message)


# --- districts: public reference data ----------------------------------------------


@router.get("/districts")
def districts(
    _: Public, session: SessionDep, country: str | None = None
) -> list[dict[str, object]]:
    return [district_json(row) for row in list_districts(session, country=country)]


@router.get("/districts/{key}")
def district(_: Public, key: str, session: SessionDep) -> dict[str, object]:
    try:
        return district_json(district_by_key(session, key))
    except UnknownDistrict as exc:
        raise HTTPException(status_code=404, detail=str(exc)) from None


# --- committees ----------------------------------------------------------------------


@router.post("/committees", status_code=201)
def create_committee(
    body: CommitteeIn, session: SessionDep, access: CreateCommittee
) -> CommitteeOut:
    try:
        committee = svc.create_committee(
            session, district_key=body.district_key, name=body.name, principal=access.principal
        )
    except (UnknownDistrict, svc.CommitteeError) as exc:
        raise _unprocessable(str(exc)) from None
    return committee_out(session, committee)


@router.get("/committees")
def committees(session: SessionDep, access: ReadCommittees) -> list[CommitteeOut]:
    rows = readable_committees(session, access.principal)
    return [committee_out(session, committee) for committee in rows]


@router.get("/committees/{code}")
def committee(code: str, session: SessionDep, access: ReadCommittees) -> CommitteeOut:
    found = _committee(session, code)
    require_committee(session, access.principal, Action.READ, found)
    return committee_out(session, found)


def _committee(session: Session, code: str) -> Committee:
    try:
        return svc.committee_by_code(session, code)
    except svc.CommitteeError as exc:
        raise HTTPException(status_code=404, detail=str(exc)) from None


def committee_out(session: Session, committee: Committee) -> CommitteeOut:
    district_row = session.get(BorderDistrictRow, committee.district_id)
    assert district_row is not None
    members = session.scalars(
        select(CommitteeMember)
        .where(CommitteeMember.committee_id == committee.id)
        .order_by(CommitteeMember.id)
    )
    open_follow_ups = session.scalar(
        select(func.count(FollowUpAction.id))
        .join(Meeting, Meeting.id == FollowUpAction.meeting_id)
        .where(Meeting.committee_id == committee.id, FollowUpAction.status == "open")
    )
    return CommitteeOut(
        code=committee.code, name=committee.name, district_key=district_row.key,
        district_name=district_row.name, open_follow_ups=int(open_follow_ups or 0),
        members=[MemberOut(pseudonym=m.pseudonym, role=m.role, term_start=m.term_start,
                           term_end=m.term_end, status=m.status) for m in members],
    )  # fmt: skip


@router.post("/committees/{code}/members", status_code=201)
def add_member(
    code: str, body: MemberIn, session: SessionDep, access: ManageCommittee
) -> MemberOut:
    details = IdentityDetails(
        name=body.person.name, phone=body.person.phone, village=body.person.village
    )
    member = svc.add_member(
        session, _committee(session, code), details, role=body.role, term_start=body.term_start,
        term_end=body.term_end, principal=access.principal,
        keys_dir=get_settings().resolved_keys_dir,
    )  # fmt: skip
    return MemberOut(pseudonym=member.pseudonym, role=member.role, term_start=member.term_start,
                     term_end=member.term_end, status=member.status)  # fmt: skip


@router.post("/members/{pseudonym}/suspend")
def suspend_member(
    pseudonym: str, body: SuspensionIn, session: SessionDep, access: UpdateCommittee
) -> MemberOut:
    try:
        member = svc.suspend_for_coercion(
            session, pseudonym, reason=body.reason, principal=access.principal
        )
    except svc.CommitteeError as exc:
        raise HTTPException(status_code=404, detail=str(exc)) from None
    return MemberOut(pseudonym=member.pseudonym, role=member.role, term_start=member.term_start,
                     term_end=member.term_end, status=member.status)  # fmt: skip


@router.post("/committees/{code}/meetings", status_code=201)
def record_meeting(
    code: str, body: MeetingIn, session: SessionDep, access: UpdateCommittee
) -> MeetingOut:
    committee = _committee(session, code)
    record = svc.MeetingRecord(
        kind=body.kind, held_at=body.held_at, place=body.place, attendees=body.attendees,
        other_attendees=body.other_attendees, issues=body.issues, agreements=body.agreements,
        incident_ids=body.incident_ids,
        follow_ups=[svc.FollowUp(f.action, f.owner, f.due_on) for f in body.follow_ups],
    )  # fmt: skip
    try:
        meeting = svc.record_meeting(session, committee, record, principal=access.principal)
    except svc.CommitteeError as exc:
        raise _unprocessable(str(exc)) from None
    return MeetingOut(id=meeting.id, committee=committee.code, kind=meeting.kind, held_at=meeting.held_at,
                      attendees=len(meeting.attendees) + meeting.other_attendees,
                      follow_ups=len(body.follow_ups))  # fmt: skip


# --- local resolution and escalation -------------------------------------------------


@router.post("/incidents/{incident_id}/resolve", status_code=201)
def resolve(
    incident_id: RecordId, body: DecisionIn, session: SessionDep, access: UpdateCommittee
) -> DecisionOut:
    """Record that the district committee settled the incident (``text`` is the outcome)."""
    committee, meeting = _committee(session, body.committee), _meeting(session, body.meeting_id)
    try:
        decision = local_cases.resolve_locally(session, committee, incident_id, outcome=body.text,
                                               principal=access.principal, meeting=meeting)  # fmt: skip
    except svc.CommitteeError as exc:
        raise _unprocessable(str(exc)) from None
    return _decision_out(decision, committee.code)


@router.post("/incidents/{incident_id}/escalate", status_code=201)
def escalate(
    incident_id: RecordId, body: DecisionIn, session: SessionDep, access: UpdateCommittee
) -> DecisionOut:
    """Pass the incident to verification (``text`` is the reason): its case is opened or
    linked, and the mediators are notified."""
    committee, meeting = _committee(session, body.committee), _meeting(session, body.meeting_id)
    try:
        decision = local_cases.escalate(session, committee, incident_id, reason=body.text,
                                        principal=access.principal, meeting=meeting)  # fmt: skip
    except svc.CommitteeError as exc:
        raise _unprocessable(str(exc)) from None
    return _decision_out(decision, committee.code)


def _meeting(session: Session, meeting_id: int | None) -> Meeting | None:
    if meeting_id is None:
        return None
    meeting = session.get(Meeting, meeting_id)
    if meeting is None:
        raise _unprocessable(f"meeting_id: no meeting {meeting_id}")
    return meeting


@router.get("/incidents/{incident_id}/decisions")
def decisions(
    incident_id: RecordId, session: SessionDep, access: ReadCommittees
) -> list[DecisionOut]:
    rows = local_cases.decisions_for(session, incident_id)
    readable = {c.id: c.code for c in readable_committees(session, access.principal)}
    return [_decision_out(d, readable[d.committee_id]) for d in rows if d.committee_id in readable]


def _decision_out(decision: LocalDecision, committee_code: str) -> DecisionOut:
    return DecisionOut(id=decision.id, incident_id=decision.incident_id, committee=committee_code,
                       kind=decision.kind, text=decision.text, decided_at=decision.decided_at)  # fmt: skip


# --- reporters -------------------------------------------------------------------------


@router.post("/reporters", status_code=201)
def register(body: ReporterIn, session: SessionDep, access: CreateReporter) -> ReporterOut:
    committee = _committee(session, body.committee) if body.committee else None
    details = IdentityDetails(
        name=body.person.name, phone=body.person.phone, village=body.person.village
    )
    try:
        reporter = register_reporter(session, details, committee=committee, language=body.language,
                                     principal=access.principal, vault=_vault(),
                                     keys_dir=get_settings().resolved_keys_dir)  # fmt: skip
    except (ReporterError, ValueError) as exc:
        raise _unprocessable(str(exc)) from None
    return reporter_out(session, reporter)


@router.get("/reporters")
def reporters(session: SessionDep, access: ReadReporters) -> list[ReporterOut]:
    rows = session.scalars(select(CommunityReporter).order_by(CommunityReporter.pseudonym))
    return [reporter_out(session, r) for r in rows]


def reporter_out(session: Session, reporter: CommunityReporter) -> ReporterOut:
    committee_row = session.get(Committee, reporter.committee_id) if reporter.committee_id else None
    return ReporterOut(
        pseudonym=reporter.pseudonym, committee=committee_row.code if committee_row else None,
        language=reporter.language, status=reporter.status,
        reliability=reliability_history(session, reporter).as_json(),
    )  # fmt: skip


# --- the gateway -----------------------------------------------------------------------


@router.post("/sms/inbound")
async def inbound_sms(request: Request, session: SessionDep, access: Gateway) -> SmsReplyOut:
    body = await _inbound_body(request)
    sms = IncomingSms(
        gateway=body.gateway, sender=body.sender, text=body.text, message_id=body.id,
        received_at=body.received_at or datetime.now(UTC),
    )  # fmt: skip
    try:
        outcome = receive_message(session, sms, gateway_actor=access.principal.as_actor(),
                                  limiter=sender_limiter(session), vault=_vault())  # fmt: skip
    except ValueError as exc:
        raise _unprocessable(f"from: {exc}") from None
    return SmsReplyOut(**outcome.as_json())


async def _inbound_body(request: Request) -> InboundSmsIn:
    content_type = request.headers.get("content-type", "")
    try:
        if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            form = await request.form()
            return InboundSmsIn.model_validate(
                {"from": form.get("From") or form.get("from"), "text": form.get("Body") or form.get("text") or "",
                 "id": form.get("MessageSid") or form.get("id"), "gateway": form.get("gateway") or "form"}
            )  # fmt: skip
        return InboundSmsIn.model_validate(await request.json())
    except (ValidationError, ValueError) as exc:
        raise _unprocessable(f"the message body is not a gateway message: {exc}") from None


@router.post("/sms/outbox/claim")
def claim_outbox(session: SessionDep, access: Gateway) -> list[DeliveryOut]:
    deliveries = feedback.claim_outbox(session, principal=access.principal, vault=_vault())
    return [DeliveryOut(id=d.id, to=d.to, body=d.body) for d in deliveries]


@router.post("/feedback")
def queue_feedback(session: SessionDep, access: Gateway) -> dict[str, int]:
    return {"queued": feedback.send_feedback(session, principal=access.principal)}


@router.get("/sms/held")
def held(session: SessionDep, access: ReadReporters) -> list[HeldMessageOut]:
    rows = feedback.held_messages(session, principal=access.principal)
    return [HeldMessageOut(id=m.id, received_at=m.received_at, status=m.status, language=m.language,
                           text=m.text) for m in rows]  # fmt: skip


@router.post("/sms/held/{message_id}/release")
def release(message_id: RecordId, session: SessionDep, access: Gateway) -> SmsReplyOut:
    try:
        outcome = feedback.release_held(session, message_id, principal=access.principal,
                                        limiter=sender_limiter(session))  # fmt: skip
    except LookupError as exc:
        raise HTTPException(status_code=404, detail=str(exc)) from None
    return SmsReplyOut(**outcome.as_json())


@router.post("/sms/held/{message_id}/dismiss")
def dismiss(message_id: RecordId, session: SessionDep, access: Gateway) -> dict[str, object]:
    try:
        message = feedback.dismiss_held(session, message_id, principal=access.principal)
    except LookupError as exc:
        raise HTTPException(status_code=404, detail=str(exc)) from None
    return {"id": message.id, "status": message.status}


def _vault() -> PhoneVault:
    """The installation's phone vault (its key in the configured keys directory)."""
    return PhoneVault.in_keys_dir(get_settings().resolved_keys_dir)
