"""The proposed findings and the incident's history as the incident page shows them.

``proposal_view`` gives the latest proposal (draft facts and draft findings)
and, once determined, how the determination differs from it; ``history_view``
gives each version of the incident's facts with who changed what, when and
why. Values are turned into short texts here so the template stays simple.
Both are shown inside the verification section, to those the policy lets read
the case.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from truceline.http.i18n import N_
from truceline.verification.history import incident_history
from truceline.verification.models import Determination, Proposal, VerificationCase
from truceline.verification.proposal import latest_proposal, proposal_diff

FACT_LABELS: dict[str, str] = {
    "perpetrator": N_("Perpetrator"),
    "attribution": N_("Attribution"),
    "targets": N_("Targets"),
    "casualties": N_("Casualties"),
    "confidence": N_("Confidence"),
    "summary": N_("Summary"),
    "finding": N_("Finding under"),
}
VERSION_KIND_LABELS: dict[str, str] = {
    "recorded": N_("As first recorded"),
    "determination": N_("Determination"),
    "correction": N_("Correction"),
}


def fact_text(value: Any) -> str:
    """A fact as a short line: lists joined, attribution and casualties spelled out."""
    if value in (None, "", [], {}):
        return "—"
    if isinstance(value, list):
        return ", ".join(_item_text(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_count(v)}" for k, v in sorted(value.items()))
    return str(value)


def _item_text(item: Any) -> str:
    if isinstance(item, dict) and "party" in item:
        established = " ✓" if item.get("established") else ""
        return f"{item['party']} {item.get('link', '')}{established}".strip()
    return str(item)


def _count(value: Any) -> str:
    if isinstance(value, dict):
        return str(value.get("best", "—"))
    return str(value)


@dataclass(frozen=True)
class Row:
    """A labelled line: ``label`` is a translatable key, ``qualifier`` (an agreement id) is not."""

    label: str
    qualifier: str
    before: str
    after: str = ""


@dataclass(frozen=True)
class ProposalView:
    proposal: Proposal
    facts: list[Row]
    findings: list[dict[str, Any]]
    changes: list[Row]
    determined: bool


def proposal_view(session: Session, case: VerificationCase) -> ProposalView | None:
    proposal = latest_proposal(session, case.id)
    if proposal is None:
        return None
    determination = session.scalar(select(Determination).where(Determination.case_id == case.id))
    facts = [
        Row(FACT_LABELS[name], "", fact_text(proposal.facts.get(name)))
        for name in ("perpetrator", "attribution", "targets", "casualties", "confidence", "summary")
        if proposal.facts.get(name) not in (None, "")
    ]
    changes = [
        Row(
            FACT_LABELS[c.field.partition(":")[0]],
            c.field.partition(":")[2],
            fact_text(c.proposed),
            fact_text(c.determined),
        )
        for c in (proposal_diff(proposal, determination) if determination else [])
    ]
    return ProposalView(proposal, facts, proposal.findings, changes, determination is not None)


@dataclass(frozen=True)
class VersionView:
    version: int
    kind: str
    changed_by: str
    changed_at: datetime
    reason: str
    changes: list[Row]


def history_view(session: Session, incident_id: int) -> list[VersionView]:
    return [
        VersionView(
            line.version,
            line.kind,
            line.changed_by,
            line.changed_at,
            line.reason,
            [Row(FACT_LABELS[f], "", fact_text(b), fact_text(a)) for f, b, a in line.changes],
        )
        for line in incident_history(session, incident_id)
    ]
