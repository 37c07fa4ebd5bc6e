"""Diffing findings between two definitions, and what each party gains or loses."""

from __future__ import annotations

from truceline.designations.domain.replay import diff_findings, party_tally, settlement_tally


def _finding(
    incident: str, kind: str, party: str | None = None, basis: str = "none"
) -> dict[str, object]:
    return {
        "incident": incident,
        "agreement": "doha-2025-10-19",
        "finding": kind,
        "violating_party": party,
        "basis": basis,
        "explanation": f"{incident}: {kind}",
    }


def test_changed_findings_name_the_party_exposed_or_cleared() -> None:
    baseline = [
        _finding("camp", "indeterminate"),
        _finding("strike", "violation", "PK", "direct"),
        _finding("raid", "violation", "AF", "attributed"),
    ]
    candidate = [
        _finding("camp", "violation", "AF", "attributed"),
        _finding("strike", "violation", "PK", "direct"),
        _finding("raid", "no_violation"),
    ]
    changes = diff_findings(baseline, candidate)
    assert [(c.incident, c.exposed, c.cleared) for c in changes] == [
        ("camp", "AF", None),
        ("raid", None, "AF"),
    ]
    assert party_tally(changes) == {
        "AF": {"exposed": 1, "cleared": 1},
        "PK": {"exposed": 0, "cleared": 0},
    }
    assert settlement_tally(changes) == {"settled": 1, "unsettled": 0}
    assert changes[0].summary() == (
        "camp under doha-2025-10-19: indeterminate -> violation by AF (attributed)"
    )


def test_identical_runs_have_no_changes() -> None:
    run = [_finding("strike", "violation", "PK", "direct")]
    assert diff_findings(run, list(run)) == []
