"""Use cases of the agreements context: store agreements, adjudicate stored incidents.

Every state change is audited in the caller's transaction. Findings are
appended, never rewritten: a recomputation that changes anything marks the
previous findings superseded and adds new ones; one that changes nothing
leaves them alone (so re-running is idempotent).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import OperationalError, ProgrammingError
from sqlalchemy.orm import Session

from truceline.agreements.adjudication import Adjudicator
from truceline.agreements.documents import builtin_index, document_from_data
from truceline.agreements.domain import AgreementIndex, Finding, IncidentFacts, compile_agreements
from truceline.agreements.facts import FactsInvalid, parse_one
from truceline.agreements.messages import parts_to_json
from truceline.agreements.models import Agreement, AgreementVersion, StoredFinding
from truceline.agreements.registry_port import definition_for, known_group_ids
from truceline.agreements.schema import AgreementDocument
from truceline.agreements.threat import ThreatDefinition
from truceline.agreements.versions import amendment_start, effective_start, stored_versions
from truceline.audit.actor import SYSTEM, Actor
from truceline.audit.log import add_logged, append_entry
from truceline.db.base import utcnow
from truceline.events.taxonomy import PARTY_CODES
from truceline.incidents.models import Incident


def document_json(document: AgreementDocument) -> dict[str, Any]:
    return document.model_dump(mode="json", by_alias=True)


def document_hash(document: AgreementDocument) -> str:
    """Hash of the terms, ignoring the version number, to tell a real amendment from a re-load."""
    data = document_json(document)
    data.pop("version", None)
    for optional in ("verification_deadlines_hours", "effective_from", "request_response_windows"):
        if data.get(optional) is None:
            # Unset, the field leaves the hash of documents stored before it existed unchanged.
            data.pop(optional, None)
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def save_agreement(
    session: Session, document: AgreementDocument, *, actor: Actor, note: str = ""
) -> AgreementVersion | None:
    """Store a new agreement, or a new version of one whose terms changed; None if unchanged.

    A new version is stored with the date it governs from (``versions``):
    stated in the document, else now. ``AmendmentInvalid`` if that is not
    after the current version's.
    """
    digest = document_hash(document)
    agreement = session.get(Agreement, document.id)
    current = _current_version(session, agreement) if agreement else None
    if current is not None and current.content_hash == digest:
        return None
    number = 1 if current is None else current.version + 1
    adopted_at = utcnow()
    start = amendment_start(document, current, adopted_at=adopted_at)
    stored_doc = document.model_copy(update={"version": number, "effective_from": start})
    if agreement is None:
        agreement = Agreement(id=document.id, title=document.title, current_version=number)
        session.add(agreement)
    agreement.title = document.title
    agreement.current_version = number
    version = AgreementVersion(
        agreement_id=document.id,
        version=number,
        document=document_json(stored_doc),
        content_hash=digest,
        note=note,
        created_by=actor.name,
        created_at=adopted_at,
    )
    add_logged(
        session,
        version,
        actor=actor,
        action="agreement.created" if number == 1 else "agreement.amended",
        object_type="agreement",
        object_id=f"{document.id}@{number}",
        before=current.document if current is not None else None,
        after=lambda version: version.document,
    )
    return version


def _current_version(session: Session, agreement: Agreement) -> AgreementVersion | None:
    return session.execute(
        select(AgreementVersion).where(
            AgreementVersion.agreement_id == agreement.id,
            AgreementVersion.version == agreement.current_version,
        )
    ).scalar_one_or_none()


def amend_agreement(
    session: Session, document: AgreementDocument, *, actor: Actor, note: str = ""
) -> AgreementVersion | None:
    """Store an amendment and re-judge the incidents it governs (see ``amend``)."""
    return amend(session, document, actor=actor, note=note)["version"]


def amend(
    session: Session, document: AgreementDocument, *, actor: Actor, note: str = ""
) -> dict[str, Any]:
    """Store an amendment; re-judge only the incidents whose governing versions changed.

    Those are the incidents from the new version's effective date on (in its
    windows in force, or in the old ones): incidents before it keep their
    findings, made under the version in force at their time. Returns the
    stored version (None if the terms were unchanged) and the counts.
    """
    before = agreement_index(session)
    version = save_agreement(session, document, actor=actor, note=note)
    if version is None:
        return {"version": None, "incidents": 0, "changed": 0, "skipped": []}
    since = effective_start(version)
    counts = rejudge_changed(session, before, agreement_index(session), since=since, actor=actor)
    return {"version": version, **counts}


def rejudge_changed(
    session: Session,
    before: AgreementIndex,
    after: AgreementIndex,
    *,
    since: datetime | None,
    actor: Actor = SYSTEM,
) -> dict[str, Any]:
    """Re-judge the stored incidents whose governing agreement versions differ between indexes.

    Only incidents at or after ``since`` are read (an amendment changes nothing
    before its effective date), and of those only the ones whose versions in
    force changed are adjudicated again.
    """
    query = select(Incident.id, Incident.occurred_at).order_by(Incident.id)
    if since is not None:
        query = query.where(Incident.occurred_at >= since)
    changed_ids = [
        incident_id
        for incident_id, occurred_at in session.execute(query)
        if before.keys_in_force_at(occurred_at.timestamp())
        != after.keys_in_force_at(occurred_at.timestamp())
    ]
    adjudicator = Adjudicator(
        after, definition=definition_for(session), known_groups=known_group_ids(session)
    )
    return _refresh_each(session, changed_ids, adjudicator, actor=actor)


def list_agreements(session: Session) -> list[Agreement]:
    return list(session.execute(select(Agreement).order_by(Agreement.id)).scalars())


def agreement_versions(session: Session, agreement_id: str) -> list[AgreementVersion]:
    return list(
        session.execute(
            select(AgreementVersion)
            .where(AgreementVersion.agreement_id == agreement_id)
            .order_by(AgreementVersion.version)
        ).scalars()
    )


def current_documents(session: Session) -> list[AgreementDocument]:
    """The current version of every stored agreement."""
    rows = session.execute(
        select(AgreementVersion)
        .join(Agreement, Agreement.id == AgreementVersion.agreement_id)
        .where(AgreementVersion.version == Agreement.current_version)
        .order_by(AgreementVersion.agreement_id)
    ).scalars()
    return [document_from_data(row.document, source=row.agreement_id) for row in rows]


def clauses_with_origin(
    session: Session, document: dict[str, Any]
) -> tuple[list[dict[str, Any]], str | None]:
    """The clauses an agreement applies, and the agreement they were carried over from.

    An extension that ``inherits_clauses_from`` another agreement has no clauses
    of its own, yet findings under it cite the inherited ones: pages must show
    those, marked as carried over (``None`` for an agreement's own clauses).
    Follows the chain through the stored current versions; a missing or
    circular link gives no clauses rather than an error.
    """
    seen: set[str] = set()
    current = document
    origin: str | None = None
    while not current.get("clauses") and current.get("inherits_clauses_from"):
        parent_id = str(current["inherits_clauses_from"])
        if parent_id in seen or parent_id == document.get("id"):
            return [], None
        seen.add(parent_id)
        versions = agreement_versions(session, parent_id)
        if not versions:
            return [], None
        current, origin = versions[-1].document, parent_id
    return list(current.get("clauses") or []), origin


def agreement_index(session: Session) -> AgreementIndex:
    """Every stored version compiled for adjudication (each governing its own period);
    the built-in agreements if none are stored."""
    try:
        versions = stored_versions(session)
    except (OperationalError, ProgrammingError):
        session.rollback()
        versions = []
    return AgreementIndex(compile_agreements(versions)) if versions else builtin_index()


def adjudicator_for(session: Session, *, definition: ThreatDefinition | None = None) -> Adjudicator:
    """An adjudicator over the stored agreements, with the registry's groups and definition."""
    return Adjudicator(
        agreement_index(session),
        definition=definition or definition_for(session),
        known_groups=known_group_ids(session),
    )


def facts_from_incident(incident: Incident, *, known_groups: frozenset[str]) -> IncidentFacts:
    """The adjudication facts of a stored incident (best casualty estimates as fatalities)."""
    location: dict[str, Any] | None = None
    if incident.lat is not None and incident.lon is not None:
        location = {"lat": incident.lat, "lon": incident.lon}
        if incident.country:
            location["country"] = incident.country
    fatalities = {
        category: int(value.get("best", 0)) if isinstance(value, dict) else int(value)
        for category, value in (incident.casualties or {}).items()
    }
    item: dict[str, Any] = {
        "id": incident.code,
        "occurred_at": incident.occurred_at.isoformat(),
        "location": location,
        "event_type": incident.event_type,
        "perpetrator": incident.perpetrator,
        "attribution": [
            {"party": a.get("party"), "link": a.get("link"), "established": a.get("established")}
            for a in incident.attribution or []
        ],
        "targets": list(incident.targets or []),
        "fatalities": fatalities,
    }
    if incident.target_actor in PARTY_CODES:
        item["target_party"] = incident.target_actor
    actors = known_groups | PARTY_CODES | {"unknown"}
    return parse_one(item, index=0, actors=actors)


def refresh_findings(
    session: Session,
    incident_id: int,
    *,
    actor: Actor,
    adjudicator: Adjudicator | None = None,
) -> list[StoredFinding]:
    """Adjudicate a stored incident again and keep the history of its findings.

    Raises ``LookupError`` for an unknown incident and ``FactsInvalid`` when the
    stored facts cannot be judged (naming the field).
    """
    incident = session.get(Incident, incident_id)
    if incident is None:
        raise LookupError(f"no incident with id {incident_id}")
    adjudicator = adjudicator or adjudicator_for(session)
    facts = facts_from_incident(incident, known_groups=adjudicator.known_groups)
    new = adjudicator.adjudicate(facts)
    current = current_findings(session, incident_id)
    if sorted(_comparable(f) for f in current) == sorted(_comparable_new(f) for f in new):
        return current
    return _replace(session, incident_id, current, new, actor=actor)


def _replace(
    session: Session,
    incident_id: int,
    current: Sequence[StoredFinding],
    new: Sequence[Finding],
    *,
    actor: Actor,
) -> list[StoredFinding]:
    now = utcnow()
    rows = [_stored(incident_id, finding, actor=actor, at=now) for finding in new]
    session.add_all(rows)
    session.flush()
    for old in current:
        old.superseded_at = now
        old.superseded_by_id = rows[0].id
    append_entry(
        session,
        actor=actor,
        action="findings.recomputed",
        object_type="incident",
        object_id=incident_id,
        before=[f.to_json() for f in current] or None,
        after=[f.to_json() for f in rows],
    )
    session.flush()
    return rows


def _stored(incident_id: int, finding: Finding, *, actor: Actor, at: Any) -> StoredFinding:
    return StoredFinding(
        incident_id=incident_id,
        agreement_id=finding.agreement,
        agreement_version=finding.agreement_version,
        finding=finding.finding.value,
        violating_party=finding.violating_party,
        clauses=list(finding.clauses),
        basis=finding.basis.value,
        explanation=finding.explanation,
        explanation_parts=parts_to_json(finding.explanation_parts) or None,
        missing_facts=list(finding.missing_facts),
        rules_version=finding.rules_version,
        facts_hash=finding.facts_hash,
        definition=finding.definition,
        computed_at=at,
        computed_by=actor.name,
    )


def _comparable(row: StoredFinding) -> tuple[Any, ...]:
    return (
        row.agreement_id or "",
        row.agreement_version or 0,
        row.finding,
        row.violating_party or "",
        tuple(row.clauses),
        row.basis,
        row.explanation,
        row.rules_version,
        row.facts_hash,
        row.definition,
    )


def _comparable_new(finding: Finding) -> tuple[Any, ...]:
    return (
        finding.agreement or "",
        finding.agreement_version or 0,
        finding.finding.value,
        finding.violating_party or "",
        finding.clauses,
        finding.basis.value,
        finding.explanation,
        finding.rules_version,
        finding.facts_hash,
        finding.definition,
    )


def current_findings(session: Session, incident_id: int) -> list[StoredFinding]:
    return list(
        session.execute(
            select(StoredFinding)
            .where(StoredFinding.incident_id == incident_id, StoredFinding.superseded_at.is_(None))
            .order_by(StoredFinding.id)
        ).scalars()
    )


def findings_history(session: Session, incident_id: int) -> list[StoredFinding]:
    """Every finding ever computed for the incident, oldest first."""
    return list(
        session.execute(
            select(StoredFinding)
            .where(StoredFinding.incident_id == incident_id)
            .order_by(StoredFinding.id)
        ).scalars()
    )


def recompute_all(
    session: Session, *, definition: ThreatDefinition | None = None, actor: Actor = SYSTEM
) -> dict[str, Any]:
    """Recompute every stored incident's findings (after agreements or designations change).

    Incidents whose stored facts cannot be judged are skipped and listed with
    the reason; the others are recomputed.
    """
    adjudicator = adjudicator_for(session, definition=definition)
    incident_ids = session.execute(select(Incident.id).order_by(Incident.id)).scalars()
    return _refresh_each(session, incident_ids, adjudicator, actor=actor)


def _refresh_each(
    session: Session, incident_ids: Iterable[int], adjudicator: Adjudicator, *, actor: Actor
) -> dict[str, Any]:
    counts: dict[str, Any] = {"incidents": 0, "changed": 0, "skipped": []}
    for incident_id in incident_ids:
        before = {f.id for f in current_findings(session, incident_id)}
        try:
            rows = refresh_findings(session, incident_id, actor=actor, adjudicator=adjudicator)
        except FactsInvalid as invalid:
            counts["skipped"].append({"incident_id": incident_id, "reason": str(invalid)})
            continue
        counts["incidents"] += 1
        counts["changed"] += int({r.id for r in rows} != before)
    return counts
