"""The case header's account of who alleges against whom (see ``verification.pages.parties``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from truceline.accounts.policy import Action, ResourceType
from truceline.accounts.roles import Principal
from truceline.http.access import may
from truceline.incidents.models import Incident, Report
from truceline.verification import parties
from truceline.verification.domain import TERMINAL_STATES, State
from truceline.verification.models import PartyCorrection, VerificationCase


@dataclass(frozen=True)
class CaseParties:
    """The header's account of the case's parties, and whether this principal may correct them."""

    allegation_code: str | None = None
    corrections: list[PartyCorrection] = field(default_factory=list)
    may_correct: bool = False


def case_parties(session: Session, incident: Incident, principal: Principal) -> dict[str, Any]:
    case = session.scalar(
        select(VerificationCase).where(VerificationCase.incident_id == incident.id)
    )
    if case is None:
        return {"case_parties": CaseParties()}
    code = (
        session.scalar(select(Report.code).where(Report.id == case.allegation_report_id))
        if case.allegation_report_id is not None
        else None
    )
    live = State(case.state) not in TERMINAL_STATES
    permitted = may(principal, Action.MANAGE, ResourceType.VERIFICATION_CASE)
    found = CaseParties(code, parties.corrections(session, case.id), permitted and live)
    return {"case_parties": found}
