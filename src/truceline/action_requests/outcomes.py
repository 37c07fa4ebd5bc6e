"""From requests to findings: gather request outcomes as facts, judge them, store the finding.

The mediator (or a verification team) asks for a judgement of how one party
answered the requests about one group; the requests are grouped by the clause
they relied on, each group judged by ``agreements.request_rules`` against that
clause as compiled from the agreement in force, and stored with the codes of
the requests its explanation cites. Every stored finding is audited.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from truceline.accounts.policy import Action, Resource, ResourceType, require
from truceline.accounts.roles import Principal
from truceline.accounts.scoping import visible_filter
from truceline.action_requests.domain import RequestState, check_party, is_overdue
from truceline.action_requests.exceptions import RequestRefused
from truceline.action_requests.models import ActionRequest, RequestFinding
from truceline.agreements.request_rules import (
    RULES_VERSION,
    RequestOutcome,
    judge_request_outcomes,
)
from truceline.agreements.services import agreement_index
from truceline.audit.log import add_logged
from truceline.designations.domain.positions import JOINT
from truceline.designations.queries import registry_definitions

JUDGED_STATES = {
    RequestState.DELIVERED.value,
    RequestState.ACKNOWLEDGED.value,
    RequestState.RESPONDED.value,
    RequestState.VERIFIED.value,
    RequestState.CLOSED.value,
}


def outcome_of(request: ActionRequest, now: datetime) -> RequestOutcome:
    return RequestOutcome(
        code=request.code,
        response_kind=request.response_kind,
        verification=request.verification_outcome,
        overdue=is_overdue(RequestState(request.state), request.deadline_at, now),
    )


def judge_group(
    session: Session, principal: Principal, group_id: str, party: str, *, now: datetime
) -> list[RequestFinding]:
    """Judge ``party``'s responses on ``group_id``, one finding per clause relied on."""
    require(principal, Action.CREATE, Resource(ResourceType.FINDING))
    check_party(party, field="party")
    requests = list(
        session.scalars(
            select(ActionRequest)
            .where(
                ActionRequest.group_id == group_id,
                ActionRequest.addressed_party == party,
                ActionRequest.state.in_(JUDGED_STATES),
            )
            .order_by(ActionRequest.submitted_at, ActionRequest.id)
        )
    )
    if not requests:
        raise RequestRefused(
            "nothing_to_judge",
            f"group: no delivered request about {group_id} to {party} to judge",
            field="group",
        )
    designated = registry_definitions(session)[JOINT].read(group_id, on=now.date()).covered
    index = agreement_index(session)
    findings = []
    for (agreement_id, clause_id), items in _by_clause(requests).items():
        compiled = index.get(agreement_id)
        clause = (
            next((c for c in compiled.clauses if c.id == clause_id), None) if compiled else None
        )
        if clause is None:
            continue
        judgement = judge_request_outcomes(
            group=group_id, party=party, designated=designated, clause=clause,
            agreement=agreement_id, outcomes=[outcome_of(r, now) for r in items],
        )  # fmt: skip
        findings.append(_store(session, principal, group_id, party, agreement_id, judgement, now))
    return findings


def _by_clause(requests: list[ActionRequest]) -> dict[tuple[str, str], list[ActionRequest]]:
    grouped: dict[tuple[str, str], list[ActionRequest]] = {}
    for request in requests:
        grouped.setdefault((request.agreement_id, request.clause_id), []).append(request)
    return grouped


def _store(
    session: Session,
    principal: Principal,
    group_id: str,
    party: str,
    agreement_id: str,
    judgement: Any,
    now: datetime,
) -> RequestFinding:
    row = RequestFinding(
        group_id=group_id,
        addressed_party=party,
        agreement_id=agreement_id,
        clause_id=judgement.clause,
        finding=judgement.finding.value,
        violating_party=judgement.violating_party,
        basis=judgement.basis.value,
        explanation=judgement.explanation,
        request_codes=list(judgement.cited),
        rules_version=RULES_VERSION,
        determined_by=principal.name,
        determined_at=now,
    )
    return add_logged(
        session,
        row,
        actor=principal.as_actor(),
        action="request.finding",
        object_type="action_request_finding",
        after=finding_json,
    )


def finding_json(row: RequestFinding) -> dict[str, Any]:
    return {
        "id": row.id,
        "group": row.group_id,
        "party": row.addressed_party,
        "agreement": row.agreement_id,
        "clauses": [row.clause_id],
        "finding": row.finding,
        "violating_party": row.violating_party,
        "basis": row.basis,
        "explanation": row.explanation,
        "requests": list(row.request_codes),
        "rules_version": row.rules_version,
        "determined_by": row.determined_by,
        "determined_at": row.determined_at.isoformat(),
    }


def list_findings(
    session: Session, principal: Principal, *, request_code: str | None = None
) -> list[RequestFinding]:
    """The findings the caller may read (the policy's filter), newest first."""
    query = select(RequestFinding).where(visible_filter(principal, RequestFinding))
    rows = list(session.scalars(query.order_by(RequestFinding.id.desc())))
    if request_code is not None:
        rows = [r for r in rows if request_code in (r.request_codes or [])]
    return rows
