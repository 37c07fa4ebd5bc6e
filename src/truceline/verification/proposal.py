"""Proposed findings: what the parties reply to, and how the determination differs from it.

When a case moves to ``findings_proposed`` (``services.transition``), the draft
facts (given with the proposal, else the incident's facts as they stand) are
adjudicated against the agreements in force, without storing findings, and
kept as a ``Proposal`` so that both parties see, through the right of reply,
exactly what they answer. ``proposal_diff`` compares the latest proposal with
the determination, fact by fact and agreement by agreement.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from truceline.accounts.roles import Principal
from truceline.agreements.services import adjudicator_for, facts_from_incident
from truceline.audit.log import add_logged
from truceline.incidents.models import Incident
from truceline.verification.models import Determination, Proposal, VerificationCase

#: The facts a proposal and a determination both establish, compared by ``proposal_diff``.
FACT_FIELDS = ("perpetrator", "attribution", "targets", "casualties", "confidence", "summary")


def incident_facts(incident: Incident) -> dict[str, Any]:
    """The facts an incident holds now, in the shape a determination establishes them."""
    return {
        "perpetrator": incident.perpetrator,
        "attribution": list(incident.attribution or []),
        "targets": list(incident.targets or []),
        "casualties": dict(incident.casualties or {}),
    }


def draft_findings(
    session: Session, incident: Incident, facts: dict[str, Any]
) -> list[dict[str, Any]]:
    """Adjudicate ``facts`` as if established on ``incident`` (nothing is stored)."""
    draft = Incident(
        code=incident.code,
        occurred_at=incident.occurred_at,
        lat=incident.lat,
        lon=incident.lon,
        country=incident.country,
        event_type=incident.event_type,
        target_actor=incident.target_actor,
        perpetrator=facts["perpetrator"],
        attribution=facts["attribution"],
        targets=facts["targets"],
        casualties=facts["casualties"],
    )
    adjudicator = adjudicator_for(session)
    found = adjudicator.adjudicate(
        facts_from_incident(draft, known_groups=adjudicator.known_groups)
    )
    return [
        {
            "agreement": f.agreement,
            "finding": str(f.finding),
            "violating_party": f.violating_party,
            "clauses": list(f.clauses),
            "basis": str(f.basis),
            "explanation": f.explanation,
        }
        for f in found
    ]


def record_proposal(
    session: Session,
    case: VerificationCase,
    *,
    principal: Principal,
    facts: dict[str, Any] | None,
    now: datetime,
) -> Proposal:
    """Keep the draft facts and their draft findings (the step itself is authorised by the
    caller, ``services.transition``)."""
    from truceline.verification.determination import established_facts

    incident = session.get(Incident, case.incident_id)
    assert incident is not None
    draft = (
        established_facts(facts)
        if facts
        else {**incident_facts(incident), "confidence": None, "summary": ""}
    )
    row = Proposal(
        case_id=case.id,
        facts=draft,
        findings=draft_findings(session, incident, draft),
        proposed_by=principal.name,
        proposed_at=now,
    )
    add_logged(
        session,
        row,
        actor=principal.as_actor(),
        action="verification.proposal_recorded",
        object_type="verification_proposal",
        after=lambda row: {"case_id": case.id, "facts": row.facts, "findings": row.findings},
    )
    return row


def latest_proposal(session: Session, case_id: int) -> Proposal | None:
    return session.scalar(
        select(Proposal).where(Proposal.case_id == case_id).order_by(Proposal.id.desc()).limit(1)
    )


@dataclass(frozen=True)
class Change:
    """One fact or one agreement's finding that the determination settled differently."""

    field: str
    proposed: Any
    determined: Any


def proposal_diff(proposal: Proposal, determination: Determination) -> list[Change]:
    """How the determination differs from the latest proposal: facts, then findings."""
    determined = {name: getattr(determination, name) for name in FACT_FIELDS}
    changes = [
        Change(name, proposal.facts.get(name), determined[name])
        for name in FACT_FIELDS
        if proposal.facts.get(name) not in (None, "")
        and proposal.facts.get(name) != determined[name]
    ]
    proposed = {f["agreement"]: _finding_key(f) for f in proposal.findings}
    final = {f["agreement"]: _finding_key(f) for f in determination.findings}
    for agreement in sorted(set(proposed) | set(final), key=str):
        if proposed.get(agreement) != final.get(agreement):
            changes.append(
                Change(f"finding:{agreement}", proposed.get(agreement), final.get(agreement))
            )
    return changes


def _finding_key(finding: dict[str, Any]) -> str:
    party = f" ({finding['violating_party']})" if finding.get("violating_party") else ""
    return f"{finding['finding']}{party}"


def proposal_json(proposal: Proposal) -> dict[str, Any]:
    return {
        "facts": proposal.facts,
        "findings": proposal.findings,
        "proposed_by": proposal.proposed_by,
        "proposed_at": proposal.proposed_at.isoformat(),
    }
