"""Who alleges what against whom on a case, and a mediator's correction of it.

A case takes its alleging and accused parties from the incident's first party
allegation (``services.allegation_of``: a report of kind ``allegation``, never
a denial or a media item). When that is wrong (the allegation was filed late,
or linked to the wrong incident), only a mediator may correct it, with a
reason: the correction is kept (``PartyCorrection``), audited
(``verification.parties_corrected``) and shown on the case, and the case no
longer claims to come from the allegation report.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from truceline.accounts.policy import Action, require
from truceline.accounts.roles import Principal
from truceline.audit.log import add_logged
from truceline.db.base import utcnow
from truceline.events.provenance import PARTIES
from truceline.verification.domain import TERMINAL_STATES, State
from truceline.verification.models import PartyCorrection, VerificationCase
from truceline.verification.record import text_field
from truceline.verification.services import CASE, VerificationError, case_snapshot


def correct_parties(
    session: Session,
    case: VerificationCase,
    *,
    alleging_party: str,
    accused_party: str,
    reason: str,
    principal: Principal,
    now: datetime | None = None,
) -> PartyCorrection:
    """Set who alleges against whom (mediators only, on a live case), keeping why."""
    require(principal, Action.MANAGE, CASE)
    reason = text_field(reason, field="reason")
    for field, value in (("alleging_party", alleging_party), ("accused_party", accused_party)):
        if value not in PARTIES:
            raise VerificationError(f"{field}: expected AF or PK, not {value!r}", field=field)
    if alleging_party == accused_party:
        raise VerificationError(
            "accused_party: a party does not allege a breach against itself", field="accused_party"
        )
    if State(case.state) in TERMINAL_STATES:
        raise VerificationError(
            f"case: the case is {case.state}; reopen it to correct its parties", field="case"
        )
    before = case_snapshot(case)
    correction = PartyCorrection(
        case_id=case.id,
        alleging_before=case.alleging_party,
        accused_before=case.accused_party,
        alleging_after=alleging_party,
        accused_after=accused_party,
        reason=reason,
        corrected_by=principal.name,
        corrected_at=now or utcnow(),
    )
    case.alleging_party, case.accused_party = alleging_party, accused_party
    case.allegation_report_id = None
    add_logged(
        session,
        correction,
        actor=principal.as_actor(),
        action="verification.parties_corrected",
        object_type="incident",
        object_id=case.incident_id,
        before=before,
        after=lambda correction: (
            case_snapshot(case) | {"reason": reason, "correction": correction.id}
        ),
    )
    return correction


def corrections(session: Session, case_id: int) -> list[PartyCorrection]:
    return list(
        session.scalars(
            select(PartyCorrection)
            .where(PartyCorrection.case_id == case_id)
            .order_by(PartyCorrection.id)
        )
    )


def correction_json(item: PartyCorrection) -> dict[str, Any]:
    return {
        "alleging_before": item.alleging_before,
        "accused_before": item.accused_before,
        "alleging_party": item.alleging_after,
        "accused_party": item.accused_after,
        "reason": item.reason,
        "corrected_by": item.corrected_by,
        "corrected_at": item.corrected_at.isoformat(),
    }
