"""Evidence held in a verification case: metadata, chain of custody, redaction, disclosure.

Files go into the content-addressed store (``content_store.ContentStore``,
SHA-256, size and type limits checked on the bytes themselves). A row here
records who obtained the file, when and how; ``CustodyEntry`` rows record
every hand-over and every reading of an original, each re-checking the hash.
Nothing is ever deleted or overwritten: a redaction stores a new, derived
file and keeps the original, which the access policy restricts to the
mechanism (and the submitter) until a mediator discloses it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from truceline.accounts.policy import Action, Resource, ResourceType, require
from truceline.accounts.roles import Principal
from truceline.audit.log import append_entry
from truceline.content_store import AttachmentRejected, ContentStore
from truceline.db.base import utcnow
from truceline.verification.access import team_names
from truceline.verification.models import CustodyEntry, EvidenceItem, VerificationCase
from truceline.verification.redaction import NothingToRedact, redact_text
from truceline.verification.serialisation import evidence_json, evidence_resource
from truceline.verification.services import CASE, VerificationError
from truceline.verification.tasks import check_party

CUSTODY_ACTIONS = ("transferred", "examined", "sealed", "copied", "returned")


class EvidenceRejected(VerificationError):
    """A file or its metadata that the evidence store does not accept."""

    default_code = "evidence_rejected"


def add_evidence(
    session: Session,
    case: VerificationCase,
    data: bytes,
    *,
    principal: Principal,
    obtained_by: str,
    obtained_at: datetime,
    how_obtained: str,
    filename: str = "",
    description: str = "",
    submitted_party: str | None = None,
    store: ContentStore,
) -> EvidenceItem:
    """Store a file as evidence with who obtained it, when and how; custody starts here."""
    party = check_party(submitted_party, field="submitted_party")
    require(principal, Action.CREATE, Resource(ResourceType.EVIDENCE_ORIGINAL, owner_party=party))
    _check_metadata(obtained_by, obtained_at, how_obtained)
    try:
        stored = store.put(data, name=filename or "evidence")
    except AttachmentRejected as rejected:
        raise EvidenceRejected(f"file: {rejected}", field="file") from None
    item = EvidenceItem(
        case_id=case.id,
        sha256=stored.sha256,
        size_bytes=stored.size_bytes,
        media_type=stored.media_type,
        filename=filename[:255],
        description=description,
        obtained_by=obtained_by.strip(),
        obtained_at=obtained_at,
        how_obtained=how_obtained.strip(),
        submitted_party=party,
        added_by=principal.name,
    )
    session.add(item)
    session.flush()
    _custody(session, item, principal, "received", holder=principal.name, note=how_obtained)
    _audit(session, principal, "evidence.added", item)
    return item


def _check_metadata(obtained_by: str, obtained_at: datetime, how_obtained: str) -> None:
    if not obtained_by.strip():
        raise EvidenceRejected("obtained_by: say who obtained the file", field="obtained_by")
    if not how_obtained.strip():
        raise EvidenceRejected("how_obtained: say how the file was obtained", field="how_obtained")
    if obtained_at.tzinfo is None:
        raise EvidenceRejected("obtained_at: give a time zone", field="obtained_at")
    if obtained_at > utcnow():
        raise EvidenceRejected(
            f"obtained_at: {obtained_at.isoformat()} is in the future", field="obtained_at"
        )


def _custody(
    session: Session,
    item: EvidenceItem,
    principal: Principal,
    action: str,
    *,
    holder: str,
    note: str = "",
    checked: str | None = None,
) -> CustodyEntry:
    entry = CustodyEntry(
        evidence_id=item.id,
        action=action,
        holder=holder,
        note=note,
        sha256_checked=checked or item.sha256,
        recorded_by=principal.name,
    )
    session.add(entry)
    session.flush()
    return entry


def _audit(session: Session, principal: Principal, action: str, item: EvidenceItem) -> None:
    append_entry(
        session,
        actor=principal.as_actor(),
        action=action,
        object_type="evidence",
        object_id=item.id,
        after=evidence_json(item),
    )


def get_evidence(session: Session, evidence_id: int) -> EvidenceItem:
    item = session.get(EvidenceItem, evidence_id)
    if item is None:
        raise LookupError(f"no evidence {evidence_id}")
    return item


def custody_chain(session: Session, item: EvidenceItem) -> list[dict[str, Any]]:
    entries = session.scalars(
        select(CustodyEntry).where(CustodyEntry.evidence_id == item.id).order_by(CustodyEntry.id)
    )
    return [
        {
            "action": e.action,
            "holder": e.holder,
            "note": e.note,
            "sha256_checked": e.sha256_checked,
            "recorded_by": e.recorded_by,
            "recorded_at": e.recorded_at.isoformat(),
        }
        for e in entries
    ]


def record_custody(
    session: Session,
    evidence_id: int,
    *,
    principal: Principal,
    action: str,
    holder: str,
    note: str = "",
    store: ContentStore,
) -> CustodyEntry:
    """Append a hand-over to the chain, after checking the stored bytes still match."""
    require(principal, Action.UPDATE, CASE)
    if action not in CUSTODY_ACTIONS:
        raise EvidenceRejected(
            f"action: {action!r} is not one of {', '.join(CUSTODY_ACTIONS)}", field="action"
        )
    if not holder.strip():
        raise EvidenceRejected("holder: say who holds the evidence now", field="holder")
    item = get_evidence(session, evidence_id)
    _verified_bytes(item, store)
    entry = _custody(session, item, principal, action, holder=holder.strip(), note=note)
    _audit(session, principal, f"evidence.custody_{action}", item)
    return entry


def _verified_bytes(item: EvidenceItem, store: ContentStore) -> bytes:
    try:
        return store.get(item.sha256)
    except (OSError, ValueError) as problem:
        raise EvidenceRejected(f"evidence {item.id}: stored file unreadable ({problem})") from None


def read_content(
    session: Session,
    evidence_id: int,
    *,
    principal: Principal,
    store: ContentStore,
) -> tuple[EvidenceItem, bytes]:
    """The file, if the policy lets ``principal`` see it; reading an original is logged."""
    item = get_evidence(session, evidence_id)
    require(principal, Action.READ, evidence_resource(item, team=team_names(session, item.case_id)))
    data = _verified_bytes(item, store)
    if item.derived_from_id is None:
        _custody(session, item, principal, "accessed", holder=principal.name)
    return item, data


def redact(
    session: Session,
    evidence_id: int,
    *,
    principal: Principal,
    note: str,
    terms: list[str] | None = None,
    redacted_file: bytes | None = None,
    store: ContentStore,
) -> EvidenceItem:
    """A redacted derivative of an original (text by terms, or a file redacted by hand)."""
    require(principal, Action.CREATE, Resource(ResourceType.EVIDENCE_REDACTED))
    original = get_evidence(session, evidence_id)
    if original.derived_from_id is not None:
        raise EvidenceRejected(f"evidence {evidence_id} is itself a redaction; redact the original")
    if not note.strip():
        raise EvidenceRejected("note: say what was redacted and why", field="note")
    data = _derivative(original, _verified_bytes(original, store), terms, redacted_file)
    try:
        stored = store.put(data, name=f"redaction of {original.filename or original.id}")
    except AttachmentRejected as rejected:
        raise EvidenceRejected(f"file: {rejected}", field="file") from None
    if stored.media_type != original.media_type:
        raise EvidenceRejected(
            f"file: the derivative is {stored.media_type}, the original {original.media_type}",
            field="file",
        )
    derived = EvidenceItem(
        case_id=original.case_id,
        sha256=stored.sha256,
        size_bytes=stored.size_bytes,
        media_type=stored.media_type,
        filename=original.filename,
        description=original.description,
        obtained_by=original.obtained_by,
        obtained_at=original.obtained_at,
        how_obtained=original.how_obtained,
        submitted_party=original.submitted_party,
        added_by=principal.name,
        derived_from_id=original.id,
        redaction_note=note.strip(),
    )
    session.add(derived)
    session.flush()
    _custody(session, original, principal, "redacted", holder=principal.name, note=note)
    _custody(session, derived, principal, "derived", holder=principal.name, note=note)
    _audit(session, principal, "evidence.redacted", derived)
    return derived


def _derivative(
    original: EvidenceItem, data: bytes, terms: list[str] | None, redacted_file: bytes | None
) -> bytes:
    if (terms is None) == (redacted_file is None):
        raise EvidenceRejected("give either terms to redact (text) or the redacted file")
    if redacted_file is not None:
        if redacted_file == data:
            raise EvidenceRejected(
                "file: the redacted file is identical to the original", field="file"
            )
        return redacted_file
    if original.media_type != "text/plain":
        raise EvidenceRejected(
            f"terms: only text can be redacted by terms; upload a redacted {original.media_type}",
            field="terms",
        )
    try:
        text, _ = redact_text(data.decode("utf-8"), terms or [])
    except NothingToRedact as nothing:
        raise EvidenceRejected(str(nothing), field="terms") from None
    return text.encode("utf-8")


def disclose(session: Session, evidence_id: int, *, principal: Principal) -> EvidenceItem:
    """The mediator gives the parties access to an original."""
    item = get_evidence(session, evidence_id)
    require(
        principal, Action.DISCLOSE, evidence_resource(item, team=team_names(session, item.case_id))
    )
    item.disclosed = True
    _custody(session, item, principal, "disclosed", holder="both parties")
    _audit(session, principal, "evidence.disclosed", item)
    return item
