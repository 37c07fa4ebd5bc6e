"""The whole record of one verification case as JSON (for the API and the CLI).

Nothing here changes anything. Member views are listed in full, superseded
ones included, so dissent stays visible; ``dissent`` lists the members whose
current view dissents.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from truceline.accounts.policy import Action, Resource, ResourceType, authorize
from truceline.accounts.roles import Principal
from truceline.incidents.models import Incident
from truceline.verification.access import actions_for, team_names
from truceline.verification.history import history_json, incident_history
from truceline.verification.models import (
    CaseTransition,
    Determination,
    EvidenceItem,
    MemberView,
    Obstruction,
    PartyReply,
    TeamMembership,
    VerificationCase,
    VerificationTask,
)
from truceline.verification.parties import correction_json, corrections
from truceline.verification.proposal import latest_proposal, proposal_diff, proposal_json
from truceline.verification.record import latest_views
from truceline.verification.services import case_snapshot, task_snapshot


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _rows(session: Session, model: Any, *where: Any) -> list[Any]:
    return list(session.scalars(select(model).where(*where).order_by(model.id)))


def case_record(
    session: Session, case: VerificationCase, *, principal: Principal
) -> dict[str, Any]:
    """Everything the case holds, oldest first; evidence only as far as ``principal`` may see."""
    incident = session.get(Incident, case.incident_id)
    assert incident is not None
    current = {v.id for v in latest_views(session, case.id).values()}
    views = _rows(session, MemberView, MemberView.case_id == case.id)
    determination = session.scalar(select(Determination).where(Determination.case_id == case.id))
    team = team_names(session, case.id)
    proposal = latest_proposal(session, case.id)
    return {
        "incident": {
            "id": incident.id,
            "code": incident.code,
            "title": incident.title,
            "event_type": incident.event_type,
        },
        **case_snapshot(case),
        "opened_at": _iso(case.opened_at),
        "reply_opened_at": _iso(case.reply_opened_at),
        "history": [
            _transition(t)
            for t in _rows(session, CaseTransition, CaseTransition.case_id == case.id)
        ],
        "team": [
            _member(m) for m in _rows(session, TeamMembership, TeamMembership.case_id == case.id)
        ],
        "tasks": [
            {
                "id": t.id,
                **task_snapshot(t),
                "description": t.description,
                "blocked_note": t.blocked_note,
            }
            for t in _rows(session, VerificationTask, VerificationTask.case_id == case.id)
        ],
        "replies": [_reply(r) for r in _rows(session, PartyReply, PartyReply.case_id == case.id)],
        "views": [_view(v, current=v.id in current) for v in views],
        "dissent": sorted(v.member for v in views if v.id in current and v.position == "dissents"),
        "obstructions": [
            _obstruction(o) for o in _rows(session, Obstruction, Obstruction.case_id == case.id)
        ],
        "evidence": [
            evidence_json(e)
            for e in _rows(session, EvidenceItem, EvidenceItem.case_id == case.id)
            if authorize(principal, Action.READ, evidence_resource(e, team=team))
        ],
        "determination": _determination(determination) if determination else None,
        "party_corrections": [correction_json(c) for c in corrections(session, case.id)],
        "proposal": proposal_json(proposal) if proposal else None,
        "proposal_changes": [
            {"field": c.field, "proposed": c.proposed, "determined": c.determined}
            for c in (proposal_diff(proposal, determination) if proposal and determination else [])
        ],
        "incident_history": history_json(incident_history(session, incident.id)),
        "available_actions": [step.value for step in actions_for(session, principal, case)],
    }


def _transition(t: CaseTransition) -> dict[str, Any]:
    return {
        "name": t.name,
        "from": t.from_state,
        "to": t.to_state,
        "actor": t.actor,
        "role": t.actor_role,
        "party": t.actor_party,
        "note": t.note,
        "at": _iso(t.at),
    }


def _member(m: TeamMembership) -> dict[str, Any]:
    return {
        "name": m.name,
        "role": m.role,
        "nominated_by": m.nominated_by,
        "assigned_at": _iso(m.assigned_at),
        "released_at": _iso(m.released_at),
    }


def _reply(r: PartyReply) -> dict[str, Any]:
    return {
        "id": r.id,
        "party": r.party,
        "text": r.text,
        "submitted_by": r.submitted_by,
        "submitted_at": _iso(r.submitted_at),
        "late": r.late,
    }


def _view(v: MemberView, *, current: bool) -> dict[str, Any]:
    return {
        "id": v.id,
        "member": v.member,
        "nominated_by": v.nominated_by,
        "position": v.position,
        "text": v.text,
        "supersedes_id": v.supersedes_id,
        "current": current,
        "recorded_at": _iso(v.recorded_at),
    }


def _obstruction(o: Obstruction) -> dict[str, Any]:
    return {
        "id": o.id,
        "incident_id": o.incident_id,
        "task_id": o.task_id,
        "obstructing_party": o.obstructing_party,
        "description": o.description,
        "recorded_by": o.recorded_by,
        "recorded_at": _iso(o.recorded_at),
    }


def _determination(d: Determination) -> dict[str, Any]:
    return {
        "perpetrator": d.perpetrator,
        "attribution": d.attribution,
        "targets": d.targets,
        "casualties": d.casualties,
        "confidence": d.confidence,
        "summary": d.summary,
        "findings": d.findings,
        "determined_by": d.determined_by,
        "determined_at": _iso(d.determined_at),
    }


def evidence_json(e: EvidenceItem) -> dict[str, Any]:
    return {
        "id": e.id,
        "case_id": e.case_id,
        "sha256": e.sha256,
        "size_bytes": e.size_bytes,
        "media_type": e.media_type,
        "filename": e.filename,
        "description": e.description,
        "obtained_by": e.obtained_by,
        "obtained_at": _iso(e.obtained_at),
        "how_obtained": e.how_obtained,
        "submitted_party": e.submitted_party,
        "added_by": e.added_by,
        "added_at": _iso(e.added_at),
        "kind": "redacted" if e.derived_from_id else "original",
        "derived_from_id": e.derived_from_id,
        "redaction_note": e.redaction_note,
        "disclosed": e.disclosed,
        "released": e.released,
    }


def evidence_resource(item: EvidenceItem, *, team: frozenset[str]) -> Resource:
    """The policy's view of a piece of evidence: an original (restricted to the mediators and
    the joint team of its case until disclosed) or a redaction. ``team``: the names on the
    active team of the item's case (``access.team_names``)."""
    if item.derived_from_id is not None:
        return Resource(ResourceType.EVIDENCE_REDACTED, released=item.released, team=team)
    return Resource(
        ResourceType.EVIDENCE_ORIGINAL,
        owner_party=item.submitted_party,
        owner_user=item.added_by,
        disclosed=item.disclosed,
        team=team,
    )
