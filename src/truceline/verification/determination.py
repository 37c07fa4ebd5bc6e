"""The mediator's determination: established facts onto the incident, then adjudication.

``determine`` takes the ``determine`` transition (locking the case row, so of
two mediators at once only one succeeds), writes the established facts
(perpetrator, attribution with its link, whether it is established and how
confidently, targets, casualties) onto the incident, runs
``agreements.services.refresh_findings`` and keeps the resulting findings
with the determination. ``established_facts`` checks the facts and names the
first bad field.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from truceline.accounts.policy import Action, Resource, ResourceType, Step, require
from truceline.accounts.roles import Principal
from truceline.agreements.services import refresh_findings
from truceline.audit.log import add_logged, append_entry
from truceline.db.base import utcnow
from truceline.incidents.models import Incident
from truceline.verification.access import require_case_step
from truceline.verification.domain import State, check_transition
from truceline.verification.models import Determination, VerificationCase
from truceline.verification.record import text_field
from truceline.verification.services import (
    CASE,
    VerificationError,
    apply_transition,
    case_for,
    verification_context,
)
from truceline.verification.tasks import check_party

CONFIDENCE_LEVELS = ("low", "medium", "high")
ATTRIBUTION_LINKS = ("directed", "facilitated", "sanctioned", "tolerated", "none")


def determine(
    session: Session,
    incident_id: int,
    *,
    principal: Principal,
    facts: dict[str, Any],
    now: datetime | None = None,
) -> Determination:
    """The mediator's determination: established facts onto the incident, then adjudication."""
    require(principal, Action.UPDATE, CASE)
    require(principal, Action.CREATE, Resource(ResourceType.FINDING))
    now = now or utcnow()
    case = case_for(session, incident_id, lock=True)
    require_case_step(session, principal, Step.DETERMINE, case)
    step = check_transition(
        State(case.state),
        "determine",
        role=principal.role,
        context=verification_context(session, case),
        now=now,
    )
    established = established_facts(facts)
    incident = session.get(Incident, incident_id)
    assert incident is not None
    before = _incident_facts(incident)
    for name, value in established.items():
        if name not in ("confidence", "summary"):
            setattr(incident, name, value)
    apply_transition(session, case, step, principal=principal, note=established["summary"], now=now)
    record_version(
        session, incident, kind="determination", reason=established["summary"],
        principal=principal, before={k: before[k] for k in FACTS}, now=now,
    )  # fmt: skip
    append_entry(
        session,
        actor=principal.as_actor(),
        action="incident.facts_established",
        object_type="incident",
        object_id=incident_id,
        before=before,
        after=_incident_facts(incident),
    )
    findings = refresh_findings(session, incident_id, actor=principal.as_actor())
    return _store_determination(session, case, established, findings, principal=principal, now=now)


def record_version(session: Session, incident: Incident, **kwargs: Any) -> None:
    """The determination becomes a version of the incident (``history.record_version``)."""
    from truceline.verification import history

    history.record_version(session, incident, **kwargs)


FACTS = ("perpetrator", "attribution", "targets", "casualties")


def _store_determination(
    session: Session,
    case: VerificationCase,
    established: dict[str, Any],
    findings: list[Any],
    *,
    principal: Principal,
    now: datetime,
) -> Determination:
    row = Determination(
        case_id=case.id,
        perpetrator=established["perpetrator"],
        attribution=established["attribution"],
        targets=established["targets"],
        casualties=established["casualties"],
        confidence=established["confidence"],
        summary=established["summary"],
        finding_ids=[f.id for f in findings],
        findings=[f.to_json() for f in findings],
        determined_by=principal.name,
        determined_at=now,
    )
    add_logged(
        session,
        row,
        actor=principal.as_actor(),
        action="verification.determination_recorded",
        object_type="verification_determination",
        after=lambda row: {"case_id": case.id, **established, "finding_ids": row.finding_ids},
    )
    return row


def _incident_facts(incident: Incident) -> dict[str, Any]:
    return {
        "perpetrator": incident.perpetrator,
        "attribution": incident.attribution,
        "targets": incident.targets,
        "casualties": incident.casualties,
        "verification_state": incident.verification_state,
    }


def established_facts(facts: dict[str, Any]) -> dict[str, Any]:
    """Check the determination's facts, naming the first bad field."""
    perpetrator = str(facts.get("perpetrator") or "").strip()
    if not perpetrator:
        raise VerificationError(
            "perpetrator: the determination must name one (or 'unknown')", field="perpetrator"
        )
    confidence = facts.get("confidence")
    if confidence not in CONFIDENCE_LEVELS:
        raise VerificationError(
            f"confidence: expected one of {', '.join(CONFIDENCE_LEVELS)}", field="confidence"
        )
    attribution = [_attribution(a, i) for i, a in enumerate(facts.get("attribution") or [])]
    targets = facts.get("targets") or []
    if not isinstance(targets, list) or not all(isinstance(t, str) for t in targets):
        raise VerificationError("targets: expected a list of target names", field="targets")
    casualties = facts.get("casualties") or {}
    if not isinstance(casualties, dict):
        raise VerificationError(
            "casualties: expected a mapping of category to count", field="casualties"
        )
    return {
        "perpetrator": perpetrator,
        "attribution": attribution,
        "targets": list(targets),
        "casualties": casualties,
        "confidence": confidence,
        "summary": text_field(str(facts.get("summary") or ""), field="summary"),
    }


def _attribution(item: Any, index: int) -> dict[str, Any]:
    where = f"attribution[{index}]"
    if not isinstance(item, dict):
        raise VerificationError(
            f"{where}: expected an object with party, link, established", field=where
        )
    party = check_party(item.get("party"), field=f"{where}.party")
    if party is None:
        raise VerificationError(f"{where}.party: expected AF or PK", field=f"{where}.party")
    if item.get("link") not in ATTRIBUTION_LINKS:
        raise VerificationError(
            f"{where}.link: expected one of {', '.join(ATTRIBUTION_LINKS)}", field=f"{where}.link"
        )
    confidence = item.get("confidence", "medium")
    if confidence not in CONFIDENCE_LEVELS:
        raise VerificationError(
            f"{where}.confidence: expected one of {', '.join(CONFIDENCE_LEVELS)}",
            field=f"{where}.confidence",
        )
    return {
        "party": party,
        "link": item["link"],
        "established": bool(item.get("established", False)),
        "confidence": confidence,
    }
