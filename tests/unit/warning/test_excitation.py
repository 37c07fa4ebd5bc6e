from __future__ import annotations

import pytest

from truceline.warning.excitation import fit_excitation, simulate_excitation


def test_fit_recovers_one_sided_retaliation_from_simulated_exchanges() -> None:
    # PK events trigger AF events (alpha[AF][PK] = 0.5), never the other way round.
    events = simulate_excitation(
        mu=(0.2, 0.2), alpha=((0.1, 0.5), (0.0, 0.1)), beta=1 / 7, span_days=2000, seed=7
    )
    fit = fit_excitation(events, span_days=2000)
    assert fit.beta == pytest.approx(1 / 7)
    assert fit.cross("AF", "PK") == pytest.approx(0.5, abs=0.15)
    assert fit.cross("PK", "AF") < 0.1
    assert fit.branching_ratio < 1


def test_independent_sides_show_no_cross_excitation() -> None:
    events = simulate_excitation(
        mu=(0.3, 0.3), alpha=((0.0, 0.0), (0.0, 0.0)), beta=1 / 7, span_days=1500, seed=3
    )
    fit = fit_excitation(events, span_days=1500)
    assert fit.cross("AF", "PK") < 0.08 and fit.cross("PK", "AF") < 0.08


def test_recent_events_of_the_other_side_raise_the_retaliation_share() -> None:
    fit = fit_excitation(
        simulate_excitation(
            mu=(0.2, 0.2), alpha=((0.0, 0.6), (0.6, 0.0)), beta=1 / 7, span_days=1500, seed=11
        ),
        span_days=1500,
    )
    quiet = fit.triggered_share("AF", 100.0, [(10.0, "PK")])
    after_strike = fit.triggered_share("AF", 100.0, [(99.5, "PK"), (99.0, "PK")])
    assert after_strike > 0.3 and quiet < 0.01


def test_unknown_side_is_refused_with_its_value() -> None:
    with pytest.raises(ValueError, match="'TTP'"):
        fit_excitation([(0.0, "AF"), (1.0, "TTP")])
