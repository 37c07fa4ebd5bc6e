"""The divergence matrix: group × party × criterion, showing where and why the parties disagree.

Each cell holds a party's assessment of one criterion for one group, from the
evidence that party asserted (its latest assessment on or before the date),
with the evidence itself. The UN-listing criterion is read from the registry's
external listings, a fact both parties see alike. A criterion diverges when the
parties assess it differently, or when one asserts it and the other is silent.
Evidence from others (the UN, the mechanism) is shown beside, not merged in.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from truceline.designations.domain.positions import JOINT, PARTY_HOLDERS
from truceline.designations.domain.threat_definition import RegistryThreatDefinition

UN_LISTING = "un_listing"


class Assessment(StrEnum):
    MET = "met"
    NOT_MET = "not_met"
    CONTESTED = "contested"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class EvidenceItem:
    group_id: str
    criterion: str
    asserted_by: str
    assessment: Assessment
    summary: str
    source: str
    observed_on: date | None = None
    id: int | None = None


@dataclass(frozen=True)
class ListingFact:
    group_id: str
    list_name: str
    listed_by: str
    listed_year: int | None


@dataclass(frozen=True)
class MatrixInputs:
    """Everything the matrix reads, already loaded."""

    groups: Sequence[tuple[str, str]]
    criteria: Sequence[tuple[str, str]]
    evidence: Sequence[EvidenceItem]
    listings: Sequence[ListingFact]
    definitions: dict[str, RegistryThreatDefinition]


def build_matrix(inputs: MatrixInputs, *, as_of: date) -> dict[str, Any]:
    """The matrix as a JSON-able document (the CLI and the API print it as is)."""
    rows = [_group_row(group_id, name, inputs, as_of) for group_id, name in inputs.groups]
    return {
        "as_of": as_of.isoformat(),
        "parties": list(PARTY_HOLDERS),
        "criteria": [{"code": code, "title": title} for code, title in inputs.criteria],
        "groups": rows,
        "summary": {
            "groups": len(rows),
            "stance_disagreements": sum(1 for r in rows if r["stance_divergent"]),
            "criterion_disagreements": sum(len(r["divergent_criteria"]) for r in rows),
        },
    }


def _group_row(group_id: str, name: str, inputs: MatrixInputs, as_of: date) -> dict[str, Any]:
    positions = {
        holder: _reading_cell(inputs.definitions[holder], group_id, as_of)
        for holder in (*PARTY_HOLDERS, JOINT)
    }
    stances = {positions[p]["stance"] for p in PARTY_HOLDERS}
    cells = {
        code: _criterion_cell(group_id, code, inputs, as_of) for code, _title in inputs.criteria
    }
    return {
        "group": group_id,
        "name": name,
        "positions": {p: positions[p] for p in PARTY_HOLDERS},
        "joint": positions[JOINT],
        "stance_divergent": len(stances) > 1,
        "criteria": cells,
        "divergent_criteria": [code for code, cell in cells.items() if cell["divergent"]],
    }


def _reading_cell(definition: RegistryThreatDefinition, group_id: str, on: date) -> dict[str, Any]:
    reading = definition.read(group_id, on=on)
    return {
        "stance": reading.stance.value if reading.stance else None,
        "covered": reading.covered,
        "reason": reading.reason,
    }


def _criterion_cell(group_id: str, code: str, inputs: MatrixInputs, as_of: date) -> dict[str, Any]:
    items = [
        e
        for e in inputs.evidence
        if e.group_id == group_id and e.criterion == code and _known_by(e, as_of)
    ]
    cell: dict[str, Any] = {}
    for party in PARTY_HOLDERS:
        if code == UN_LISTING:
            cell[party] = _listing_assessment(group_id, inputs.listings, as_of)
        else:
            cell[party] = _party_assessment([e for e in items if e.asserted_by == party])
    others = [e for e in items if e.asserted_by not in PARTY_HOLDERS]
    cell["others"] = [_evidence_json(e) for e in others]
    cell["divergence"], cell["why"] = _divergence(cell)
    cell["divergent"] = cell["divergence"] is not None
    return cell


def _known_by(item: EvidenceItem, as_of: date) -> bool:
    return item.observed_on is None or item.observed_on <= as_of


def _party_assessment(items: Sequence[EvidenceItem]) -> dict[str, Any]:
    if not items:
        return {"assessment": Assessment.UNKNOWN.value, "evidence": []}
    ordered = sorted(items, key=lambda e: (e.observed_on or date.min, e.id or 0))
    return {
        "assessment": ordered[-1].assessment.value,
        "evidence": [_evidence_json(e) for e in ordered],
    }


def _listing_assessment(
    group_id: str, listings: Iterable[ListingFact], as_of: date
) -> dict[str, Any]:
    hits = [
        listing
        for listing in listings
        if listing.group_id == group_id
        and listing.listed_by == "UN"
        and (listing.listed_year is None or listing.listed_year <= as_of.year)
    ]
    evidence = [
        {"summary": f"{h.list_name} ({h.listed_year})", "source": "registry listing"} for h in hits
    ]
    assessment = Assessment.MET if hits else Assessment.NOT_MET
    return {"assessment": assessment.value, "evidence": evidence}


def _divergence(cell: dict[str, Any]) -> tuple[str | None, str]:
    """``disagreement`` (both assess, differently), ``one_sided`` (one is silent), or None."""
    views = {party: cell[party]["assessment"] for party in PARTY_HOLDERS}
    if len(set(views.values())) == 1:
        return None, ""
    kind = "one_sided" if Assessment.UNKNOWN.value in views.values() else "disagreement"
    parts = []
    for party in PARTY_HOLDERS:
        evidence = cell[party]["evidence"]
        said = evidence[-1]["summary"] if evidence else "no evidence asserted"
        parts.append(f"{party}: {views[party]} ({said})")
    return kind, "; ".join(parts)


def _evidence_json(item: EvidenceItem) -> dict[str, Any]:
    return {
        "asserted_by": item.asserted_by,
        "assessment": item.assessment.value,
        "summary": item.summary,
        "source": item.source,
        "observed_on": item.observed_on.isoformat() if item.observed_on else None,
    }
