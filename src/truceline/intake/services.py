"""Receiving reports: submission from any channel, corrections as new versions, reading them back.

``submit_report`` validates what needs the database (known agreement, the
client token), detects the language, geoparses a place given only as text,
resolves the claimed perpetrator, stores attachments content-addressed, writes
the report and its audit entry, and links it into an incident. A resubmission
with the same client token returns the stored report and creates nothing.
``correct_report`` writes a new version that supersedes the old one and takes
over its incident links. Reports themselves are never updated (the database
refuses it, see migration ``intake_0001``).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError
from sqlalchemy import ColumnElement, bindparam, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from truceline.accounts.policy import Action, require
from truceline.accounts.roles import Principal
from truceline.accounts.scoping import resource_of
from truceline.audit.actor import Actor
from truceline.audit.log import add_logged
from truceline.content_store import ContentStore
from truceline.db.base import utcnow
from truceline.db.domain_events import publish
from truceline.errors import CodedError
from truceline.events import provenance
from truceline.incidents.models import Report
from truceline.incidents.services import active_links, auto_link_report, link_report
from truceline.intake.adapters import agreement_is_known, geolocate_place, resolve_actor
from truceline.intake.annotations import annotations_of
from truceline.intake.events import ReportStored
from truceline.intake.language import detect_language
from truceline.intake.models import ReportAttachment
from truceline.intake.proposals import facts_for_linking, propose_facts
from truceline.intake.schemas import (
    AnnotationOut,
    AttachmentIn,
    AttachmentOut,
    LinkOutcome,
    ReportContent,
    ReportCorrection,
    ReportOut,
    ReportSubmission,
    SubmissionResult,
)

CONTENT_FIELDS = tuple(ReportContent.model_fields)
#: How a report is classified, not what its source said: left out of its content hash.
PROVENANCE_FIELDS = frozenset({"kind", "origin", "relayed_from", "relayed_from_party"})


class IntakeError(CodedError, ValueError):
    """A submission refused for a reason only the service can see; ``field`` names the culprit."""

    default_code = "submission_refused"


@dataclass(frozen=True)
class DecodedAttachment:
    meta: AttachmentIn
    data: bytes


def submit_report(
    session: Session,
    submission: ReportSubmission,
    *,
    actor: Actor,
    store: ContentStore | None = None,
    link: bool = True,
) -> SubmissionResult:
    """Store a new report (or return the one stored under the same client token).

    ``store`` is where attachments go (the caller's, ``ContentStore.under(data_dir)``);
    a channel that takes no files (SMS, CSV) passes none, and a submission with
    attachments is then refused naming the field.
    """
    if submission.client_token:
        existing = _by_token(session, submission.client_token)
        if existing is not None:
            return _resubmission(session, existing, submission)
    _check_agreement(session, submission.agreement_id)
    if store is None and submission.attachments:
        raise IntakeError(
            "attachments: this channel takes no files",
            code="attachments_not_accepted",
            field="attachments",
        )
    files = _decode_and_check(submission.attachments, store) if store is not None else []
    try:
        with session.begin_nested():
            report = _new_report(session, submission, actor=actor, supersedes=None)
    except IntegrityError:
        # Another request with the same token won the race: return what it stored.
        existing = _by_token(session, submission.client_token or "")
        if existing is None:
            raise
        return _resubmission(session, existing, submission)
    attached = _attach(session, report, files, store, actor=actor) if store is not None else []
    proposed = propose_facts(session, report, actor=actor)
    read = facts_for_linking(proposed) if proposed else None
    outcome = (
        auto_link_report(session, report, actor=actor, read=read, just_stored=True)
        if link
        else None
    )
    incident_id = _linked_incident(outcome)
    publish(session, ReportStored(report.id, actor, incident_id=incident_id))
    # Stored in this transaction, so nothing else can have corrected, annotated or linked it
    # yet: its answer is built from what was just written, with no look-ups.
    linked = [incident_id] if incident_id is not None else []
    return SubmissionResult(
        created=True,
        report=_report_out(
            report, newer=None, attachments=attached, incident_ids=linked, annotations=[]
        ),  # fmt: skip
        link=LinkOutcome.model_validate(outcome) if outcome else None,
    )


def _linked_incident(outcome: dict[str, object] | None) -> int | None:
    incident_id = (outcome or {}).get("incident_id")
    return incident_id if isinstance(incident_id, int) else None


def _by_token(session: Session, token: str) -> Report | None:
    # Asked on every submission and almost always absent: look up the id alone (no ORM
    # entity to build), and load the report only when a resubmission found one.
    found = session.execute(_ID_BY_TOKEN, {"token": token}).scalar()
    return session.get(Report, found) if found is not None else None


_ID_BY_TOKEN = select(Report.id).where(Report.client_token == bindparam("token")).limit(1)


def _resubmission(
    session: Session, existing: Report, submission: ReportSubmission
) -> SubmissionResult:
    if existing.content_hash != content_hash_of(submission):
        raise IntakeError(
            f"client_token {submission.client_token!r} was already used for report {existing.code} "
            "with different content; use a new token for a new report",
            field="client_token",
        )
    links = active_links(session, existing.id)
    outcome = (
        LinkOutcome(status="already_linked", incident_id=links[0].incident_id) if links else None
    )
    return SubmissionResult(created=False, report=report_out(session, existing), link=outcome)


def _check_agreement(session: Session, agreement_id: str | None) -> None:
    if agreement_id is not None and not agreement_is_known(session, agreement_id):
        raise IntakeError(f"unknown agreement {agreement_id!r}", field="agreement_id")


def _decode_and_check(
    attachments: list[AttachmentIn], store: ContentStore
) -> list[DecodedAttachment]:
    """Decode and check every file before storing any, so a refused file leaves nothing behind."""
    decoded = []
    for index, meta in enumerate(attachments):
        name = f"attachments[{index}] ({meta.filename or 'unnamed'})"
        try:
            data = base64.b64decode(meta.content_base64, validate=True)
        except (binascii.Error, ValueError):
            raise IntakeError(
                f"{name}: content_base64 is not valid base64", field=f"attachments[{index}]"
            ) from None
        try:
            store.check(data, name=name)
        except ValueError as exc:
            raise IntakeError(str(exc), field=f"attachments[{index}]") from None
        decoded.append(DecodedAttachment(meta, data))
    return decoded


def content_hash_of(content: ReportContent, *, extra: dict[str, Any] | None = None) -> str:
    """SHA-256 of what the source said (canonical JSON of the content fields)."""
    fields = set(CONTENT_FIELDS) - PROVENANCE_FIELDS
    body = content.model_dump(mode="json", include=fields) | (extra or {})
    if isinstance(content, ReportSubmission):
        body |= {"source_type": content.source_type.value, "channel": content.channel.value}
    canonical = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def _new_report(
    session: Session, submission: ReportSubmission, *, actor: Actor, supersedes: Report | None
) -> Report:
    lat, lon, geo_precision = _place_of(submission)
    actor_ref = resolve_actor(submission.claimed_perpetrator, session=session)
    stated = provenance.resolve(
        source_type=submission.source_type.value, source_party=submission.source_party,
        source_name=submission.source_name, text=submission.text, perpetrator=actor_ref.actor_id,
        kind=submission.kind, origin=submission.origin, relayed_from=submission.relayed_from,
        relayed_from_party=submission.relayed_from_party,
    )  # fmt: skip
    report = Report(
        code=_code_for(supersedes),
        version=supersedes.version + 1 if supersedes else 1,
        supersedes_id=supersedes.id if supersedes else None,
        channel=submission.channel.value,
        source_type=submission.source_type.value,
        source_name=submission.source_name,
        source_party=submission.source_party,
        reliability=submission.reliability.value,
        credibility=int(submission.credibility),
        text=submission.text,
        language=detect_language(submission.text).code,
        occurred_at=submission.occurred_at,
        time_precision=int(submission.time_precision),
        lat=lat,
        lon=lon,
        geo_precision=geo_precision,
        place_text=submission.place_text,
        event_type=submission.event_type,
        claimed_perpetrator=actor_ref.actor_id,
        claimed_perpetrator_label=actor_ref.label,
        claimed_targets=[t.value for t in submission.targets],
        casualties=submission.casualties,
        content_hash=content_hash_of(submission),
        submitted_by=actor.name,
        client_token=submission.client_token,
        agreement_id=submission.agreement_id,
        kind=stated.kind.value,
        origin=stated.origin.value,
        relayed_from=stated.relayed_from,
        relayed_from_party=stated.relayed_from_party,
        origin_note=stated.note,
    )
    add_logged(
        session,
        report,
        actor=actor,
        action="intake.report_received" if supersedes is None else "intake.report_corrected",
        object_type="report",
        before=lambda report: {"supersedes": report.supersedes_id},
        after=lambda report: {
            "code": report.code,
            "version": report.version,
            "content_hash": report.content_hash,
            "channel": report.channel,
            "source_type": report.source_type,
        },
    )
    return report


def _code_for(supersedes: Report | None) -> str:
    if supersedes is None:
        return f"RPT-{uuid.uuid4().hex[:10].upper()}"
    root = supersedes.code.split(".v")[0]
    return f"{root}.v{supersedes.version + 1}"


def _place_of(submission: ReportContent) -> tuple[float | None, float | None, int]:
    if submission.lat is not None and submission.lon is not None:
        return submission.lat, submission.lon, int(submission.geo_precision)
    fix = geolocate_place(submission.place_text) if submission.place_text else None
    if fix is None:
        return None, None, int(submission.geo_precision)
    return fix.lat, fix.lon, max(fix.precision, int(submission.geo_precision))


def _attach(
    session: Session,
    report: Report,
    files: list[DecodedAttachment],
    store: ContentStore,
    *,
    actor: Actor,
) -> list[ReportAttachment]:
    rows = []
    for file in files:
        stored = store.put(file.data, name=file.meta.filename or "attachment")
        row = ReportAttachment(report_id=report.id, sha256=stored.sha256, size_bytes=stored.size_bytes,
                               media_type=stored.media_type, original_filename=file.meta.filename,
                               obtained_by=file.meta.obtained_by, obtained_at=file.meta.obtained_at,
                               how_obtained=file.meta.how_obtained, added_by=actor.name)  # fmt: skip
        add_logged(
            session,
            row,
            actor=actor,
            action="intake.attachment_added",
            object_type="report",
            object_id=report.id,
            after={"sha256": stored.sha256, "media_type": stored.media_type},
        )
        rows.append(row)
    return rows


def correct_report(
    session: Session,
    report_id: int,
    correction: ReportCorrection,
    *,
    principal: Principal,
    store: ContentStore | None = None,
) -> Report:
    """Write a new version of a report; it takes over the old version's incident links.

    The new version stays in the source's name, so the policy lets only the source
    file it (a party's allegation: that party's liaisons); others annotate instead.
    """
    old = session.get(Report, report_id)
    if old is None:
        raise IntakeError(f"report {report_id} does not exist")
    require(principal, Action.CORRECT, resource_of(old))
    actor = principal.as_actor()
    newer = session.scalars(select(Report).where(Report.supersedes_id == old.id)).first()
    if newer is not None:
        raise IntakeError(
            f"report {old.code} was already corrected by {newer.code}; correct the latest version"
        )
    unknown = sorted(set(correction.changes) - set(CONTENT_FIELDS))
    if unknown:
        raise IntakeError(f"cannot correct field(s) {', '.join(unknown)}", field=unknown[0])
    merged = _content_of(old) | correction.changes
    try:
        submission = ReportSubmission.model_validate(
            merged | {"channel": old.channel, "source_type": old.source_type}
        )
    except ValidationError as exc:
        raise IntakeError(f"correction is invalid: {exc}") from None
    _check_agreement(session, submission.agreement_id)
    try:
        with session.begin_nested():
            report = _new_report(session, submission, actor=actor, supersedes=old)
    except IntegrityError:
        raise IntakeError(
            f"report {old.code} was corrected at the same time by someone else; reload it"
        ) from None
    for link in active_links(session, old.id):
        link_report(
            session,
            report=report,
            incident_id=link.incident_id,
            actor=actor,
            method="correction",
            match=None,
        )
        # The superseded version leaves the incident; its link is retired, not deleted.
        link.unlinked_at, link.unlinked_by = utcnow(), actor.name
    return report


def _content_of(report: Report) -> dict[str, Any]:
    return {
        "source_name": report.source_name,
        "source_party": report.source_party,
        "reliability": report.reliability,
        "credibility": report.credibility,
        "text": report.text,
        "occurred_at": report.occurred_at,
        "time_precision": report.time_precision,
        "lat": report.lat,
        "lon": report.lon,
        "geo_precision": report.geo_precision,
        "place_text": report.place_text,
        "event_type": report.event_type,
        "claimed_perpetrator": report.claimed_perpetrator_label or None,
        "targets": list(report.claimed_targets),
        "casualties": dict(report.casualties),
        "agreement_id": report.agreement_id,
        "kind": report.kind,
        "origin": report.origin,
        "relayed_from": report.relayed_from or None,
        "relayed_from_party": report.relayed_from_party,
    }


def report_out(session: Session, report: Report) -> ReportOut:
    """The analyst's view of a stored report version."""
    newer = session.scalars(select(Report.id).where(Report.supersedes_id == report.id)).first()
    attachments = session.scalars(
        select(ReportAttachment)
        .where(ReportAttachment.report_id == report.id)
        .order_by(ReportAttachment.id)
    ).all()
    return _report_out(
        report,
        newer=newer,
        attachments=attachments,
        incident_ids=[link.incident_id for link in active_links(session, report.id)],
        annotations=annotations_of(session, report.id),
    )


def _report_out(
    report: Report,
    *,
    newer: int | None,
    attachments: Sequence[ReportAttachment],
    incident_ids: list[int],
    annotations: list[AnnotationOut],
) -> ReportOut:
    return ReportOut(
        id=report.id, code=report.code, version=report.version, supersedes_id=report.supersedes_id,
        superseded_by_id=newer, channel=report.channel, source_type=report.source_type,
        source_name=report.source_name, source_party=report.source_party,
        grade=f"{report.reliability}{report.credibility}", text=report.text, language=report.language,
        received_at=report.received_at, occurred_at=report.occurred_at, time_precision=report.time_precision,
        lat=report.lat, lon=report.lon, geo_precision=report.geo_precision, place_text=report.place_text,
        event_type=report.event_type, claimed_perpetrator=report.claimed_perpetrator,
        claimed_perpetrator_label=report.claimed_perpetrator_label, targets=list(report.claimed_targets),
        casualties=dict(report.casualties), agreement_id=report.agreement_id,
        kind=report.kind, origin=report.origin, relayed_from=report.relayed_from,
        relayed_from_party=report.relayed_from_party, origin_note=report.origin_note,
        submitted_by=report.submitted_by, incident_ids=incident_ids,
        attachments=[AttachmentOut.model_validate(a, from_attributes=True) for a in attachments],
        annotations=annotations,
    )  # fmt: skip


def list_reports(
    session: Session,
    *,
    limit: int = 50,
    offset: int = 0,
    unlinked_only: bool = False,
    visible: ColumnElement[bool] | None = None,
) -> list[Report]:
    """Reports, newest first; ``unlinked_only`` gives the analysts' queue of proposals.

    ``visible`` is the caller's policy-derived filter (``scoping.visible_filter``).
    """
    query = select(Report).order_by(Report.id.desc()).limit(limit).offset(offset)
    if visible is not None:
        query = query.where(visible)
    if unlinked_only:
        from truceline.incidents.models import IncidentReportLink

        linked = select(IncidentReportLink.report_id).where(
            IncidentReportLink.unlinked_at.is_(None)
        )
        superseded = select(Report.supersedes_id).where(Report.supersedes_id.is_not(None))
        query = query.where(Report.id.not_in(linked), Report.id.not_in(superseded))
    return list(session.scalars(query))
