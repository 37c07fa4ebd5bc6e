"""Findings as the web pages show them: per incident (with history) and as dashboard counts.

Findings are computed and stored by the agreements context
(``truceline.agreements.services``: ``current_findings``, ``findings_history``).
Who may read them is the accounts policy's ``finding`` rule: released findings
(those of released incidents) are public, the restricted view reads them all.

A *verified violation* is a current finding ``violation`` on an incident whose
verification ended in ``determined``: counted per violating party and per
agreement for the dashboard.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from truceline.accounts.policy import Action, ResourceType
from truceline.accounts.roles import Principal
from truceline.agreements import services as agreements
from truceline.agreements.models import Agreement, StoredFinding
from truceline.http.access import may
from truceline.incidents.models import Incident
from truceline.verification.domain import State

VIOLATION = "violation"
#: When an incident has several current findings (one per agreement in force), the map
#: shows the gravest: a violation first, then a concern, then what could not be decided.
GRAVITY = ("violation", "spirit_concern", "indeterminate", "no_violation", "outside_scope")
#: SQLite caps bound parameters per statement; ids are sent in chunks below this.
ID_CHUNK = 900


def may_read_findings(principal: Principal, incident: Incident) -> bool:
    """The policy's answer for the findings of one incident (released with the incident)."""
    return may(principal, Action.READ, ResourceType.FINDING, released=bool(incident.released))


@dataclass(frozen=True)
class FindingsOfIncident:
    """An incident's current findings and every earlier one (newest first)."""

    current: list[StoredFinding]
    history: list[StoredFinding]
    agreement_titles: dict[str, str]


def incident_findings(
    session: Session, incident: Incident, principal: Principal
) -> FindingsOfIncident | None:
    """The findings section of the incident page, or None when the principal may not read it."""
    if not may_read_findings(principal, incident):
        return None
    current = agreements.current_findings(session, incident.id)
    earlier = [f for f in agreements.findings_history(session, incident.id) if f.superseded_at]
    earlier.sort(key=lambda f: (f.computed_at, f.id), reverse=True)
    return FindingsOfIncident(current, earlier, agreement_titles(session))


def agreement_titles(session: Session) -> dict[str, str]:
    return {row.id: row.title for row in session.execute(select(Agreement.id, Agreement.title))}


@dataclass(frozen=True)
class ViolationCounts:
    """Verified violations per violating party and per agreement (largest first)."""

    per_party: list[tuple[str, int]]
    per_agreement: list[tuple[str, str, int]]

    @property
    def total(self) -> int:
        return sum(n for _, n in self.per_party)


def verified_violations(session: Session, incidents: Sequence[Incident]) -> ViolationCounts:
    """Count the verified violations among ``incidents`` (already filtered for the principal)."""
    determined = [i.id for i in incidents if i.verification_state == State.DETERMINED.value]
    per_party: dict[str, int] = {}
    per_agreement: dict[str, int] = {}
    for start in range(0, len(determined), ID_CHUNK):
        chunk = determined[start : start + ID_CHUNK]
        for column, totals in (
            (StoredFinding.violating_party, per_party),
            (StoredFinding.agreement_id, per_agreement),
        ):
            stmt = (
                select(column, func.count())
                .where(
                    StoredFinding.incident_id.in_(chunk),
                    StoredFinding.superseded_at.is_(None),
                    StoredFinding.finding == VIOLATION,
                )
                .group_by(column)
            )
            for key, n in session.execute(stmt):
                totals[key or "?"] = totals.get(key or "?", 0) + n
    titles = agreement_titles(session)
    return ViolationCounts(
        per_party=sorted(per_party.items(), key=lambda kv: (-kv[1], kv[0])),
        per_agreement=[
            (key, titles.get(key, key), n)
            for key, n in sorted(per_agreement.items(), key=lambda kv: (-kv[1], kv[0]))
        ],
    )


def headline_findings(
    session: Session, incidents: Sequence[Incident], principal: Principal
) -> dict[int, str]:
    """The gravest current finding of each determined incident whose findings the principal
    may read (the map rings them in the finding's colour)."""
    ids = [
        i.id
        for i in incidents
        if i.verification_state == State.DETERMINED.value and may_read_findings(principal, i)
    ]
    rank = {finding: n for n, finding in enumerate(GRAVITY)}
    gravest: dict[int, str] = {}
    for start in range(0, len(ids), ID_CHUNK):
        stmt = select(StoredFinding.incident_id, StoredFinding.finding).where(
            StoredFinding.incident_id.in_(ids[start : start + ID_CHUNK]),
            StoredFinding.superseded_at.is_(None),
        )
        for incident_id, finding in session.execute(stmt):
            held = gravest.get(incident_id)
            if held is None or rank.get(finding, len(GRAVITY)) < rank.get(held, len(GRAVITY)):
                gravest[incident_id] = finding
    return gravest
