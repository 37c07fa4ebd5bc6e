"""The divergence matrix: where the parties disagree, and why."""

from __future__ import annotations

from datetime import date

from truceline.designations.domain.matrix import (
    Assessment,
    EvidenceItem,
    ListingFact,
    MatrixInputs,
    build_matrix,
)
from truceline.designations.domain.positions import JOINT, Position, PositionTimeline, Stance
from truceline.designations.domain.threat_definition import RegistryThreatDefinition

POSITIONS = PositionTimeline.build(
    [
        Position("PK", "TTP", Stance.DESIGNATED, date(2008, 8, 25), "ATA", "NACTA"),
        Position("AF", "TTP", Stance.NOT_DESIGNATED, date(2021, 8, 15), "denies", "statement"),
    ]
)


def _inputs(evidence: list[EvidenceItem]) -> MatrixInputs:
    return MatrixInputs(
        groups=[("TTP", "Tehrik-i-Taliban Pakistan")],
        criteria=[("cross_border_operations", "Cross-border"), ("un_listing", "UN listing")],
        evidence=evidence,
        listings=[ListingFact("TTP", "UN 1267", "UN", 2011)],
        definitions={h: RegistryThreatDefinition(h, h, POSITIONS) for h in ("AF", "PK", JOINT)},
    )


def _evidence(party: str, assessment: Assessment, summary: str, on: date) -> EvidenceItem:
    return EvidenceItem("TTP", "cross_border_operations", party, assessment, summary, "src", on)


def test_opposite_assessments_are_a_disagreement_with_both_reasons() -> None:
    matrix = build_matrix(
        _inputs(
            [
                _evidence("PK", Assessment.MET, "havens in Afghanistan", date(2025, 10, 9)),
                _evidence("AF", Assessment.NOT_MET, "no haven given", date(2025, 10, 15)),
            ]
        ),
        as_of=date(2025, 10, 20),
    )
    row = matrix["groups"][0]
    cell = row["criteria"]["cross_border_operations"]
    assert cell["divergence"] == "disagreement"
    assert "PK: met (havens in Afghanistan)" in cell["why"]
    assert "AF: not_met (no haven given)" in cell["why"]
    assert row["stance_divergent"] and row["joint"]["covered"] is None


def test_evidence_after_the_date_is_not_yet_known() -> None:
    late = [_evidence("AF", Assessment.NOT_MET, "later denial", date(2025, 11, 1))]
    early = [_evidence("PK", Assessment.MET, "havens", date(2025, 10, 9))]
    cell = build_matrix(_inputs(early + late), as_of=date(2025, 10, 20))["groups"][0]["criteria"]
    assert cell["cross_border_operations"]["divergence"] == "one_sided"
    assert cell["cross_border_operations"]["AF"]["assessment"] == "unknown"


def test_un_listing_is_read_from_listings_and_is_common_ground() -> None:
    matrix = build_matrix(_inputs([]), as_of=date(2025, 10, 20))
    cell = matrix["groups"][0]["criteria"]["un_listing"]
    assert cell["AF"]["assessment"] == cell["PK"]["assessment"] == "met"
    assert not cell["divergent"]
    before = build_matrix(_inputs([]), as_of=date(2010, 1, 1))["groups"][0]["criteria"]
    assert before["un_listing"]["PK"]["assessment"] == "not_met"
