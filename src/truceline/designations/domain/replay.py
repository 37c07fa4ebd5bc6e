"""Comparing findings under two threat definitions: what a definition costs or gains each party.

Findings are matched by (incident, agreement). A change is any difference in
the finding, the violating party or the basis. For each change the parties
affected are named with the direction: a party that becomes the violating
party is ``exposed``, one that stops being it is ``cleared``. The per-party
tally is what a mediator shows each side.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from truceline.designations.domain.positions import PARTY_HOLDERS

Finding = Mapping[str, Any]
COMPARED = ("finding", "violating_party", "basis")
INDETERMINATE = "indeterminate"


@dataclass(frozen=True)
class FindingChange:
    incident: str
    agreement: str | None
    baseline: Finding
    candidate: Finding
    exposed: str | None
    cleared: str | None

    def as_json(self) -> dict[str, Any]:
        return {
            "incident": self.incident,
            "agreement": self.agreement,
            "baseline": _brief(self.baseline),
            "candidate": _brief(self.candidate),
            "exposed_party": self.exposed,
            "cleared_party": self.cleared,
            "summary": self.summary(),
        }

    def summary(self) -> str:
        before = _phrase(self.baseline)
        after = _phrase(self.candidate)
        where = f"under {self.agreement}" if self.agreement else "outside any agreement"
        return f"{self.incident} {where}: {before} -> {after}"


def diff_findings(baseline: Iterable[Finding], candidate: Iterable[Finding]) -> list[FindingChange]:
    """The findings that differ between two runs over the same incidents."""
    before = _by_key(baseline)
    after = _by_key(candidate)
    changes = []
    for key in sorted(before.keys() | after.keys(), key=lambda k: (k[0], k[1] or "")):
        old = before.get(key, _missing(key))
        new = after.get(key, _missing(key))
        if any(old.get(f) != new.get(f) for f in COMPARED):
            changes.append(_change(key, old, new))
    return changes


def party_tally(changes: Sequence[FindingChange]) -> dict[str, dict[str, int]]:
    """For each party: violations it would newly bear, and violations it would shed."""
    tally = {party: {"exposed": 0, "cleared": 0} for party in PARTY_HOLDERS}
    for change in changes:
        if change.exposed in tally:
            tally[change.exposed]["exposed"] += 1
        if change.cleared in tally:
            tally[change.cleared]["cleared"] += 1
    return tally


def settlement_tally(changes: Sequence[FindingChange]) -> dict[str, int]:
    """How many ``indeterminate`` findings the candidate settles, and how many it unsettles."""
    settled = sum(
        1
        for c in changes
        if c.baseline.get("finding") == INDETERMINATE
        and c.candidate.get("finding") != INDETERMINATE
    )
    unsettled = sum(
        1
        for c in changes
        if c.candidate.get("finding") == INDETERMINATE
        and c.baseline.get("finding") != INDETERMINATE
    )
    return {"settled": settled, "unsettled": unsettled}


def _change(key: tuple[str, str | None], old: Finding, new: Finding) -> FindingChange:
    old_party = old.get("violating_party") if old.get("finding") == "violation" else None
    new_party = new.get("violating_party") if new.get("finding") == "violation" else None
    return FindingChange(
        incident=key[0],
        agreement=key[1],
        baseline=old,
        candidate=new,
        exposed=new_party if new_party != old_party else None,
        cleared=old_party if new_party != old_party else None,
    )


def _by_key(findings: Iterable[Finding]) -> dict[tuple[str, str | None], Finding]:
    return {(str(f["incident"]), f.get("agreement")): f for f in findings}


def _missing(key: tuple[str, str | None]) -> Finding:
    return {"incident": key[0], "agreement": key[1], "finding": None, "explanation": "no finding"}


def _brief(finding: Finding) -> dict[str, Any]:
    keys = ("finding", "violating_party", "basis", "clauses", "explanation")
    return {k: finding.get(k) for k in keys}


def _phrase(finding: Finding) -> str:
    kind = finding.get("finding")
    if kind == "violation":
        return f"violation by {finding.get('violating_party')} ({finding.get('basis')})"
    return str(kind)
